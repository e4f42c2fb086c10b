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
})
