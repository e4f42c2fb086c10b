import type { Hex } from 'viem'
import {
  ERROR_TYPE_POLICY,
  TRANSPORT_BACKOFF_SECONDS,
  buildOrderCreation,
  classifyApiError,
  computeUid,
  resolveAppData,
  type BlockRef,
  type GPv2OrderData,
  type Host,
} from '../sdk/index.ts'
import type { Due } from '../sdk/index.ts'
import { nextPartStart, partIndex } from './nextPartStart.ts'
import { backoffKey, droppedKey, submittedKey, type TwapWatch } from './watchStore.ts'

export type SubmitPartParameters = {
  host: Host
  chainId: number
  block: BlockRef
  watch: TwapWatch
  order: GPv2OrderData
  signature: Hex
  /** UIDs already being handled in this block (two watches may yield the same order). */
  claimed: Set<string>
}

/** What to do with the watch after handling a tradeable order. */
export type SubmitPartReturnType = { due: Due } | { unknown: string }

/** Due when the next part starts, or next block when that cannot be known or is already past. */
export function afterPart(watch: TwapWatch, validTo: number, block: BlockRef): Due {
  const next = nextPartStart(watch.params.staticInput, validTo)
  return next !== undefined && next > block.timestamp ? { kind: 'epoch', at: next } : { kind: 'block', at: block.number + 1n }
}

/**
 * Handles a tradeable order from a poll: skips expired and already-handled parts, resolves the
 * appData, posts the order (eip1271, from = owner) and writes the marker the outcome calls for.
 * Returns when the watch is due next; never throws for orderbook answers (store faults do throw).
 *
 * @example
 * const next = await submitPart({ host, chainId, block, watch, order, signature, claimed: new Set() })
 */
export async function submitPart(parameters: SubmitPartParameters): Promise<SubmitPartReturnType> {
  const { host, chainId, block, watch, order, signature, claimed } = parameters
  const now = block.timestamp
  const done = { due: afterPart(watch, order.validTo, block) }
  if (BigInt(order.validTo) < now) {
    host.log.debug('TWAP part already expired; not submitted', { watch: watch.id, validTo: order.validTo, block: block.number })
    return done
  }
  let uid: Hex
  try {
    uid = computeUid(chainId, order, watch.owner)
  } catch (error) {
    return { unknown: error instanceof Error ? error.message.split('\n')[0]! : String(error) }
  }
  if (claimed.has(uid)) return done
  claimed.add(uid)
  // One round trip for the three reads (the store answers them in one batch).
  const [submitted, dropped, backoff] = await Promise.all([
    host.store.get(submittedKey(uid)),
    host.store.get(droppedKey(uid)),
    host.store.get<{ until: bigint }>(backoffKey(watch.id)),
  ])
  if (submitted !== undefined || dropped !== undefined) return done

  if (backoff !== undefined) {
    if (typeof backoff.until === 'bigint' && backoff.until > now) return { due: { kind: 'epoch', at: backoff.until } }
    await host.store.delete(backoffKey(watch.id))
  }
  const backOff = async (seconds: number, reason: string): Promise<SubmitPartReturnType> => {
    const until = now + BigInt(Math.max(1, Math.ceil(seconds)))
    await host.store.set(backoffKey(watch.id), { until, reason, uid, block: block.number })
    host.log.info('TWAP part backing off', { uid, reason, until })
    return { due: { kind: 'epoch', at: until } }
  }

  const appData = await resolveAppData(host, chainId, order.appData)
  if (appData.kind === 'notFound' || appData.kind === 'mismatch') return backOff(ERROR_TYPE_POLICY.InvalidAppData.action === 'backoff' ? ERROR_TYPE_POLICY.InvalidAppData.seconds : 60, `appData ${appData.kind}`)
  if (appData.kind === 'error') return backOff(TRANSPORT_BACKOFF_SECONDS, 'appData lookup failed')

  const part = { watchId: watch.id, owner: watch.owner, validTo: order.validTo, part: partIndex(watch.params.staticInput, order.validTo) ?? null }
  const marker = { ...part, block: block.number, timestamp: now }
  let body
  try {
    body = buildOrderCreation({ order, owner: watch.owner, signingScheme: 'eip1271', signature })
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error)
    await host.store.set(droppedKey(uid), { ...marker, reason })
    host.log.warn('TWAP part cannot be posted; dropped', { uid, reason })
    return done
  }
  try {
    await host.cowApi.submitOrder(chainId, body)
  } catch (error) {
    const decision = classifyApiError(error, host.log)
    switch (decision.action) {
      case 'submitted-already':
        await host.store.set(submittedKey(uid), { ...marker, already: true })
        host.log.info('TWAP part already in the orderbook', { uid, ...part })
        return done
      case 'retry-next-block':
        host.log.info('TWAP part submit failed; retrying next block', { uid, reason: decision.reason })
        return { due: { kind: 'block', at: block.number + 1n } }
      case 'backoff':
        return backOff(decision.seconds, decision.reason)
      case 'drop':
        await host.store.set(droppedKey(uid), { ...marker, reason: decision.reason })
        host.log.warn('TWAP part dropped', { uid, reason: decision.reason })
        return done
    }
  }
  await host.store.set(submittedKey(uid), marker)
  host.log.info('TWAP part submitted', { uid, ...part, block: block.number })
  return done
}
