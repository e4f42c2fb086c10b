import type { Hex } from 'viem'
import {
  ERROR_TYPE_POLICY,
  TRANSPORT_BACKOFF_SECONDS,
  buildOrderCreation,
  classifyApiError,
  computeUid,
  fitRetryToWindow,
  readApiError,
  setFinishedMarker,
  type BlockRef,
  type GPv2OrderData,
  type Host,
  type SubmissionGate,
  errorMessage,
} from '../sdk/index.ts'
import type { Due } from '../sdk/index.ts'
import { nextPartStart, partIndex, partStart } from './nextPartStart.ts'
import { latestBlockTime } from './pollBudget.ts'
import { postedPartsOf } from './postedParts.ts'
import { mayHavePostedBefore } from './recovery.ts'
import { resolveAppDataOnce } from './resolveAppDataOnce.ts'
import { backoffKey, droppedKey, missedKey, submittedKey, type TwapWatch } from './watchStore.ts'

export type SubmitPartParameters = {
  host: Host
  chainId: number
  block: BlockRef
  watch: TwapWatch
  order: GPv2OrderData
  signature: Hex
  /** UIDs already being handled in this block (two watches may yield the same order). */
  claimed: Set<string>
  /** The chain's time now (the head's timestamp when the module is behind, else the block's). */
  headTime: bigint
  /** The module's submission gate: stops posting while the orderbook answers nothing about orders. */
  gate: SubmissionGate
}

/** What to do with the watch after handling a tradeable order. */
export type SubmitPartReturnType = { due: Due } | { unknown: string }

/** Due when the next part starts, or next block when that cannot be known or is already past. */
export function afterPart(watch: TwapWatch, validTo: number, block: BlockRef): Due {
  const next = nextPartStart(watch.params.staticInput, validTo)
  return next !== undefined && next > block.timestamp ? { kind: 'epoch', at: next } : { kind: 'block', at: block.number + 1n }
}

/** True for a fault whose back-off is our guess, not the server's word: 5xx or transport, without Retry-After. */
function isGuessedServerFault(error: unknown): boolean {
  const { status, retryAfter } = readApiError(error)
  return retryAfter === undefined && (status === undefined || status === 0 || status >= 500)
}

/** No HTTP answer (status 0, or not an orderbook error at all): the post may or may not have landed. */
function isTransportFault(error: unknown): boolean {
  const { status } = readApiError(error)
  return status === undefined || status === 0
}

/**
 * Asks the orderbook whether a part is already there (after a restart, or a post whose answer was
 * lost). Returns 'found', 'absent', or 'unknown' when the lookup failed (then nothing is posted now).
 */
async function lookUp(host: Host, chainId: number, uid: Hex): Promise<'found' | 'absent' | 'unknown'> {
  try {
    return (await host.cowApi.getOrder(chainId, uid)) === null ? 'absent' : 'found'
  } catch (error) {
    host.log.info('TWAP part lookup failed; not posting it this time', { uid, error: errorMessage(error) })
    return 'unknown'
  }
}

/**
 * Handles a tradeable order from a poll: a part already expired at the chain's head is recorded as
 * missed (`missed:<uid>`, `part_missed` error metric) and not posted; otherwise it skips parts
 * already handled, resolves the appData, posts the order (eip1271, from = owner) through the
 * module's submission gate, and writes the marker the outcome calls for. Only an answer about the
 * order itself (a final errorType) drops it (`dropped:<uid>`); an answer that is not about the order
 * (a wrong URL, an auth proxy, a firewall) keeps it and tries again, and the gate stops posting when
 * such answers repeat.
 * When the part may have been posted before a restart (it became due before it: see recovery.ts), or when the last post of the UID ended in a
 * transport fault, it first asks the orderbook for the UID: that post may have been accepted
 * without us learning it (a kill before the marker was durable, a timeout after the server stored it).
 * Returns when the watch is due next; never throws for orderbook answers (store faults do throw).
 *
 * @example
 * const next = await submitPart({ host, chainId, block, watch, order, signature, claimed: new Set(), headTime: block.timestamp, gate })
 */
export async function submitPart(parameters: SubmitPartParameters): Promise<SubmitPartReturnType> {
  const { host, chainId, block, watch, order, signature, claimed, headTime, gate } = parameters
  const now = block.timestamp
  const done = { due: afterPart(watch, order.validTo, block) }
  let uid: Hex
  try {
    uid = computeUid(chainId, order, watch.owner)
  } catch (error) {
    return { unknown: errorMessage(error) }
  }
  if (claimed.has(uid)) return done
  claimed.add(uid)
  // One round trip for the four reads (the store answers them in one batch).
  const [submitted, dropped, missed, backoff] = await Promise.all([
    host.store.get(submittedKey(uid)),
    host.store.get(droppedKey(uid)),
    host.store.get(missedKey(uid)),
    host.store.get<{ until: bigint; ambiguousUid?: string }>(backoffKey(watch.id)),
  ])
  if (submitted !== undefined || dropped !== undefined || missed !== undefined) return done
  const part = { watchId: watch.id, owner: watch.owner, validTo: order.validTo, part: partIndex(watch.params.staticInput, order.validTo) ?? null }
  const marker = { ...part, block: block.number, timestamp: now }
  // Every outcome marker is indexed by the part's validTo: pruning keeps it while the part can be
  // polled again, and for `retainFinishedBlocks` after (see finishedMarkers.ts in the SDK).
  const finish = (key: string, value: unknown) => setFinishedMarker(host.store, { key, value, block: block.number, validTo: order.validTo })
  // Accepted earlier in this incarnation, but its marker is not in the store: the store batch it
  // was written into was refused (see postedParts.ts). Write it again; never post the part twice.
  const posted = postedPartsOf(host)
  const accepted = (value: Record<string, unknown>) => posted.remember(uid, { marker: value, validTo: order.validTo })
  const known = posted.get(uid)
  if (known !== undefined) {
    await finish(submittedKey(uid), known.marker)
    host.log.info('TWAP part accepted earlier but its marker was not stored; marker written again, not posted', { uid, ...part })
    return done
  }
  // The last post of this UID ended in a transport fault: the orderbook may have stored it anyway.
  const inDoubt = backoff?.ambiguousUid === uid
  // The previous incarnation may have posted it (it became due before this one started): decided by
  // the part's start, not by the block polling it now (see recovery.ts).
  const recovering = mayHavePostedBefore(host, partStart(watch.params.staticInput, order.validTo))
  if (BigInt(order.validTo) < headTime) {
    // The orderbook refuses an expired order: posting it would only hide the loss. Say it instead,
    // unless an earlier post (before a restart, or one whose answer was lost) did get it there.
    if ((inDoubt || recovering) && (await lookUp(host, chainId, uid)) === 'found') {
      accepted({ ...marker, already: true })
      await finish(submittedKey(uid), { ...marker, already: true })
      return done
    }
    await finish(missedKey(uid), { ...marker, headTime })
    host.metrics.error('part_missed', 'TWAP part expired before it could be posted; recorded as missed', { uid, ...part, block: block.number, blockTime: now, headTime })
    return done
  }

  if (backoff !== undefined) {
    if (typeof backoff.until === 'bigint' && backoff.until > now) return { due: { kind: 'epoch', at: backoff.until } }
    await host.store.delete(backoffKey(watch.id))
  }
  // `ambiguous`: the post got no answer, so the next attempt looks the UID up first (a lookup that
  // answers clears the doubt: a later 5xx is the server's word that it did not store the order).
  const backOff = async (seconds: number, reason: string, ambiguous = false, quiet = false): Promise<SubmitPartReturnType> => {
    const until = now + BigInt(Math.max(1, Math.ceil(seconds)))
    await host.store.set(backoffKey(watch.id), { until, reason, uid, block: block.number, ...(ambiguous ? { ambiguousUid: uid } : {}) })
    // While posting is stopped every due part waits here: the health check says it once, not each part.
    host.log[quiet ? 'debug' : 'info']('TWAP part backing off', { uid, reason, until })
    return { due: { kind: 'epoch', at: until } }
  }

  // The real orderbook takes a bare hash only when it holds the document (else InvalidAppData,
  // "Unknown pre-image"): make sure it does, then post the hash as the watch-tower does; the
  // orderbook attaches the document it holds. The document is looked up once per hash.
  const appData = await resolveAppDataOnce(host, chainId, order.appData)
  if (appData.kind === 'notFound' || appData.kind === 'mismatch') return backOff(ERROR_TYPE_POLICY.InvalidAppData.action === 'backoff' ? ERROR_TYPE_POLICY.InvalidAppData.seconds : 60, `appData ${appData.kind}`)
  if (appData.kind === 'error') return backOff(TRANSPORT_BACKOFF_SECONDS, 'appData lookup failed')

  let body
  try {
    body = buildOrderCreation({ order, owner: watch.owner, signingScheme: 'eip1271', signature })
  } catch (error) {
    const reason = errorMessage(error)
    await finish(droppedKey(uid), { ...marker, reason })
    host.log.warn('TWAP part cannot be posted; dropped', { uid, reason })
    return done
  }
  if (inDoubt || recovering) {
    const found = await lookUp(host, chainId, uid)
    if (found === 'unknown') return inDoubt ? backOff(1, 'orderbook lookup failed', true) : { due: { kind: 'block', at: block.number + 1n } }
    if (found === 'found') {
      accepted({ ...marker, already: true })
      await finish(submittedKey(uid), { ...marker, already: true })
      host.log.info(`TWAP part already in the orderbook (${inDoubt ? 'its last post ended in a transport fault' : 'posted before the restart'})`, { uid, ...part })
      return done
    }
  }
  // The queue and a lookup take time: a newer block handled meanwhile may have ended the part's
  // window. The orderbook would refuse it; say it is missed instead of posting it late.
  const latest = latestBlockTime(host)
  if (latest !== undefined && BigInt(order.validTo) < latest) {
    await finish(missedKey(uid), { ...marker, headTime: latest })
    host.metrics.error('part_missed', 'TWAP part expired before it could be posted; recorded as missed', { uid, ...part, block: block.number, blockTime: now, headTime: latest })
    return done
  }
  const ticket = gate.admit()
  if (!ticket.go) return backOff(ticket.retryInSeconds, 'order posts stopped: the orderbook does not answer about orders (see health check "submissions")', false, true)
  try {
    await host.cowApi.submitOrder(chainId, body)
  } catch (error) {
    const decision = classifyApiError(error, host.log)
    const refusedFor = gate.settle(ticket, error, decision)
    switch (decision.action) {
      case 'submitted-already':
        accepted({ ...marker, already: true })
        await finish(submittedKey(uid), { ...marker, already: true })
        host.log.info('TWAP part already in the orderbook', { uid, ...part })
        return done
      case 'retry-next-block':
        host.log.info('TWAP part submit failed; retrying next block', { uid, reason: decision.reason })
        return { due: { kind: 'block', at: block.number + 1n } }
      case 'backoff':
        return backOff(isGuessedServerFault(error) ? fitRetryToWindow(decision.seconds, now, order.validTo) : decision.seconds, decision.reason, isTransportFault(error))
      case 'stop':
        // Not the order's fault: it is kept. While the gate is open, retries fit the part's window.
        return backOff(gate.stopped ? (refusedFor ?? decision.seconds) : fitRetryToWindow(refusedFor ?? decision.seconds, now, order.validTo), decision.reason)
      case 'drop':
        await finish(droppedKey(uid), { ...marker, reason: decision.reason })
        host.log.warn('TWAP part dropped', { uid, reason: decision.reason })
        return done
    }
  }
  gate.settle(ticket)
  // Remembered before the marker is written: the post happened whatever becomes of the write.
  accepted(marker)
  await finish(submittedKey(uid), marker)
  host.log.info('TWAP part submitted', { uid, ...part, block: block.number })
  return done
}
