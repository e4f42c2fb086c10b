import { expect, test } from 'vitest'
import { nextRetry } from './nextRetry.ts'

const config = { backoffInitialSeconds: 5, backoffMaxSeconds: 60, maxAttempts: 4 }

test('behavior: the wait doubles per attempt up to the cap, and is never shorter than the orderbook asked', () => {
  const retry = { action: 'retry-next-block', reason: 'QuoteNotFound' } as const
  expect(nextRetry({ previousAttempts: 0, decision: retry, config, now: 1000, block: 9n })).toEqual({
    kind: 'wait', seconds: 5, state: { attempts: 1, notBefore: 6000, notBeforeBlock: 10n, reason: 'QuoteNotFound' },
  })
  expect(nextRetry({ previousAttempts: 2, decision: retry, config: { ...config, backoffMaxSeconds: 15 }, now: 0, block: 0n })).toMatchObject({ seconds: 15 })
  expect(nextRetry({ previousAttempts: 0, decision: { action: 'backoff', seconds: 600, reason: 'InsufficientBalance' }, config, now: 0, block: 0n })).toMatchObject({ seconds: 600 })
})

test('behavior: the attempt that reaches maxAttempts is exhausted', () => {
  const decision = { action: 'backoff', seconds: 5, reason: 'server error (500)' } as const
  expect(nextRetry({ previousAttempts: 2, decision, config, now: 0, block: 0n }).kind).toBe('wait')
  expect(nextRetry({ previousAttempts: 3, decision, config, now: 0, block: 0n })).toEqual({ kind: 'exhausted', attempts: 4 })
})
