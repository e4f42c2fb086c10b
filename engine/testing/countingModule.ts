import { parseAbiItem } from 'viem'
import { z } from 'zod'
import { zAddress } from '../../modules/sdk/config/zodTypes.ts'
import { defineModule } from '../../modules/sdk/module/defineModule.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')
const key = (n: bigint) => n.toString().padStart(12, '0')

/**
 * A test module that counts: every block and every log it receives is a store key whose value is
 * how many times it arrived, and `order-violations` counts anything out of chain order.
 * Used by the engine integration tests and as the smallest example of a module.
 */
export default defineModule({
  name: 'counting',
  config: z.strictObject({
    chainId: z.number().int().default(11155111),
    emitter: zAddress.optional(),
    blocks: z.boolean().default(true),
  }),
  subscriptions: (config) => ({
    blocks: config.blocks ? [{ chainId: config.chainId }] : [],
    logs: config.emitter ? [{ chainId: config.chainId, address: config.emitter, event: ping }] : [],
  }),
  async onLogs({ host, logs }) {
    let last = (await host.store.get<[bigint, number]>('last-log')) ?? [-1n, -1]
    for (const log of logs) {
      const id = `log:${key(log.blockNumber)}:${log.logIndex.toString().padStart(5, '0')}`
      await host.store.set(id, ((await host.store.get<number>(id)) ?? 0) + 1)
      if (log.blockNumber < last[0] || (log.blockNumber === last[0] && log.logIndex <= last[1]))
        await host.store.set('order-violations', ((await host.store.get<number>('order-violations')) ?? 0) + 1)
      last = [log.blockNumber, log.logIndex]
      if (log.decoded?.args.seq === undefined) await host.store.set('undecoded', true)
    }
    await host.store.set('last-log', last)
  },
  async onBlock({ host, block }) {
    const id = `block:${key(block.number)}`
    await host.store.set(id, ((await host.store.get<number>(id)) ?? 0) + 1)
    const last = await host.store.get<bigint>('last-block')
    if (last !== undefined && block.number !== last + 1n)
      await host.store.set('order-violations', ((await host.store.get<number>('order-violations')) ?? 0) + 1)
    await host.store.set('last-block', block.number)
  },
})
