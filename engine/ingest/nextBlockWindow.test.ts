import { expect, test } from 'vitest'
import { nextBlockWindow } from './nextBlockWindow.ts'

test('behavior: windows cover every block from the tip to the confirmed head once, none longer than max_block_range', () => {
  const covered: bigint[] = []
  let tip = 99n
  for (let range = nextBlockWindow(tip, 120n, 7); range; range = nextBlockWindow(tip, 120n, 7)) {
    expect(range.to - range.from + 1n).toBeLessThanOrEqual(7n)
    for (let n = range.from; n <= range.to; n++) covered.push(n)
    tip = range.to
  }
  expect(covered).toEqual(Array.from({ length: 21 }, (_, i) => 100n + BigInt(i)))
})

test('behavior: nothing to fetch at or past the confirmed head (a head that went backwards)', () => {
  expect(nextBlockWindow(100n, 100n, 7)).toBeUndefined()
  expect(nextBlockWindow(100n, 95n, 7)).toBeUndefined()
  expect(nextBlockWindow(100n, 101n, 7)).toEqual({ from: 101n, to: 101n })
})
