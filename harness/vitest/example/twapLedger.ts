// A user's module, written against the SDK entry only (in your repository: from 'shepherd/sdk').
import { conditionalOrderCreatedEvent, decodeConditionalOrderCreated, decodeTwapStaticInput, defineModule } from '../../../modules/sdk/index.ts'

const COMPOSABLE_COW = '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74'
const TWAP_HANDLER = '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'

/** twap-ledger: one store entry per TWAP created on ComposableCoW, with its parts and interval. */
export default defineModule<{ chainId: number }>({
  name: 'twap-ledger',
  config: { parse: (input) => ({ chainId: 11155111, ...(input as object) }) },
  subscriptions: ({ chainId }) => ({ logs: [{ chainId, address: COMPOSABLE_COW, event: conditionalOrderCreatedEvent }] }),
  async onLogs({ host, logs }) {
    for (const log of logs) {
      const created = decodeConditionalOrderCreated(log)
      if (!created.ok) host.metrics.error('undecodable-log', created.error.message)
      if (!created.ok || created.value.params.handler !== TWAP_HANDLER) continue
      const twap = decodeTwapStaticInput(created.value.params.staticInput)
      if (!twap.ok) host.metrics.error('bad-twap', twap.error.message)
      else await host.store.set(`twap:${created.value.owner}:${created.value.params.salt}`, { n: twap.value.n, t: twap.value.t, block: log.blockNumber })
    }
  },
})
