import type { Hex } from 'viem'

// Plain character classes (no repeated groups): these run over multi-megabyte multicall answers.
const LOWER_HEX = /^0x[0-9a-f]*$/
const ANY_HEX = /^0[xX][0-9a-fA-F]*$/
// Nethermind before 1.20 (cowprotocol/watch-tower#11): `data: "Reverted 0x7a933234"`, code -32015 or 3.
const REVERTED = /^Reverted (0[xX][0-9a-fA-F]*)$/
// Nethermind 1.3x (NethermindEth/nethermind#8813): `data: "err: 0xdf2d9b42 (supplied gas 36000000)"`,
// and `"err: revert (supplied gas N)"` where geth answers `data: "0x"` (a revert without data).
const NETHERMIND_ERR = /^err: (0[xX][0-9a-fA-F]*|revert) \(supplied gas \d+\)$/

/**
 * Canonical hex: `0x` and lower-case digits, a whole number of bytes. Accepts upper-case digits and
 * a `0X` prefix (some nodes and providers answer so); anything else (odd length, non-hex, not a
 * string) is undefined. Already-canonical input is returned as is, without a copy.
 *
 * @example
 * canonicalHex('0XDEADBEEF') // '0xdeadbeef'
 * canonicalHex('0xabc')      // undefined (odd length)
 */
export function canonicalHex(value: unknown): Hex | undefined {
  if (typeof value !== 'string' || value.length % 2 !== 0) return undefined
  if (LOWER_HEX.test(value)) return value as Hex
  return ANY_HEX.test(value) ? (`0x${value.slice(2).toLowerCase()}` as Hex) : undefined
}

/**
 * Revert data as a node reported it, in canonical lower-case `0x` hex, or undefined when the value is
 * not revert data in a dialect we know. The one place the SDK and the engine normalise node dialects:
 * - bare hex (geth, Anvil, Erigon, Nethermind >= 1.20): `0x08c379a0...`, also upper case or `0X`;
 * - `Reverted 0x...` (older Nethermind, error code -32015 or 3);
 * - `err: 0x... (supplied gas N)` and `err: revert (supplied gas N)` (Nethermind; the latter is `0x`).
 * Strict: leading or trailing text, odd length or a non-hex digit is undefined, never a guess.
 *
 * @example
 * parseRevertData('Reverted 0X7A933234') // '0x7a933234'
 * parseRevertData('execution reverted')  // undefined
 */
export function parseRevertData(value: unknown): Hex | undefined {
  if (typeof value !== 'string') return undefined
  const hex = canonicalHex(value)
  if (hex !== undefined) return hex
  const reverted = REVERTED.exec(value)
  if (reverted) return canonicalHex(reverted[1])
  const nethermind = NETHERMIND_ERR.exec(value)
  if (nethermind) return nethermind[1] === 'revert' ? '0x' : canonicalHex(nethermind[1])
  return undefined
}
