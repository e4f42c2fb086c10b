import fc from 'fast-check'
import { toHex, type Hex } from 'viem'
import { expect, test } from 'vitest'
import { createMockHost } from '../sdk/index.ts'
import priceAlert from './index.ts'
import { priceAlertConfig } from './config.ts'
import { FEED, blockAt, encodeRound, programFeed } from '../sdk/testing/chainlinkFeed.ts'

const answerArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => toHex(bytes) as Hex),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ revert: toHex(bytes) as Hex })),
  fc.tuple(fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })).map(([a, u]) => encodeRound(a, u)),
)

test('behavior: the module never throws, whatever the feed answers or reverts, and whatever faults the host injects (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ decimals: answerArb, round: answerArb, fault: fc.constantFrom('none', 'throw', 'garbage', 'timeout') }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 3 }),
      async (steps, everyNBlocks) => {
        const mock = createMockHost({ module: priceAlert })
        const cfg = priceAlertConfig.parse({ threshold: '2500', direction: 'below', everyNBlocks, maxAgeSeconds: 60 })
        try {
          for (const [i, step] of steps.entries()) {
            mock.chain.onCall({ to: FEED, selector: '0x313ce567' }, step.decimals, { times: 1 })
            mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, step.round, { times: 1 })
            if (step.fault === 'throw') mock.faults.throwNext('chain.call')
            if (step.fault === 'garbage') mock.faults.garbageNext('chain.call')
            if (step.fault === 'timeout') mock.faults.timeoutNext('chain.call', 1, 0)
            await priceAlert.onBlock!({ host: mock.host, config: cfg, block: blockAt(BigInt(i + 1)) })
            mock.faults.clear()
          }
        } finally {
          mock.dispose()
        }
      },
    ),
    { numRuns: 150 },
  )
})

test('behavior: one alert per crossing: alerts only where the condition holds, a re-arm between any two, none added by a replay (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 2450, max: 2550 }), { minLength: 1, maxLength: 40 }),
      fc.constantFrom('above', 'below'),
      fc.integer({ min: 0, max: 30 }),
      async (prices, direction, hysteresis) => {
        const mock = createMockHost({ module: priceAlert })
        programFeed(mock, (b) => prices[Number(b) - 1]!)
        const cfg = priceAlertConfig.parse({ threshold: '2500', direction, hysteresis: String(hysteresis) })
        try {
          for (let pass = 0; pass < 2; pass++)
            for (let n = 1n; n <= BigInt(prices.length); n++) await priceAlert.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) })
          const alerted = mock.alerts.map((a) => Number(a.fields?.block))
          const holds = (p: number) => (direction === 'above' ? p >= 2500 : p <= 2500)
          const cleared = (p: number) => (direction === 'above' ? p < 2500 - hysteresis : p > 2500 + hysteresis)
          for (const b of alerted) expect(holds(prices[b - 1]!)).toBe(true)
          for (let i = 1; i < alerted.length; i++) expect(prices.slice(alerted[i - 1]!, alerted[i]! - 1).some(cleared)).toBe(true)
          expect(alerted.length > 0).toBe(prices.some(holds))
          expect(new Set(alerted).size).toBe(alerted.length) // the second pass added nothing
        } finally {
          mock.dispose()
        }
      },
    ),
    { numRuns: 100 },
  )
})

