import { hexToBytes, type Hex } from 'viem'

const WORD = 64
const ZEROS = '0'.repeat(WORD)
const wordOf = (n: number) => n.toString(16).padStart(WORD, '0')
/** A string's offset in the canonical encoding: right after the head (one word, or two for (uint256, string)). */
const OFFSET_AFTER_ONE_WORD = wordOf(32)
const OFFSET_AFTER_TWO_WORDS = wordOf(64)
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A poll error read from its revert data, before it is mapped to a scheduling hint. */
export type PollError =
  | { name: 'OrderNotValid' | 'PollTryNextBlock' | 'PollNever'; reason: string }
  | { name: 'PollTryAtBlock' | 'PollTryAtEpoch'; at: bigint; reason: string }
  | { name: 'ProofNotAuthed' | 'SingleOrderNotAuthed' }

type Shape = { name: PollError['name']; head: 0 | 1 | 2 }
/** Selector -> error name and head size in words (0: no arguments; 1: (string); 2: (uint256, string)). See protocol-facts.md. */
const SHAPES: ReadonlyMap<string, Shape> = new Map([
  ['c8fc2725', { name: 'OrderNotValid', head: 1 }],
  ['d05f3065', { name: 'PollTryNextBlock', head: 1 }],
  ['981b64cd', { name: 'PollNever', head: 1 }],
  ['1fe8506e', { name: 'PollTryAtBlock', head: 2 }],
  ['7e334637', { name: 'PollTryAtEpoch', head: 2 }],
  ['4a821464', { name: 'ProofNotAuthed', head: 0 }],
  ['7a933234', { name: 'SingleOrderNotAuthed', head: 0 }],
] satisfies Array<[string, Shape]>)

/**
 * The string at the end of a canonical `(..., string)` encoding whose head is `head` words (the
 * last of them the offset): offset exactly after the head, a length that fits, the bytes padded
 * with zeros to a word, nothing after, and valid UTF-8. Anything else: undefined.
 */
function canonicalTail(body: string, head: 1 | 2): string | undefined {
  const start = (head + 1) * WORD
  if (body.length < start) return undefined
  if (body.slice((head - 1) * WORD, head * WORD) !== (head === 1 ? OFFSET_AFTER_ONE_WORD : OFFSET_AFTER_TWO_WORDS)) return undefined
  const lengthWord = body.slice(head * WORD, start)
  if (!lengthWord.startsWith(ZEROS.slice(0, WORD - 8))) return undefined
  const length = Number.parseInt(lengthWord.slice(WORD - 8), 16)
  const padded = Math.ceil(length / 32) * WORD
  if (body.length !== start + padded) return undefined
  const text = body.slice(start, start + 2 * length)
  if (!/^0*$/.test(body.slice(start + 2 * length))) return undefined
  try {
    return utf8.decode(hexToBytes(`0x${text}`))
  } catch {
    return undefined // not UTF-8: Solidity never encodes a string literal that way
  }
}

/**
 * Reads the revert data of a poll as one of the ComposableCoW / IConditionalOrder errors, strictly:
 * only the exact canonical encoding is accepted (what a contract's `revert Error(...)` produces).
 * A zero-argument error is exactly its 4-byte selector; a string argument sits right after the
 * head, with a length that matches the data to the byte and zero padding; the hex is lower-case.
 * Anything else (trailing bytes, another offset, dirty padding, a truncated or over-long body,
 * invalid UTF-8) is undefined, so the caller treats it as an unknown answer, never as a
 * decision to stop watching.
 *
 * @example
 * readPollError('0x4a821464') // { name: 'ProofNotAuthed' }
 * readPollError('0x4a82146400') // undefined: a zero-argument error is exactly 4 bytes
 */
export function readPollError(data: Hex): PollError | undefined {
  const shape = SHAPES.get(data.slice(2, 10))
  if (shape === undefined) return undefined
  const body = data.slice(10)
  if (shape.head === 0) return body.length === 0 ? { name: shape.name as 'ProofNotAuthed' | 'SingleOrderNotAuthed' } : undefined
  if (!/^[0-9a-f]*$/.test(body)) return undefined
  const reason = canonicalTail(body, shape.head)
  if (reason === undefined) return undefined
  if (shape.head === 1) return { name: shape.name as 'OrderNotValid' | 'PollTryNextBlock' | 'PollNever', reason }
  return { name: shape.name as 'PollTryAtBlock' | 'PollTryAtEpoch', at: BigInt(`0x${body.slice(0, WORD)}`), reason }
}
