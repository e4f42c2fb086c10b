import { encodeFunctionData } from 'viem'
import { buildOrderCreation, classifyApiError, readHeadTime, setPreSignatureFunction, submissionGate, type BlockRef, type Host } from '../sdk/index.ts'
import type { PendingOrder } from './buildStopLossOrder.ts'
import type { StopLossConfig } from './config.ts'
import { nextRetry, type BackoffState } from './nextRetry.ts'

/** The store markers of one order: done, given up, waiting. */
export const markers = (uid: string) => ({ submitted: `submitted:${uid}`, dropped: `dropped:${uid}`, backoff: `backoff:${uid}` })

/**
 * Gives the order up: `dropped:<uid>` with the reason, an Error log and a `stop-loss-dropped` alert.
 *
 * @example
 * await dropPending(host, pending, block, 'validTo passed before the trigger')
 */
export async function dropPending(host: Host, pending: PendingOrder, block: BlockRef, reason: string): Promise<void> {
  const keys = markers(pending.uid)
  await host.store.set(keys.dropped, { reason, block: block.number })
  await host.store.delete(keys.backoff)
  host.log.error('stop-loss order dropped', { uid: pending.uid, reason, block: block.number })
  host.metrics.alert('stop-loss-dropped', `Stop-loss order ${pending.uid} dropped: ${reason}`, { uid: pending.uid, reason, block: block.number })
}

/**
 * Submits the pending order once it is due (no back-off in force), then records the outcome:
 * accepted or DuplicatedOrder -> `submitted:<uid>`; a final errorType about the order ->
 * `dropped:<uid>` with the reason; a retry-class error -> `backoff:<uid>` (bounded exponential), or
 * `dropped:<uid>` "retries exhausted" after `maxAttempts`. An answer that is not about the order
 * (404 from another server, 401/403 from a proxy, an unknown errorType) never drops it and does not
 * count as an attempt: the order waits and the module's submission gate stops posting while such
 * answers repeat (health check `submissions`), resuming when the orderbook answers again. An order
 * whose validTo has passed at the chain's head is dropped without a post. Never throws on an
 * orderbook error.
 *
 * @example
 * await submitPending(host, config, pending, block)
 */
export async function submitPending(host: Host, config: StopLossConfig, pending: PendingOrder, block: BlockRef): Promise<void> {
  const keys = markers(pending.uid)
  const backoff = await host.store.get<BackoffState>(keys.backoff)
  const now = host.clock.now()
  if (backoff !== undefined && (block.number < backoff.notBeforeBlock || now < backoff.notBefore)) return
  const head = await readHeadTime(host, config.chainId, block)
  if (BigInt(pending.order.validTo) < head.timestamp) return dropPending(host, pending, block, `validTo ${pending.order.validTo} passed (chain time ${head.timestamp}) before the orderbook took the order`)
  // Waits without counting an attempt: the orderbook said nothing about the order.
  const wait = async (seconds: number, reason: string) => {
    const state: BackoffState = { attempts: backoff?.attempts ?? 0, notBefore: now + Math.ceil(seconds * 1000), notBeforeBlock: block.number + 1n, reason }
    await host.store.set(keys.backoff, state)
    host.log.warn('stop-loss order kept: the answer was not about the order; will retry', { uid: pending.uid, reason, retryInSeconds: seconds })
  }
  const gate = submissionGate(host, { stopAfter: config.stopSubmissionsAfter, chainId: config.chainId })
  const ticket = gate.admit()
  if (!ticket.go) return wait(ticket.retryInSeconds, 'order posts stopped: the orderbook does not answer about orders (see health check "submissions")')

  // PreSign: `from` is the owner and the signature is the owner's address, as cow-sdk's trading
  // package sends it; the owner still has to call setPreSignature(uid, true) on the settlement.
  // The stored owner, not the config's: the UID was computed with it.
  const body = buildOrderCreation({ order: pending.order, owner: pending.owner, signingScheme: 'presign', signature: pending.owner })
  try {
    const uid = await host.cowApi.submitOrder(config.chainId, body)
    gate.settle(ticket)
    if (typeof uid !== 'string' || uid.toLowerCase() !== pending.uid)
      host.log.warn('the orderbook answered another UID than the one computed; check the order encoding', { computed: pending.uid, answered: String(uid) })
    await host.store.set(keys.submitted, { block: block.number, duplicate: false })
    await host.store.delete(keys.backoff)
    host.log.info('stop-loss order submitted; the owner must pre-sign it', {
      uid: pending.uid, block: block.number, attempts: (backoff?.attempts ?? 0) + 1,
      setPreSignatureCalldata: encodeFunctionData({ abi: [setPreSignatureFunction], args: [pending.uid, true] }),
    })
    return
  } catch (error) {
    const decision = classifyApiError(error, host.log)
    const refusedFor = gate.settle(ticket, error, decision)
    if (decision.action === 'submitted-already') {
      await host.store.set(keys.submitted, { block: block.number, duplicate: true })
      await host.store.delete(keys.backoff)
      return host.log.info('stop-loss order already in the orderbook; done', { uid: pending.uid, block: block.number })
    }
    if (decision.action === 'drop') return dropPending(host, pending, block, decision.reason)
    if (decision.action === 'stop') return wait(refusedFor ?? decision.seconds, decision.reason)
    const next = nextRetry({ previousAttempts: backoff?.attempts ?? 0, decision, config, now, block: block.number })
    if (next.kind === 'exhausted') return dropPending(host, pending, block, `retries exhausted after ${next.attempts} attempts (last: ${decision.reason})`)
    await host.store.set(keys.backoff, next.state)
    host.log.warn('stop-loss submission failed; will retry', { uid: pending.uid, reason: decision.reason, attempts: next.state.attempts, retryInSeconds: next.seconds })
  }
}
