import { createKeccak, type IHasher } from 'hash-wasm'
import { keccak256 as viemKeccak256, stringToBytes, type ByteArray, type Hex } from 'viem'

// viem hashes with @noble/hashes' pure-JS keccak: ~67 µs for a 416-byte order struct on this
// machine, against ~3.4 µs for hash-wasm's WebAssembly keccak. Order UIDs hash on every part a
// watcher posts and on every order the stub receives, so that difference is most of their CPU.
// The WebAssembly instance compiles asynchronously; until it is ready (the first milliseconds of
// a process) hashing falls back to viem, which gives the same digest.
let hasher: IHasher | undefined
let failed: unknown

/** Resolves once the WebAssembly keccak is compiled (hashing works before that, only slower). */
export const keccakReady: Promise<void> = createKeccak(256).then(
  (created) => {
    hasher = created
  },
  (error: unknown) => {
    // A runtime without WebAssembly keeps hashing correctly through viem.
    failed = error
  },
)

/** Whether hashing runs on WebAssembly (false: viem's JavaScript keccak, after `failed`). */
export function keccakBackend(): { wasm: boolean; error?: unknown } {
  return hasher ? { wasm: true } : { wasm: false, ...(failed === undefined ? {} : { error: failed }) }
}

/**
 * keccak-256 of hex data or bytes, as viem's `keccak256(value)` returns it (0x-prefixed hex), or
 * as bytes with `to: 'bytes'`. Throws on a string that is not hex, like viem.
 *
 * @example
 * keccak256('0x') // 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
 */
export function keccak256(value: Hex | ByteArray): Hex
export function keccak256(value: Hex | ByteArray, to: 'bytes'): ByteArray
export function keccak256(value: Hex | ByteArray, to: 'hex' | 'bytes' = 'hex'): Hex | ByteArray {
  if (hasher === undefined) return to === 'bytes' ? viemKeccak256(value, 'bytes') : viemKeccak256(value)
  let bytes: Uint8Array
  if (typeof value === 'string') {
    const digits = value.length % 2 === 0 ? value.slice(2) : `0${value.slice(2)}`
    bytes = Buffer.from(digits, 'hex')
    // Buffer.from(..., 'hex') stops at the first pair that is not hex instead of failing.
    if (!value.startsWith('0x') || bytes.length * 2 !== digits.length) throw new TypeError(`keccak256: "${value.slice(0, 42)}" is not hex`)
  } else bytes = value
  hasher.init()
  hasher.update(bytes)
  if (to === 'bytes') return hasher.digest('binary')
  return `0x${hasher.digest('hex')}`
}

/** keccak-256 of a UTF-8 string (viem's `keccak256(toHex(text))`). */
export function keccak256Utf8(text: string): Hex {
  if (hasher === undefined) return viemKeccak256(stringToBytes(text))
  hasher.init()
  hasher.update(text)
  return `0x${hasher.digest('hex')}`
}
