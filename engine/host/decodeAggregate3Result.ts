import type { Hex } from 'viem'
import type { MulticallResult } from '../../modules/sdk/module/types.ts'

const WORD = 64
const LOWER_HEX = /^0x[0-9a-f]*$/
const FALSE_WORD = '0'.repeat(WORD)
const TRUE_WORD = `${'0'.repeat(WORD - 1)}1`
/** A tuple's returnData offset in canonical encoding: right after `success` and itself. */
const BYTES_OFFSET_WORD = (64).toString(16).padStart(WORD, '0')
const SMALL_PREFIX = '0'.repeat(WORD - 8)

/**
 * Decodes Multicall3 `aggregate3`'s `(bool success, bytes returnData)[]` by reading its layout from
 * the hex string; undefined when the data is not in canonical form (an unusual offset, dirty
 * padding, upper-case hex, truncated), so the caller decodes it with viem, which then decides.
 *
 * Why not viem for every response: this runs on the engine's main thread for every poll batch,
 * and viem converts the whole response to bytes and each returnData back to a string byte by
 * byte (a string that costs again when it is read). Here each returnData is a slice of `data`.
 * `decodeAggregate3Result.test.ts` checks every result against viem's.
 *
 * @example
 * const results = decodeAggregate3Result(data) ?? viemDecode(data)
 */
export function decodeAggregate3Result(data: string): MulticallResult[] | undefined {
  if (data.length < 2 + 2 * WORD || data.length % 2 !== 0 || !LOWER_HEX.test(data)) return undefined
  // Reads a word that must hold a number below 2^32 (offsets, lengths), as a hex-digit position.
  const small = (position: number): number | undefined => {
    if (position + WORD > data.length || !data.startsWith(SMALL_PREFIX, position)) return undefined
    return Number.parseInt(data.slice(position + WORD - 8, position + WORD), 16)
  }
  if (small(2) !== 32) return undefined
  const count = small(2 + WORD)
  if (count === undefined) return undefined
  const heads = 2 + 2 * WORD
  if (heads + count * WORD > data.length) return undefined
  const results: MulticallResult[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const offset = small(heads + i * WORD)
    if (offset === undefined) return undefined
    const tuple = heads + 2 * offset
    if (tuple + 3 * WORD > data.length) return undefined
    const successWord = data.slice(tuple, tuple + WORD)
    if (successWord !== TRUE_WORD && successWord !== FALSE_WORD) return undefined
    if (data.slice(tuple + WORD, tuple + 2 * WORD) !== BYTES_OFFSET_WORD) return undefined
    const length = small(tuple + 2 * WORD)
    const start = tuple + 3 * WORD
    if (length === undefined || start + 2 * length > data.length) return undefined
    results[i] = { success: successWord === TRUE_WORD, returnData: `0x${data.slice(start, start + 2 * length)}` as Hex }
  }
  return results
}
