import { expect, test } from 'vitest'
import { evaluateThreshold, type ThresholdState } from './evaluateThreshold.ts'

const armed: ThresholdState = { armed: true, since: 0n }
const fired: ThresholdState = { armed: false, since: 0n }

test('behavior: above alerts at or over the threshold, once', () => {
  expect(evaluateThreshold({ state: armed, answer: 99n, threshold: 100n, direction: 'above', hysteresis: 0n, block: 1n }).event).toBe(null)
  expect(evaluateThreshold({ state: armed, answer: 100n, threshold: 100n, direction: 'above', hysteresis: 0n, block: 1n })).toEqual({ state: { armed: false, since: 1n }, event: 'alert' })
  expect(evaluateThreshold({ state: fired, answer: 150n, threshold: 100n, direction: 'above', hysteresis: 0n, block: 2n }).event).toBe(null)
})

test('behavior: below alerts at or under the threshold and re-arms above threshold + hysteresis', () => {
  expect(evaluateThreshold({ state: armed, answer: 100n, threshold: 100n, direction: 'below', hysteresis: 5n, block: 1n }).event).toBe('alert')
  expect(evaluateThreshold({ state: fired, answer: 105n, threshold: 100n, direction: 'below', hysteresis: 5n, block: 2n }).event).toBe(null)
  expect(evaluateThreshold({ state: fired, answer: 106n, threshold: 100n, direction: 'below', hysteresis: 5n, block: 3n })).toEqual({ state: { armed: true, since: 3n }, event: 'rearm' })
})

test('behavior: above re-arms only below threshold - hysteresis', () => {
  expect(evaluateThreshold({ state: fired, answer: 96n, threshold: 100n, direction: 'above', hysteresis: 5n, block: 2n }).event).toBe(null)
  expect(evaluateThreshold({ state: fired, answer: 95n, threshold: 100n, direction: 'above', hysteresis: 5n, block: 2n }).event).toBe(null)
  expect(evaluateThreshold({ state: fired, answer: 94n, threshold: 100n, direction: 'above', hysteresis: 5n, block: 3n }).event).toBe('rearm')
})
