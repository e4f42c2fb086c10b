import { conditionalOrderCreatedEvent, decodeConditionalOrderCreated, defineModule, type Host, type ModuleLog } from '../sdk/index.ts'
import { inShard, pruneFinished } from '../sdk/index.ts'
import { twapMonitorConfig, type TwapMonitorConfig } from './config.ts'
import { dueKey } from '../sdk/index.ts'
import { pollDueWatches } from './pollDueWatches.ts'
import { beginRecovery, observeRecoveryBlock } from './recovery.ts'
import { submissionQueueOf } from './submissionQueue.ts'
import { removeWatch, twapWatchId, watchKey, type TwapWatch } from './watchStore.ts'

/** Creates the watch for one ConditionalOrderCreated log, unless its handler is not watched or it exists. */
async function watchCreated(host: Host, config: TwapMonitorConfig, log: ModuleLog, watched: Set<string>, ids: Set<string>) {
  if (log.chainId !== config.chainId || log.address?.toLowerCase?.() !== config.composableCow.toLowerCase()) return
  const created = decodeConditionalOrderCreated(log)
  if (!created.ok) {
    host.log.warn('ConditionalOrderCreated log does not decode; ignored', { tx: log.transactionHash, logIndex: log.logIndex, reason: created.error.reason })
    return
  }
  const { owner, params } = created.value
  // Another instance's shard: it creates this watch (every owner is in exactly one shard).
  if (!inShard(owner, config.shard)) return
  if (!watched.has(params.handler.toLowerCase())) {
    host.log.debug('conditional order for an unwatched handler; ignored', { owner, handler: params.handler })
    return
  }
  const id = twapWatchId(owner, params)
  if (ids.has(id)) return
  ids.add(id)
  if ((await host.store.get(watchKey(id))) !== undefined) return // the same log again, or the same order created twice
  // Due at once: the first poll (next block handled) says when the order really starts.
  const key = dueKey({ kind: 'block', at: log.blockNumber }, id)
  const watch: TwapWatch = {
    id,
    owner,
    params,
    createdBlock: log.blockNumber,
    createdBlockHash: log.blockHash,
    createdLogIndex: log.logIndex,
    dueKey: key,
    unknowns: 0,
  }
  await Promise.all([host.store.set(key, id), host.store.set(watchKey(id), watch)])
  host.log.info('watching conditional order', { watch: id, owner, handler: params.handler, block: log.blockNumber })
}

/**
 * twap-monitor: turns ComposableCoW `ConditionalOrderCreated` logs of watched handlers into
 * watches, polls the due ones each block with `getTradeableOrderWithSignature` in one multicall,
 * and posts each tradeable part once (eip1271, from = owner). See README.md.
 */
export default defineModule<TwapMonitorConfig>({
  name: 'twap-monitor',
  config: twapMonitorConfig,
  subscriptions: (config) => ({
    blocks: [{ chainId: config.chainId }],
    logs: [{ id: 'composable-cow:ConditionalOrderCreated', chainId: config.chainId, address: config.composableCow, event: conditionalOrderCreatedEvent }],
  }),

  // Repairs the schedule after a crash between writes: every watch gets its due entry back. With
  // watches in the store this is a restart: parts the previous life posted in its last moments may
  // lack their marker, so the blocks it may have handled are checked against the orderbook first.
  async init({ host, config }) {
    let repaired = 0
    const watches = await host.store.list<TwapWatch>('watch:')
    if (watches.length > 0) {
      const window = await beginRecovery(host, config.chainId)
      host.log.info('restarted with watches; orderbook checked before posting while recovering', { watches: watches.length, ...window })
    }
    for (const [, watch] of watches) {
      if (typeof watch?.dueKey !== 'string') continue
      if ((await host.store.get(watch.dueKey)) === undefined) {
        await host.store.set(watch.dueKey, watch.id)
        repaired++
      }
    }
    if (repaired > 0) host.log.warn('due schedule repaired', { repaired })
  },

  async onLogs({ host, config, logs }) {
    const watched = new Set(config.handlers.map((handler) => handler.toLowerCase()))
    // All logs at once, so the store batches the writes; the same order twice in one batch is created once.
    const ids = new Set<string>()
    await Promise.all(logs.map((log) => watchCreated(host, config, log, watched, ids)))
  },

  async onBlock({ host, config, block }) {
    if (block.chainId !== config.chainId) return
    observeRecoveryBlock(host, block)
    // Pruning only touches markers whose part expired `retainFinishedBlocks` ago, never one this
    // block's polls can meet, so it runs beside them (its store reads share their batch).
    const [pass, { pruned }] = await Promise.all([
      pollDueWatches({ host, config, block }),
      pruneFinished({ store: host.store, block, retainBlocks: config.retainFinishedBlocks }),
    ])
    if (pass.polled > 0 || pass.stale > 0 || pass.backlog > 0 || pruned > 0) host.log.debug('polled due watches', { block: block.number, ...pass, pruned })
  },

  async onReorg({ host, config, reorg }) {
    if (reorg.chainId !== config.chainId) return
    // A part still posting would reschedule its watch after this removed it: let the posts settle first.
    await submissionQueueOf(host, config.submitConcurrency).idle()
    for (const log of reorg.removedLogs) {
      const created = decodeConditionalOrderCreated(log)
      if (!created.ok) continue
      const watch = await host.store.get<TwapWatch>(watchKey(twapWatchId(created.value.owner, created.value.params)))
      // Only a watch created inside the replaced blocks goes; an older creation still stands.
      if (watch === undefined || watch.createdBlock < reorg.fromBlock) continue
      await removeWatch(host.store, watch)
      host.log.info('watch removed by a reorg', { watch: watch.id, createdBlock: watch.createdBlock, fromBlock: reorg.fromBlock })
    }
  },
})
