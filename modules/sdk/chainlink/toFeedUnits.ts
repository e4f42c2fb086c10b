/** A decimal number as config gives it: optional minus, digits, optional fraction ("2500.5"). */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/

export type ToFeedUnitsReturnType = { ok: true; value: bigint } | { ok: false; error: string }

/**
 * Converts a decimal string in feed units ("2500.5" USD) into the feed's raw integer answer
 * (2500.5 at 8 decimals = 250050000000n). Exact: a fraction with more significant digits than the
 * feed has decimals is refused rather than silently rounded.
 *
 * @example
 * toFeedUnits('2500.5', 8) // { ok: true, value: 250050000000n }
 * toFeedUnits('1.123', 2)  // { ok: false, error: '"1.123" has more fraction digits than the feed\'s 2 decimals' }
 */
export function toFeedUnits(decimal: string, decimals: number): ToFeedUnitsReturnType {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal)
  if (!match) return { ok: false, error: `"${decimal}" is not a decimal number such as "2500.5"` }
  const [, sign, whole, rawFraction = ''] = match
  const fraction = rawFraction.replace(/0+$/, '') // trailing zeros carry no precision
  if (fraction.length > decimals) return { ok: false, error: `"${decimal}" has more fraction digits than the feed's ${decimals} decimals` }
  const value = BigInt(whole! + fraction.padEnd(decimals, '0'))
  return { ok: true, value: sign === '-' ? -value : value }
}
