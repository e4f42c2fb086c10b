import { describe, expect, test } from 'vitest'
import { twapRetrySeconds } from './twapRetrySeconds.ts'

describe('twapRetrySeconds', () => {
  const window = { start: 1_000n, validTo: 1_014n } // a 15 s part
  test('behavior: a 429 waits its Retry-After (10 s without one), whatever the window', () => {
    expect(twapRetrySeconds({ status: 429, retryAfter: 1 }, window)).toBe(1)
    expect(twapRetrySeconds({ status: 429, retryAfter: 2.5 }, window)).toBe(3)
    expect(twapRetrySeconds({ status: 429 }, window)).toBe(10)
  })

  test('behavior: a 5xx or a dropped answer without Retry-After waits the policy\'s 5 s, fitted to a quarter of the window left at its start', () => {
    expect(twapRetrySeconds({ status: 500 }, window)).toBe(3)
    expect(twapRetrySeconds({ status: 0 }, window)).toBe(3)
    expect(twapRetrySeconds({ status: 503 }, { start: 1_000n, validTo: 1_059n })).toBe(5)
    expect(twapRetrySeconds({ status: 500 }, { start: 1_000n, validTo: 1_003n })).toBe(1)
    // The server named its wait: it is not fitted to the window.
    expect(twapRetrySeconds({ status: 503, retryAfter: 7 }, window)).toBe(7)
  })

  test('behavior: an answer that is not a back-off adds no wait (the next block is the bar\'s own block time)', () => {
    expect(twapRetrySeconds({ status: 400 }, window)).toBe(0)
  })
})
