import { checksumAddress, type Address, type Hex } from 'viem'
import type { GPv2OrderData } from '../orders/gpv2Order.ts'

const WORD = 64
const ZEROS = '0'.repeat(WORD)
const TRUE_WORD = `${'0'.repeat(WORD - 1)}1`
/** The signature's offset in canonical encoding: right after the 12 order words and itself. */
const SIGNATURE_OFFSET_WORD = (13 * 32).toString(16).padStart(WORD, '0')
const LOWER_HEX = /^0x[0-9a-f]*$/
const ZERO_TAIL = /^0+$/

/**
 * Decodes `(GPv2Order.Data order, bytes signature)`, the return of ComposableCoW
 * `getTradeableOrderWithSignature`, by reading its fixed layout from the hex string, strictly:
 * undefined unless the data is exactly the canonical ABI encoding (lower-case hex; addresses,
 * `validTo` (uint32) and the bool with zero high bytes, the bool 0 or 1, the signature at offset
 * 0x1a0 with its length, zero padding to a word, and no byte after it). A watcher must not act on
 * an order read from anything else: `decodePollReturn` makes it `unknown`.
 *
 * Why not viem: viem turns the hex into bytes and the signature back into a string one byte at a
 * time, and the resulting string costs again each time it is read. For a 1.2 KB signature that was
 * ~300 µs a result against ~10 µs here, at several hundred parts a second; and viem's decoder is
 * lenient (it reads an address from dirty padding and a uint32 from the whole word).
 * The signature returned here is a slice of `data`. `decodeOrderWithSignature.test.ts` checks
 * that every canonical result equals viem's and that every non-canonical one is refused.
 *
 * @example
 * const decoded = decodeOrderWithSignature(returnData) // undefined: not an order
 */
export function decodeOrderWithSignature(data: string): { order: GPv2OrderData; signature: Hex } | undefined {
  if (data.length < 2 + 14 * WORD || data.length % 2 !== 0 || !LOWER_HEX.test(data)) return undefined
  if (data.slice(2 + 12 * WORD, 2 + 13 * WORD) !== SIGNATURE_OFFSET_WORD) return undefined
  const lengthWord = data.slice(2 + 13 * WORD, 2 + 14 * WORD)
  // A length beyond 2^32 bytes cannot be in a string this size; refuse it before parsing.
  if (!lengthWord.startsWith(ZEROS.slice(0, WORD - 8))) return undefined
  const length = Number.parseInt(lengthWord.slice(WORD - 8), 16)
  const start = 2 + 14 * WORD
  // Exactly the signature, padded with zeros to a word: no byte missing, none after.
  if (!Number.isInteger(length) || data.length !== start + Math.ceil(length / 32) * WORD) return undefined
  const end = start + 2 * length
  if (end < data.length && !ZERO_TAIL.test(data.slice(end))) return undefined

  const word = (i: number) => data.slice(2 + i * WORD, 2 + (i + 1) * WORD)
  const address = (i: number): Address | undefined => {
    const w = word(i)
    return w.startsWith('000000000000000000000000') ? checksumAddress(`0x${w.slice(24)}`) : undefined
  }
  const uint256 = (i: number) => BigInt(`0x${word(i)}`)
  const sellToken = address(0)
  const buyToken = address(1)
  const receiver = address(2)
  const validToWord = word(5)
  const partiallyFillableWord = word(9)
  if (sellToken === undefined || buyToken === undefined || receiver === undefined) return undefined
  if (!validToWord.startsWith(ZEROS.slice(0, WORD - 8))) return undefined
  if (partiallyFillableWord !== ZEROS && partiallyFillableWord !== TRUE_WORD) return undefined
  const order: GPv2OrderData = {
    sellToken,
    buyToken,
    receiver,
    sellAmount: uint256(3),
    buyAmount: uint256(4),
    validTo: Number.parseInt(validToWord.slice(WORD - 8), 16),
    appData: `0x${word(6)}`,
    feeAmount: uint256(7),
    kind: `0x${word(8)}`,
    partiallyFillable: partiallyFillableWord === TRUE_WORD,
    sellTokenBalance: `0x${word(10)}`,
    buyTokenBalance: `0x${word(11)}`,
  }
  return { order, signature: `0x${data.slice(start, end)}` }
}
