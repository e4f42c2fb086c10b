import fc from 'fast-check'
import type { Address, Hex } from 'viem'
import { expect, test } from 'vitest'
import { createMockHost, type BlockRef } from '../sdk/index.ts'
import balanceTracker from './index.ts'
import { balanceTrackerConfig } from './config.ts'

const A = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41' as Address
const blockAt = (number: bigint): BlockRef => ({ chainId: 11155111, number, hash: '0x01' as Hex, parentHash: '0x00' as Hex, timestamp: number * 12n })

test('behavior: alerts match |delta| >= threshold between consecutive reads, a replay re-alerts no block, faults never throw (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ wei: fc.bigInt({ min: 0n, max: 1000n }), fault: fc.constantFrom('none', 'none', 'throw', 'garbage', 'hang') }), { minLength: 1, maxLength: 25 }),
      fc.bigInt({ min: 1n, max: 300n }),
      async (steps, threshold) => {
        const mock = createMockHost({ module: balanceTracker })
        const cfg = balanceTrackerConfig.parse({ addresses: [A], threshold })
        steps.forEach((step, i) => mock.chain.setBalance(A, step.wei, { fromBlock: BigInt(i + 1) }))
        try {
          for (const [i, step] of steps.entries()) {
            if (step.fault === 'throw') mock.faults.throwNext('chain.getBalance')
            if (step.fault === 'garbage') mock.faults.garbageNext('chain.getBalance')
            if (step.fault === 'hang') mock.faults.timeoutNext('chain.getBalance', 1, 0)
            await balanceTracker.onBlock!({ host: mock.host, config: cfg, block: blockAt(BigInt(i + 1)) })
          }
          const expected: bigint[] = []
          let last: bigint | undefined
          for (const [i, step] of steps.entries()) {
            if (step.fault !== 'none') continue
            if (last !== undefined && (step.wei > last ? step.wei - last : last - step.wei) >= threshold) expected.push(BigInt(i + 1))
            last = step.wei
          }
          expect(mock.alerts.map((a) => a.fields?.block)).toEqual(expected)
          for (let n = 1; n <= steps.length; n++) await balanceTracker.onBlock!({ host: mock.host, config: cfg, block: blockAt(BigInt(n)) })
          // A replay only reads blocks that were never read (their first read faulted, and no later block was read).
          const replayAlerts = mock.alerts.slice(expected.length).map((a) => Number(a.fields?.block))
          for (const b of replayAlerts) expect(steps[b - 1]!.fault).not.toBe('none')
          expect(new Set(mock.alerts.map((a) => a.fields?.block)).size).toBe(mock.alerts.length)
        } finally {
          mock.dispose()
        }
      },
    ),
    { numRuns: 150 },
  )
})
