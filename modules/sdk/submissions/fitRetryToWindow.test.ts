import { expect, test } from 'vitest'
import { fitRetryToWindow } from './fitRetryToWindow.ts'

test('behavior: retries after a guessed server fault never sleep past the part window', () => {
  expect(fitRetryToWindow(5, 1_000n, 1_013)).toBe(3)
  expect(fitRetryToWindow(5, 1_000n, 1_100)).toBe(5)
  expect(fitRetryToWindow(5, 1_000n, 1_002)).toBe(1)
  expect(fitRetryToWindow(5, 1_000n, 999)).toBe(1)
})
