import { describe, expect, test } from 'vitest'
import { fitTrend } from './fitTrend.ts'

describe('fitTrend', () => {
  test('behavior: a straight line is recovered exactly', () => {
    const trend = fitTrend([[0, 100], [1, 102], [2, 104], [3, 106]])!
    expect(trend.slope).toBeCloseTo(2, 10)
    expect(trend.intercept).toBeCloseTo(100, 10)
    expect(trend.from).toEqual({ x: 0, y: 100 })
    expect(trend.to.y).toBeCloseTo(106, 10)
  })
  test('behavior: noise around a flat level fits a slope near 0', () => {
    const trend = fitTrend([[0, 10], [1, 12], [2, 10], [3, 12], [4, 10], [5, 12]])!
    expect(Math.abs(trend.slope)).toBeLessThan(0.2)
  })
  test('behavior: too few points, one x, or non-finite values give no trend', () => {
    expect(fitTrend([[1, 2]])).toBeUndefined()
    expect(fitTrend([[1, 2], [1, 3]])).toBeUndefined()
    expect(fitTrend([[0, Number.NaN], [1, 3]])).toBeUndefined()
  })
  test('behavior: the slope standard error is 0 on a straight line, Infinity with two points, and the textbook value on scatter', () => {
    expect(fitTrend([[0, 100], [1, 102], [2, 104], [3, 106]])!.slopeStandardError).toBeCloseTo(0, 10)
    expect(fitTrend([[0, 1], [1, 3]])!.slopeStandardError).toBe(Number.POSITIVE_INFINITY)
    // x 0..4, y 1 3 2 5 4: slope 0.8, intercept 1.4, residuals -0.4 0.8 -1 1.2 -0.6 (SSR 3.6), sxx 10.
    const trend = fitTrend([[0, 1], [1, 3], [2, 2], [3, 5], [4, 4]])!
    expect(trend.slope).toBeCloseTo(0.8, 10)
    expect(trend.slopeStandardError).toBeCloseTo(Math.sqrt(3.6 / 3 / 10), 10)
  })
  test('behavior: noise around a flat level has a slope within two standard errors of 0; a steady rise under it does not', () => {
    const flat = fitTrend([[0, 10], [1, 12], [2, 10], [3, 12], [4, 10], [5, 12]])!
    expect(Math.abs(flat.slope)).toBeLessThanOrEqual(2 * flat.slopeStandardError)
    const rising = fitTrend([[0, 10], [1, 13], [2, 12], [3, 15], [4, 14], [5, 17]])!
    expect(rising.slope - 2 * rising.slopeStandardError).toBeGreaterThan(0)
  })
})
