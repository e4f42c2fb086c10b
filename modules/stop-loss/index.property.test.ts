import fc from 'fast-check'
import { toHex, type Hex } from 'viem'
import { expect, test } from 'vitest'
import { CowApiError, FIRST_PROBE_SECONDS, ORDER_POST_ERROR_TYPES, classifyApiError, createMockHost, type MockHost } from '../sdk/index.ts'
import stopLoss from './index.ts'
import { stopLossConfig } from './config.ts'
import { FEED, blockAt, encodeRound, programFeed } from '../sdk/testing/chainlinkFeed.ts'

const config = stopLossConfig.parse({
  triggerPrice: '1800', owner: '0x7bF140727D27ea64b607E042f1225680B40ECa6A', sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59', sellAmount: '1000', buyAmount: '1', maxAttempts: 5, backoffInitialSeconds: 1, backoffMaxSeconds: 4,
})

const feedAnswer = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => toHex(bytes) as Hex),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ revert: toHex(bytes) as Hex })),
  fc.tuple(fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })).map(([a, u]) => encodeRound(a, u)),
  fc.bigInt({ min: 1n, max: 3000n }).map((usd) => encodeRound(usd * 10n ** 8n, 1_700_000_000n)),
)

/** Anything an orderbook (or a broken transport) might throw, or an acceptance. */
const submitOutcome = fc.oneof(
  fc.constant('accept' as const),
  fc.record({
    status: fc.oneof(fc.constantFrom(0, 400, 403, 404, 429, 500, 502, 503), fc.integer({ min: 100, max: 599 })),
    errorType: fc.option(fc.oneof(fc.constantFrom(...ORDER_POST_ERROR_TYPES), fc.string()), { nil: undefined }),
    retryAfter: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
  }).map((failure) => new CowApiError(failure)),
  fc.anything().map((value) => ({ thrown: value })),
)

/** Runs the steps; returns, per failed submission, whether its answer was about the order (`counted`) or not (`stop`). */
async function runSteps(mock: MockHost, steps: Array<{ feed: unknown; submit: unknown }>, passes: number) {
  const answers: Array<'counted' | 'stop'> = []
  for (let pass = 0; pass < passes; pass++)
    for (const [i, step] of steps.entries()) {
      mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, step.feed as Hex, { times: 1 })
      const submit = step.submit
      if (submit !== 'accept')
        mock.cowApi.onSubmit(() => {
          const error = submit instanceof CowApiError ? submit : (submit as { thrown: unknown }).thrown
          answers.push(classifyApiError(error).action === 'stop' ? 'stop' : 'counted')
          throw error
        }, { times: 1 })
      await stopLoss.onBlock!({ host: mock.host, config, block: blockAt(BigInt(i + 1)) })
      mock.clock.advance(2000)
    }
  return answers
}

test('behavior: never throws on arbitrary feed data and orderbook errors; submissions stay bounded and end in one marker (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ feed: feedAnswer, submit: submitOutcome }), { minLength: 1, maxLength: 30 }), async (steps) => {
      const mock = createMockHost({ module: stopLoss })
      programFeed(mock, () => 2000)
      try {
        const answers = await runSteps(mock, steps, 1)
        const uids = new Set(mock.cowApi.submissions.map((s) => JSON.stringify(s.order)))
        expect(uids.size).toBeLessThanOrEqual(1) // every retry sends the same order
        // Answers about the order count as attempts; the others (a wrong URL, a proxy) never do, and the
        // gate spaces them: at most stopSubmissionsAfter, then one probe per FIRST_PROBE_SECONDS or more.
        expect(answers.filter((a) => a === 'counted').length).toBeLessThanOrEqual(config.maxAttempts)
        expect(answers.filter((a) => a === 'stop').length).toBeLessThanOrEqual(config.stopSubmissionsAfter + Math.ceil((steps.length * 2) / FIRST_PROBE_SECONDS))
        const done = (await mock.store.list('submitted:')).length + (await mock.store.list('dropped:')).length
        expect(done).toBeLessThanOrEqual(1)
        if (done === 1) expect(await mock.store.list('backoff:')).toEqual([])
      } finally {
        mock.dispose()
      }
    }),
    { numRuns: 200 },
  )
})

test('behavior: replaying the same blocks twice submits each UID at most once when the orderbook accepts (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1700, max: 1900 }), { minLength: 1, maxLength: 30 }), async (prices) => {
      const mock = createMockHost({ module: stopLoss })
      programFeed(mock, (b) => prices[Number(b) - 1]!)
      try {
        for (let pass = 0; pass < 2; pass++)
          for (let n = 1n; n <= BigInt(prices.length); n++) await stopLoss.onBlock!({ host: mock.host, config, block: blockAt(n) })
        const accepted = mock.cowApi.submissions.filter((s) => s.outcome === 'ok')
        expect(accepted.length).toBe(prices.some((p) => p <= 1800) ? 1 : 0)
        expect(mock.cowApi.submissions).toHaveLength(accepted.length)
      } finally {
        mock.dispose()
      }
    }),
    { numRuns: 100 },
  )
})
