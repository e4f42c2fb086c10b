// Arbitraries of canonical and non-canonical poll answers, for property tests of the strict
// decoders and of the modules that act on them. Not for module code.
import fc from 'fast-check'
import { encodeErrorResult, encodeFunctionResult, type Hex } from 'viem'
import { getTradeableOrderWithSignatureFunction, pollErrorsAbi } from '../abi/composableCow.ts'
import { hexBytes, uint256, gpv2Orders } from './orderArbitraries.ts'

type PollErrorName = (typeof pollErrorsAbi)[number]['name']
/**
 * The names of the poll errors `decodePollRevert` reads (protocol-facts.md).
 *
 * @example
 * POLL_ERROR_NAMES.includes('PollTryAtEpoch') // true
 */
export const POLL_ERROR_NAMES = pollErrorsAbi.map((e) => e.name) as PollErrorName[]
const WORD = 64

/** Reasons, including multi-byte UTF-8 and lengths on and off a word boundary. */
const reasons = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', 'after twap finish', 'x'.repeat(32), 'é'.repeat(17), '日本語'))

/**
 * A canonical encoding of one poll error, as a contract produces it, with its name and arguments.
 *
 * @example
 * fc.assert(fc.property(canonicalPollErrors, ({ data }) => decodePollRevert(data).kind !== 'unknown'))
 */
export const canonicalPollErrors: fc.Arbitrary<{ name: PollErrorName; args: readonly unknown[]; data: Hex }> = fc
  .tuple(fc.constantFrom(...POLL_ERROR_NAMES), uint256, reasons)
  .map(([name, at, reason]) => {
    const abiItem = pollErrorsAbi.find((e) => e.name === name)!
    const args = abiItem.inputs.length === 0 ? [] : abiItem.inputs.length === 1 ? [reason] : [at, reason]
    return { name, args, data: encodeErrorResult({ abi: [abiItem], errorName: name, args } as never) }
  })

const replaceWord = (data: Hex, index: number, word: string): Hex => {
  const at = 2 + index * WORD
  return `${data.slice(0, at)}${word}${data.slice(at + WORD)}` as Hex
}
const differentWord = (original: string) => fc.oneof(fc.constant('0'.repeat(WORD)), hexBytes(32).map((h) => h.slice(2)), fc.nat({ max: 4096 }).map((n) => n.toString(16).padStart(WORD, '0'))).filter((w) => w !== original)

/**
 * Non-canonical variants of every poll error: trailing bytes (also after a zero-argument
 * selector), truncation, another string offset (zero included), a length that is dirty or does
 * not match the data, dirty padding, and a reason that is not UTF-8. Each is never the exact
 * encoding a contract produces.
 *
 * @example
 * fc.assert(fc.property(nonCanonicalPollErrors, ({ data }) => decodePollRevert(data).kind === 'unknown'))
 */
export const nonCanonicalPollErrors: fc.Arbitrary<{ name: PollErrorName; damage: string; data: Hex }> = canonicalPollErrors.chain(({ name, data }) => {
  const body = data.slice(10)
  const head = name === 'PollTryAtBlock' || name === 'PollTryAtEpoch' ? 2 : name === 'ProofNotAuthed' || name === 'SingleOrderNotAuthed' ? 0 : 1
  // Word indices are counted after the selector: `replaceWord` is given data without it, re-prefixed.
  const onBody = (fn: (b: Hex) => Hex) => (`${data.slice(0, 10)}${fn(`0x${body}` as Hex).slice(2)}` as Hex)
  const damages: Array<fc.Arbitrary<{ damage: string; data: Hex }>> = [
    hexBytes(1, 64).map((tail) => ({ damage: 'trailing bytes', data: `${data}${tail.slice(2)}` as Hex })),
  ]
  if (head > 0) {
    const length = Number.parseInt(body.slice(head * WORD, (head + 1) * WORD), 16)
    damages.push(
      fc.integer({ min: 1, max: body.length / 2 }).map((cut) => ({ damage: 'truncated', data: data.slice(0, data.length - 2 * cut) as Hex })),
      differentWord(body.slice((head - 1) * WORD, head * WORD)).map((w) => ({ damage: 'string offset', data: onBody((b) => replaceWord(b, head - 1, w)) })),
      // A longer length within the same padded size would be the canonical encoding of another string.
      fc.integer({ min: 1, max: 64 }).filter((delta) => Math.ceil((length + delta) / 32) !== Math.ceil(length / 32)).map((delta) => ({ damage: 'length mismatch', data: onBody((b) => replaceWord(b, head, (length + delta).toString(16).padStart(WORD, '0'))) })),
      fc.integer({ min: 1, max: 24 }).map((at) => ({ damage: 'dirty length', data: onBody((b) => replaceWord(b, head, `${'0'.repeat(at - 1)}1${body.slice(head * WORD + at, (head + 1) * WORD)}`)) })),
      fc.constant({ damage: 'a word after it', data: `${data}${'0'.repeat(WORD)}` as Hex }),
    )
    if (length % 32 !== 0) damages.push(fc.constant({ damage: 'dirty padding', data: `${data.slice(0, -2)}01` as Hex }))
    if (length > 0) damages.push(fc.constant({ damage: 'not UTF-8', data: onBody((b) => `${b.slice(0, 2 + (head + 1) * WORD)}ff${b.slice(2 + (head + 1) * WORD + 2)}` as Hex) }))
  }
  return fc.oneof(...damages).map((d) => ({ name, ...d }))
})

/**
 * A canonical `getTradeableOrderWithSignature` return (order, signature; lower-case addresses).
 *
 * @example
 * fc.assert(fc.property(canonicalOrderResults, ({ data }) => decodePollReturn(data).kind === 'order'))
 */
export const canonicalOrderResults = fc.tuple(gpv2Orders(), hexBytes(0, 300)).map(([order, signature]) => ({
  order,
  signature,
  data: encodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', result: [order, signature] }),
}))

/**
 * Non-canonical variants of an order return: a dirty-padded address, a validTo past uint32, a bool
 * that is not 0 or 1, another signature offset, a dirty or wrong signature length, dirty signature
 * padding, truncation and trailing bytes.
 *
 * @example
 * fc.assert(fc.property(nonCanonicalOrderResults, ({ data }) => decodePollReturn(data).kind === 'unknown'))
 */
export const nonCanonicalOrderResults: fc.Arbitrary<{ damage: string; data: Hex }> = canonicalOrderResults.chain(({ data, signature }) => {
  const at = (word: number) => 2 + word * WORD
  const word = (i: number) => data.slice(at(i), at(i) + WORD)
  const length = (signature.length - 2) / 2
  const dirtyHigh = (i: number, highBytes: number) =>
    fc.integer({ min: 0, max: highBytes - 1 }).map((byte) => ({ damage: `dirty high bytes of word ${i}`, data: replaceWord(data, i, `${word(i).slice(0, byte * 2)}${byte === highBytes - 1 ? '7f' : '01'}${word(i).slice(byte * 2 + 2)}`) }))
  const damages: Array<fc.Arbitrary<{ damage: string; data: Hex }>> = [
    fc.constantFrom(0, 1, 2).chain((i) => dirtyHigh(i, 12)),
    dirtyHigh(5, 28), // validTo past uint32
    fc.bigInt({ min: 2n, max: (1n << 256n) - 1n }).map((v) => ({ damage: 'bool not 0 or 1', data: replaceWord(data, 9, v.toString(16).padStart(WORD, '0')) })),
    differentWord(word(12)).map((w) => ({ damage: 'signature offset', data: replaceWord(data, 12, w) })),
    fc.integer({ min: 1, max: 64 }).filter((delta) => Math.ceil((length + delta) / 32) !== Math.ceil(length / 32)).map((delta) => ({ damage: 'signature length mismatch', data: replaceWord(data, 13, (length + delta).toString(16).padStart(WORD, '0')) })),
    fc.integer({ min: 1, max: (data.length - 2) / 2 }).map((cut) => ({ damage: 'truncated', data: data.slice(0, data.length - 2 * cut) as Hex })),
    hexBytes(1, 64).map((tail) => ({ damage: 'trailing bytes', data: `${data}${tail.slice(2)}` as Hex })),
  ]
  if (length % 32 !== 0) damages.push(fc.constant({ damage: 'dirty signature padding', data: `${data.slice(0, -2)}01` as Hex }))
  // One byte less is another canonical signature when that byte is zero and the padded size holds.
  if (length > 0 && (signature.slice(-2) !== '00' || length % 32 === 1))
    damages.push(fc.constant({ damage: 'signature length shorter than the data', data: replaceWord(data, 13, (length - 1).toString(16).padStart(WORD, '0')) }))
  return fc.oneof(...damages)
})
