import { expect, test } from 'vitest'
import { createExponentialBackoff } from './createExponentialBackoff.ts'

test('behavior: delays double from the initial one, stop at the cap, and start over after a reset', () => {
  const backoff = createExponentialBackoff({ initialMs: 1_000, maxMs: 5_000 })
  expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([1_000, 2_000, 4_000, 5_000, 5_000])
  backoff.reset()
  expect(backoff.next()).toBe(1_000)
})

test('behavior: a long run of failures stays at the cap (no overflow past it)', () => {
  const backoff = createExponentialBackoff({ initialMs: 1_000, maxMs: 300_000 })
  let last = 0
  for (let i = 0; i < 2_000; i++) last = backoff.next()
  expect(last).toBe(300_000)
})
