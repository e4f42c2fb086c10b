/** A least-squares line through points: value = intercept + slope * x. */
export type Trend = {
  slope: number
  intercept: number
  /**
   * The slope's standard error: how far the fitted slope may sit from the true one through the
   * scatter of the points alone (sqrt(residual variance / sum of squared x deviations), n - 2
   * degrees of freedom). `Infinity` with two points (a line through two points has no residual to
   * tell the noise from). A bar that judges a slope must judge `slope - 2 * slopeStandardError`,
   * or noisy points flip it.
   */
  slopeStandardError: number
  /** Points the line was fitted to. */
  points: number
  /** Value of the line at the first and last x: what a chart draws. */
  from: { x: number; y: number }
  to: { x: number; y: number }
}

export type FitTrendParameters = ReadonlyArray<readonly [x: number, y: number]>

/**
 * Fits a straight line by ordinary least squares (no weights), with the slope's standard error.
 * Points whose x or y is not finite are left out. Undefined with fewer than two usable points or
 * when every x is the same (no slope can be told): a caller must treat that as "not measured",
 * never as flat.
 *
 * @example
 * const trend = fitTrend([[0, 100], [1, 102], [2, 104]]) // slope 2, intercept 100, slopeStandardError 0
 */
export function fitTrend(points: FitTrendParameters): Trend | undefined {
  const usable = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  const n = usable.length
  if (n < 2) return undefined
  let sx = 0
  let sy = 0
  for (const [x, y] of usable) {
    sx += x
    sy += y
  }
  const mx = sx / n
  const my = sy / n
  let sxx = 0
  let sxy = 0
  for (const [x, y] of usable) {
    sxx += (x - mx) * (x - mx)
    sxy += (x - mx) * (y - my)
  }
  if (sxx === 0) return undefined
  const slope = sxy / sxx
  const intercept = my - slope * mx
  let residuals = 0
  for (const [x, y] of usable) residuals += (y - intercept - slope * x) ** 2
  const slopeStandardError = n > 2 ? Math.sqrt(residuals / (n - 2) / sxx) : Number.POSITIVE_INFINITY
  const xs = usable.map(([x]) => x)
  const first = Math.min(...xs)
  const last = Math.max(...xs)
  return { slope, intercept, slopeStandardError, points: n, from: { x: first, y: intercept + slope * first }, to: { x: last, y: intercept + slope * last } }
}
