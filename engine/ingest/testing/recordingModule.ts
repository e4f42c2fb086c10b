import { parseAbiItem } from 'viem'
import { z } from 'zod'
import { zAddress } from '../../../modules/sdk/config/zodTypes.ts'
import { defineModule } from '../../../modules/sdk/module/defineModule.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')

/** Adds one to a counter key in the module store. */
async function bump(store: { get<T>(key: string): Promise<T | undefined>; set(key: string, value: unknown): Promise<void> }, key: string) {
  await store.set(key, ((await store.get<number>(key)) ?? 0) + 1)
}

/**
 * A test module for ingestion under faults: it counts every delivery by block hash, so a test can
 * compare against the final chain: `block:<number>:<hash>`, `log:<blockHash>:<logIndex>`, and
 * `removed:<blockHash>:<logIndex>` for logs a reorg took back, plus `reorgs`.
 */
export default defineModule({
  name: 'recording',
  config: z.strictObject({ chainId: z.number().int().default(11155111), emitter: zAddress }),
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }], logs: [{ chainId: config.chainId, address: config.emitter, event: ping }] }),
  async onLogs({ host, logs }) {
    for (const log of logs) await bump(host.store, `log:${log.blockHash}:${log.logIndex}`)
  },
  async onBlock({ host, block }) {
    await bump(host.store, `block:${block.number.toString().padStart(12, '0')}:${block.hash}`)
  },
  async onReorg({ host, reorg }) {
    await bump(host.store, 'reorgs')
    for (const log of reorg.removedLogs) await bump(host.store, `removed:${log.blockHash}:${log.logIndex}`)
  },
})
