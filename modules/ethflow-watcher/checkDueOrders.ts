import { EMPTY_APP_DATA_HASH, classifyApiError, errorMessage, keccak256Utf8, reportFailure, reportSuccess, setFinishedMarker, type BlockRef, type Host } from '../sdk/index.ts'
import type { EthflowWatcherConfig } from './config.ts'
import { DUE_EPOCH_PREFIX, takeDue } from '../sdk/index.ts'
import { runBounded } from '../sdk/index.ts'
import { droppedKey, observedKey, removeWatch, rescheduleWatch, watchKey, type EthflowWatch } from './watchStore.ts'

export type CheckDueOrdersParameters = { host: Host; config: EthflowWatcherConfig; block: BlockRef }

/** The orderbook's answer to GET /orders/{uid}, read from unknown. */
type Answer =
  | { kind: 'found'; status: string | null; appData: AppDataSeen }
  | { kind: 'absent' }
  | { kind: 'failed'; reason: string }
  /** An answer that is not the orderbook's about this order (a wrong URL, an auth proxy): never a reason to give up on it. */
  | { kind: 'refused'; reason: string }

/**
 * What the orderbook holds of the order's appData: `held` (its `fullAppData` hashes to the order's
 * `appData`, or the order carries the empty document), `missing` (no document: its hooks and partner
 * fee cannot apply), `mismatch` (a document of another hash), `unread` (the answer has no appData hash).
 */
export type AppDataSeen = { hash: string | null; document: 'held' | 'missing' | 'mismatch' | 'unread' }

function appDataSeen(order: { appData?: unknown; fullAppData?: unknown }): AppDataSeen {
  const hash = typeof order.appData === 'string' ? order.appData.toLowerCase() : null
  if (hash === null) return { hash, document: 'unread' }
  if (typeof order.fullAppData !== 'string') return { hash, document: hash === EMPTY_APP_DATA_HASH ? 'held' : 'missing' }
  return { hash, document: keccak256Utf8(order.fullAppData) === hash ? 'held' : 'mismatch' }
}

/** The health check ethflow-watcher reports when the orderbook's answers are not about orders. */
export const LOOKUPS_CHECK = 'lookups'
/** Refused lookups in a row after which the `lookups` check is degraded. */
const DEGRADE_AFTER_REFUSALS = 5


async function ask(host: Host, chainId: number, uid: string): Promise<Answer> {
  let answer: unknown
  try {
    answer = await host.cowApi.getOrder(chainId, uid)
  } catch (error) {
    const decision = classifyApiError(error)
    return decision.action === 'stop' ? { kind: 'refused', reason: decision.reason } : { kind: 'failed', reason: errorMessage(error) }
  }
  if (answer === null) return { kind: 'absent' }
  const found = typeof answer === 'object' ? (answer as { uid?: unknown; status?: unknown; appData?: unknown; fullAppData?: unknown }) : undefined
  // Anything but an order carrying our UID is an unreadable answer, not a sighting.
  if (found === undefined || typeof found.uid !== 'string' || found.uid.toLowerCase() !== uid.toLowerCase())
    return { kind: 'failed', reason: `unreadable answer (${typeof answer})` }
  return { kind: 'found', status: typeof found.status === 'string' ? found.status : null, appData: appDataSeen(found) }
}

async function check(host: Host, config: EthflowWatcherConfig, block: BlockRef, watch: EthflowWatch) {
  const now = block.timestamp
  const answer = await ask(host, config.chainId, watch.uid)
  if (answer.kind === 'found' || answer.kind === 'absent') reportSuccess(host, LOOKUPS_CHECK)
  if (answer.kind === 'found') {
    const delaySeconds = now - watch.placedAt
    await setFinishedMarker(host.store, { key: observedKey(watch.uid), block: block.number, value: { block: block.number, timestamp: now, delaySeconds, status: answer.status, appData: answer.appData.hash, appDataDocument: answer.appData.document } })
    await removeWatch(host.store, watch)
    host.log.info('EthFlow order seen by the orderbook', { uid: watch.uid, delaySeconds, block: block.number, appDataDocument: answer.appData.document })
    // Seen, so not missing; but an order whose document the orderbook lacks loses its hooks and partner fee: say so.
    if (answer.appData.document === 'missing' || answer.appData.document === 'mismatch')
      host.log.warn(`EthFlow order seen, but the orderbook's appData document is ${answer.appData.document}`, { uid: watch.uid, appData: answer.appData.hash })
    return
  }
  if (answer.kind === 'absent') {
    if (now >= watch.deadline) {
      await setFinishedMarker(host.store, { key: droppedKey(watch.uid), block: block.number, value: { reason: 'missing', block: block.number, timestamp: now, placedAt: watch.placedAt, deadline: watch.deadline } })
      await removeWatch(host.store, watch)
      host.metrics.alert('ethflow-missing', 'EthFlow order not in the orderbook by its deadline', {
        uid: watch.uid,
        ethFlow: watch.ethFlow,
        sender: watch.sender,
        placedAt: watch.placedAt,
        deadlineSeconds: config.deadlineSeconds,
        block: block.number,
      })
      return
    }
    const next = now + BigInt(config.recheckSeconds)
    return rescheduleWatch(host.store, watch, next < watch.deadline ? next : watch.deadline, 0)
  }
  const errors = watch.errors + 1
  if (answer.kind === 'refused') {
    // Not the orderbook's word on the order: the order is never declared missing or given up for it.
    reportFailure(host, {
      check: LOOKUPS_CHECK,
      degradeAfter: DEGRADE_AFTER_REFUSALS,
      errorKind: 'orderbook_refused',
      message: `Orderbook answer is not about the order: ${answer.reason}`,
      reason:
        `order lookups get answers that are not the orderbook's (last: ${answer.reason}). ` +
        'No EthFlow order is declared missing or given up while this lasts; each is checked again with back-off. ' +
        `What to do: check [chains.${config.chainId}] orderbook_url and any proxy or firewall in front of it.`,
      fields: { uid: watch.uid, block: block.number },
    })
  } else if (now >= watch.deadline && errors >= config.maxCheckErrors) {
    await setFinishedMarker(host.store, { key: droppedKey(watch.uid), block: block.number, value: { reason: 'unverified', lastError: answer.reason, errors, block: block.number, timestamp: now, placedAt: watch.placedAt } })
    await removeWatch(host.store, watch)
    host.log.warn('EthFlow order could not be verified; giving up', { uid: watch.uid, errors, lastError: answer.reason })
    return
  }
  const backoff = Math.min(2 ** Math.min(errors - 1, 30), config.maxErrorBackoffSeconds)
  if (answer.kind === 'failed') host.log.warn('EthFlow order check failed; retrying later', { uid: watch.uid, errors, backoffSeconds: backoff, reason: answer.reason })
  await rescheduleWatch(host.store, watch, now + BigInt(backoff), errors)
}

/**
 * One block's work: GET /orders/{uid} for each watch due by the block's timestamp (at most
 * `checkConcurrency` in flight), then observed / recheck / missing (alert once) / retry. Never posts.
 *
 * @example
 * await checkDueOrders({ host, config, block })
 */
export async function checkDueOrders({ host, config, block }: CheckDueOrdersParameters): Promise<number> {
  const entries = await takeDue(host.store, DUE_EPOCH_PREFIX, block.timestamp, config.maxChecksPerBlock)
  const watches: EthflowWatch[] = []
  const loaded = await Promise.all(entries.map(([, uid]) => host.store.get<EthflowWatch>(watchKey(uid))))
  const stale: Array<Promise<void>> = []
  for (const [index, [key]] of entries.entries()) {
    const watch = loaded[index]
    if (watch === undefined || watch.dueKey !== key) stale.push(host.store.delete(key)) // left by an unfinished reschedule
    else watches.push(watch)
  }
  await Promise.all(stale)
  await runBounded(watches, config.checkConcurrency, (watch) => check(host, config, block, watch), (error, watch) =>
    host.log.error('EthFlow check failed; the watch stays due', { uid: watch.uid, error: errorMessage(error) }),
  )
  return watches.length
}
