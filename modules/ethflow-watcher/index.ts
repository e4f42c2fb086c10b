import type { Hex } from 'viem'
import {
  computeUid,
  decodeOrderInvalidation,
  decodeOrderPlacement,
  decodeOrderRefund,
  defineModule,
  deleteFinishedMarker,
  inShard,
  orderInvalidationEvent,
  orderPlacementEvent,
  orderRefundEvent,
  pruneFinished,
  setFinishedMarker,
  type BlockRef,
  type Host,
  type ModuleLog,
  errorMessage,
} from '../sdk/index.ts'
import { checkDueOrders } from './checkDueOrders.ts'
import { ethflowWatcherConfig, type EthflowWatcherConfig } from './config.ts'
import { dueKey } from '../sdk/index.ts'
import { closedKey, isSettled, removeWatch, watchKey, type EthflowWatch } from './watchStore.ts'

const EXPIRY_NEVER = 0xffffffff

/** Starts watching the order of one OrderPlacement, unless it is known or already settled. */
async function placed(host: Host, config: EthflowWatcherConfig, block: BlockRef, log: ModuleLog, seen: Set<string>) {
  const placement = decodeOrderPlacement(log)
  if (!placement.ok) return false
  // The UID's owner is the EthFlow contract for every order: the shard goes by the sender, the user.
  if (!inShard(placement.value.sender, config.shard)) return true
  let uid: Hex
  try {
    uid = computeUid(config.chainId, { ...placement.value.order, validTo: EXPIRY_NEVER }, log.address)
  } catch (error) {
    host.log.warn('OrderPlacement with an order that has no UID; ignored', { tx: log.transactionHash, error: errorMessage(error) })
    return true
  }
  if (seen.has(uid)) return true // the same placement twice in one batch
  seen.add(uid)
  // One round trip: the watch and the three end markers are read together.
  const [watched, settled] = await Promise.all([host.store.get(watchKey(uid)), isSettled(host.store, uid)])
  if (watched !== undefined || settled) return true
  const placedAt = block.timestamp
  const key = dueKey({ kind: 'epoch', at: placedAt + BigInt(config.checkDelaySeconds) }, uid)
  const watch: EthflowWatch = {
    uid,
    ethFlow: log.address,
    sender: placement.value.sender,
    placedAt,
    deadline: placedAt + BigInt(config.deadlineSeconds),
    createdBlock: log.blockNumber,
    createdBlockHash: log.blockHash,
    createdLogIndex: log.logIndex,
    dueKey: key,
    errors: 0,
  }
  await Promise.all([host.store.set(key, uid), host.store.set(watchKey(uid), watch)])
  host.log.info('watching EthFlow order', { uid, sender: watch.sender, block: log.blockNumber })
  return true
}

/** Closes the watch of an invalidated or refunded order and leaves `closed:<uid>`. */
async function closed(host: Host, log: ModuleLog) {
  const invalidation = decodeOrderInvalidation(log)
  const refund = invalidation.ok ? undefined : decodeOrderRefund(log)
  const uid = invalidation.ok ? invalidation.value.orderUid : refund?.ok ? refund.value.orderUid : undefined
  if (uid === undefined) return false
  const reason = invalidation.ok ? 'invalidated' : 'refunded'
  const lower = uid.toLowerCase()
  const watch = await host.store.get<EthflowWatch>(watchKey(lower))
  if (watch !== undefined) await removeWatch(host.store, watch)
  // Written on every shard: an invalidation or refund names only the UID, whose owner is the
  // EthFlow contract, so the sender's shard cannot be told from the log. Pruned like the others.
  await setFinishedMarker(host.store, { key: closedKey(lower), block: log.blockNumber, value: { reason, block: log.blockNumber, blockHash: log.blockHash, logIndex: log.logIndex } })
  host.log.info('EthFlow order closed', { uid: lower, reason, watched: watch !== undefined })
  return true
}

/**
 * ethflow-watcher: follows EthFlow `OrderPlacement` logs and checks that the orderbook indexes each
 * order (GET /orders/{uid}) within `deadlineSeconds`, alerting `ethflow-missing` once otherwise.
 * Invalidated or refunded orders stop being watched. It never posts orders. See README.md.
 */
export default defineModule<EthflowWatcherConfig>({
  name: 'ethflow-watcher',
  config: ethflowWatcherConfig,
  subscriptions: (config) => ({
    blocks: [{ chainId: config.chainId }],
    logs: [orderPlacementEvent, orderInvalidationEvent, orderRefundEvent].map((event) => ({
      id: `ethflow:${event.name}`,
      chainId: config.chainId,
      address: config.ethFlows,
      event,
    })),
  }),

  // Repairs the schedule after a crash between writes: every watch gets its due entry back.
  async init({ host }) {
    for (const [, watch] of await host.store.list<EthflowWatch>('watch:'))
      if (typeof watch?.dueKey === 'string' && (await host.store.get(watch.dueKey)) === undefined) await host.store.set(watch.dueKey, watch.uid)
  },

  async onLogs({ host, config, block, logs }) {
    const ethFlows = new Set(config.ethFlows.map((address) => address.toLowerCase()))
    const mine = logs.filter((log) => log.chainId === config.chainId && typeof log.address === 'string' && ethFlows.has(log.address.toLowerCase()))
    // Placements all at once (the store batches their reads and writes); then closures in log
    // order, so an order placed and closed in the same batch ends closed.
    const seen = new Set<string>()
    const wasPlacement = await Promise.all(mine.map((log) => placed(host, config, block, log, seen)))
    for (const [index, log] of mine.entries()) {
      if (wasPlacement[index] || (await closed(host, log))) continue
      host.log.warn('EthFlow log does not decode; ignored', { tx: log.transactionHash, logIndex: log.logIndex, topic0: log.topics?.[0] })
    }
  },

  async onBlock({ host, config, block }) {
    if (block.chainId !== config.chainId) return
    // Pruning touches only markers `retainFinishedBlocks` (>= 256) blocks old, never one this block's checks write.
    const [checked, { pruned }] = await Promise.all([
      checkDueOrders({ host, config, block }),
      pruneFinished({ store: host.store, block, retainBlocks: config.retainFinishedBlocks }),
    ])
    if (checked > 0 || pruned > 0) host.log.debug('checked due EthFlow orders', { block: block.number, checked, pruned })
  },

  async onReorg({ host, config, reorg }) {
    if (reorg.chainId !== config.chainId) return
    for (const log of reorg.removedLogs) {
      const placement = decodeOrderPlacement(log)
      if (placement.ok) {
        let uid: Hex
        try {
          uid = computeUid(config.chainId, { ...placement.value.order, validTo: EXPIRY_NEVER }, log.address)
        } catch {
          continue
        }
        const watch = await host.store.get<EthflowWatch>(watchKey(uid))
        if (watch !== undefined && watch.createdBlock >= reorg.fromBlock) {
          await removeWatch(host.store, watch)
          host.log.info('EthFlow watch removed by a reorg', { uid, createdBlock: watch.createdBlock, fromBlock: reorg.fromBlock })
        }
        continue
      }
      // A removed invalidation/refund no longer closes the order: forget its marker.
      const invalidation = decodeOrderInvalidation(log)
      const refund = invalidation.ok ? undefined : decodeOrderRefund(log)
      const uid = invalidation.ok ? invalidation.value.orderUid : refund?.ok ? refund.value.orderUid : undefined
      if (uid === undefined) continue
      const marker = await host.store.get<{ block: bigint }>(closedKey(uid.toLowerCase()))
      if (marker !== undefined && marker.block >= reorg.fromBlock) await deleteFinishedMarker(host.store, closedKey(uid.toLowerCase()), { block: marker.block })
    }
  },
})
