// The README example, run: a tiny module written against the SDK entry only, tested with MockHost.
import { encodeErrorResult } from 'viem'
import { afterEach, expect, test } from 'vitest'
import {
  buildOrderCreation,
  classifyApiError,
  computeUid,
  createMockHost,
  decodePollReturn,
  defineModule,
  encodeGetTradeableOrderWithSignature,
  pollErrorsAbi,
  pollOutcomeFromError,
  type ConditionalOrderParams,
  type MockHost,
} from './index.ts'

const COMPOSABLE_COW = '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74'
type Watch = { owner: `0x${string}`; params: ConditionalOrderParams }

const pollOnce = defineModule<{ chainId: number }>({
  name: 'poll-once',
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
  async onBlock({ host, config, block }) {
    for (const [key, watch] of await host.store.list<Watch>('watch:')) {
      const data = encodeGetTradeableOrderWithSignature(watch.owner, watch.params)
      const outcome = await host.chain
        .call(config.chainId, { to: COMPOSABLE_COW, data }, { blockNumber: block.number })
        .then(decodePollReturn, pollOutcomeFromError)
      if (outcome.kind === 'notValid' || outcome.kind === 'never') await host.store.delete(key)
      if (outcome.kind !== 'order') continue
      const uid = computeUid(config.chainId, outcome.order, watch.owner)
      try {
        await host.cowApi.submitOrder(config.chainId, buildOrderCreation({ order: outcome.order, owner: watch.owner, signingScheme: 'eip1271', signature: outcome.signature }))
        await host.store.set(`submitted:${uid}`, block.number)
      } catch (error) {
        const decision = classifyApiError(error, host.log) // decide by the error's class, never by message
        if (decision.action === 'drop') await host.store.set(`dropped:${uid}`, decision.reason)
        // 'stop': not about the order (a wrong URL, a proxy): keep it; see submissionGate
        host.log.info('submit failed', { uid, action: decision.action })
      }
    }
  },
})

let mock: MockHost
afterEach(() => mock.dispose())

test('behavior: a watch whose poll says OrderNotValid is removed without a submission', async () => {
  mock = createMockHost({ module: pollOnce })
  const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
  await mock.store.set('watch:1', { owner, params: { handler: owner, salt: `0x${'00'.repeat(32)}`, staticInput: '0x' } })
  mock.chain.onCall({ to: COMPOSABLE_COW, selector: '0x26e0a196' }, {
    revert: encodeErrorResult({ abi: pollErrorsAbi, errorName: 'OrderNotValid', args: ['after twap finish'] }),
  })
  const block = { chainId: 11155111, number: 10n, hash: '0x01', parentHash: '0x00', timestamp: 1n } as const
  await pollOnce.onBlock!({ host: mock.host, config: { chainId: 11155111 }, block })
  expect(await mock.store.list('watch:')).toEqual([])
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(mock.chain.calls[0]).toMatchObject({ blockNumber: 10n, outcome: 'revert' })
})
