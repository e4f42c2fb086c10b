import type { Hex } from 'viem'
import { decodeTwapStaticInput } from '../sdk/index.ts'

/**
 * When the TWAP part that ends at `validTo` is followed by the next one, derived from the static
 * input: span 0 -> validTo + 1; otherwise the current part started at validTo + 1 - span and the
 * next starts t later. Works for t0 = 0 (cabinet start) because it only needs validTo. Undefined
 * when the static input is not a TWAP's (another handler): the caller then polls next block.
 *
 * @example
 * nextPartStart(staticInput, 1_700_003_599) // 1_700_003_600n for span 0
 */
export function nextPartStart(staticInput: Hex, validTo: number | bigint): bigint | undefined {
  const twap = decodeTwapStaticInput(staticInput)
  if (!twap.ok) return undefined
  const { t, span } = twap.value
  const end = BigInt(validTo)
  if (t === 0n || span > t) return undefined
  return span === 0n ? end + 1n : end + 1n - span + t
}

/**
 * The index of the part that ends at `validTo`, when the static input has an explicit t0.
 *
 * @example
 * partIndex(staticInput, validTo) // 3n
 */
export function partIndex(staticInput: Hex, validTo: number | bigint): bigint | undefined {
  const twap = decodeTwapStaticInput(staticInput)
  if (!twap.ok || twap.value.t0 === 0n || twap.value.t === 0n) return undefined
  const { t0, t, span } = twap.value
  const start = span === 0n ? BigInt(validTo) + 1n - t : BigInt(validTo) + 1n - span
  return start < t0 ? undefined : (start - t0) / t
}

/**
 * When the TWAP part that ends at `validTo` started (chain time, s): validTo + 1 - t for span 0,
 * else validTo + 1 - span. Works for t0 = 0 (cabinet start) because it only needs validTo.
 * Undefined when the static input is not a TWAP's.
 *
 * @example
 * partStart(staticInput, 1_700_003_599) // 1_700_000_000n for span 0 and t = 3600
 */
export function partStart(staticInput: Hex, validTo: number | bigint): bigint | undefined {
  const twap = decodeTwapStaticInput(staticInput)
  if (!twap.ok || twap.value.t === 0n || twap.value.span > twap.value.t) return undefined
  const { t, span } = twap.value
  return BigInt(validTo) + 1n - (span === 0n ? t : span)
}
