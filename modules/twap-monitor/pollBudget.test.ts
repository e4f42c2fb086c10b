import { expect, test } from 'vitest'
import { estimateBlockIntervalMs, nextPollBudget, observeBlock, type NextPollBudgetParameters, type PollBudgetState } from './pollBudget.ts'

const base: NextPollBudgetParameters = { current: 5000, polled: 5000, elapsedMs: 100, failed: false, targetMs: 400, floor: 100, ceiling: 20000 }

test('rule: a block that used its whole cap well inside the target doubles it, up to the ceiling', () => {
  expect(nextPollBudget({ ...base, elapsedMs: 100 })).toBe(10000)
  expect(nextPollBudget({ ...base, current: 15000, polled: 15000, elapsedMs: 10 })).toBe(20000)
})

test('rule: a cap the block did not fill, or a time between half the target and the target, is kept', () => {
  expect(nextPollBudget({ ...base, polled: 300, elapsedMs: 5 })).toBe(5000)
  expect(nextPollBudget({ ...base, elapsedMs: 300 })).toBe(5000)
  expect(nextPollBudget({ ...base, polled: 0, elapsedMs: 0 })).toBe(5000)
})

test('rule: slow answers shrink the cap to what fits, at most by half per block, down to the floor', () => {
  // 5000 calls in 800 ms against 400: 2500 fit.
  expect(nextPollBudget({ ...base, elapsedMs: 800 })).toBe(2500)
  // Barely slow: shrink to what fits (4000), not by half.
  expect(nextPollBudget({ ...base, elapsedMs: 500 })).toBe(4000)
  // Very slow: at most halved per block.
  expect(nextPollBudget({ ...base, elapsedMs: 10_000 })).toBe(2500)
  // A node that stays slow (here 1 ms per call, 0.4 ms fit) drives the cap down block after block, to the floor.
  let cap = 5000
  const caps: number[] = []
  for (let block = 0; block < 12; block++) {
    cap = nextPollBudget({ ...base, current: cap, polled: cap, elapsedMs: cap * 1 })
    caps.push(cap)
  }
  expect(caps.slice(0, 4)).toEqual([2500, 1250, 625, 400])
  expect(caps.at(-1)).toBe(400)
  // Slower still: the floor holds.
  expect(nextPollBudget({ ...base, current: 150, polled: 150, elapsedMs: 10_000 })).toBe(100)
})

test('rule: a failed multicall halves the cap; failures in a row reach the floor and stay there', () => {
  expect(nextPollBudget({ ...base, failed: true })).toBe(2500)
  let cap = 5000
  for (let block = 0; block < 10; block++) cap = nextPollBudget({ ...base, current: cap, polled: cap, failed: true })
  expect(cap).toBe(100)
  // And it grows back once polls answer fast again.
  expect(nextPollBudget({ ...base, current: cap, polled: cap, elapsedMs: 2 })).toBe(200)
})

test('estimate: the block interval from timestamps ignores a jump in time and reads 0.5 s blocks right', () => {
  expect(estimateBlockIntervalMs({ timestamps: [], fallbackMs: 12000 })).toBe(12000)
  expect(estimateBlockIntervalMs({ timestamps: [5n], fallbackMs: 12000 })).toBe(12000)
  expect(estimateBlockIntervalMs({ timestamps: [100n, 101n, 102n, 1102n, 1103n], fallbackMs: 12000 })).toBe(1000)
  expect(estimateBlockIntervalMs({ timestamps: [100n, 100n, 101n, 101n, 102n, 102n, 103n, 103n, 104n], fallbackMs: 12000 })).toBe(500)
  expect(estimateBlockIntervalMs({ timestamps: [0n, 12n, 24n, 36n], fallbackMs: 1 })).toBe(12000)
  expect(estimateBlockIntervalMs({ timestamps: [7n, 7n, 7n], fallbackMs: 1 })).toBe(250)
})

test('state: a gap in block numbers restarts the interval window; it keeps the last 16 blocks', () => {
  const state: PollBudgetState = { cap: 1, timestamps: [] }
  const block = (number: bigint, timestamp: bigint) => ({ chainId: 1, number, hash: '0x' as const, parentHash: '0x' as const, timestamp })
  for (let n = 1n; n <= 20n; n++) observeBlock(state, block(n, n))
  expect(state.timestamps).toHaveLength(16)
  observeBlock(state, block(40n, 40n))
  expect(state.timestamps).toEqual([40n])
})
