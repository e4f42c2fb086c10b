import { hexToBytes, isAddress } from 'viem'
import { z } from 'zod'
import { keccak256 } from '../hash/keccak256.ts'

/** One shard of `count`: this engine instance takes the owners whose hash lands on `index` (1-based). */
export type Shard = { index: number; count: number }

const SHARD_PATTERN = /^\s*(\d+)\s*\/\s*(\d+)\s*$/
const EXPECTED = 'expected a shard "i/n" with whole numbers 1 <= i <= n (e.g. "1/2")'

/**
 * A shard in a module config, written `"i/n"` (this instance is shard i of n, 1 <= i <= n); parsed
 * to `{ index, count }`. The error names what was found, e.g. `found "3/2" (i is above n)`.
 *
 * @example
 * import { z } from 'zod'
 * const config = z.strictObject({ shard: zShard.optional() }).parse({ shard: '2/4' })
 * config.shard // { index: 2, count: 4 }
 */
export const zShard = z.string({ error: (issue) => `${EXPECTED}; found ${describe(issue.input)}` }).transform((text, context): Shard => {
  const match = SHARD_PATTERN.exec(text)
  const index = match ? Number(match[1]) : Number.NaN
  const count = match ? Number(match[2]) : Number.NaN
  const why = !match
    ? 'not of the form i/n'
    : !Number.isSafeInteger(index) || !Number.isSafeInteger(count)
      ? 'a number is too large'
      : count < 1
        ? 'n must be at least 1'
        : index < 1
          ? 'i must be at least 1'
          : index > count
            ? 'i is above n'
            : undefined
  if (why !== undefined) {
    context.addIssue({ code: 'custom', message: `${EXPECTED}; found ${JSON.stringify(text)} (${why})`, input: text })
    return z.NEVER
  }
  return { index, count }
})

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`
}

/**
 * The shard (1..count) an owner belongs to: keccak256 of the owner's 20 address bytes, as a
 * 256-bit number, mod `count`, plus one. The same owner maps to the same shard on every instance
 * and every run, whatever the address's spelling (checksummed or lower case: the bytes are hashed).
 *
 * Why a hash and not the address's last byte: a byte has 256 values, so it cannot split past 256
 * shards and splits unevenly for any n that does not divide 256 (n = 3: 86/85/85); and addresses
 * are not uniform where people choose them (vanity addresses, CREATE2 salts mined for leading or
 * trailing zeros, one deployer's batch of Safes), so a raw byte can pile one shard high. keccak of
 * the address spreads every owner evenly, vanity or not.
 *
 * @example
 * shardOf('0x7bf140727d27ea64b607e042f1225680b40eca6a', 2) // 1 or 2, always the same
 */
export function shardOf(owner: string, count: number): number {
  if (!isAddress(owner, { strict: false })) throw new TypeError(`shardOf: "${owner}" is not a 20-byte hex address`)
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`shardOf: count must be a whole number >= 1; found ${count}`)
  const digest = keccak256(hexToBytes(owner.toLowerCase() as `0x${string}`))
  return Number(BigInt(digest) % BigInt(count)) + 1
}

/**
 * Whether this instance's shard takes `owner`; no shard (undefined) takes every owner. Each owner is
 * in exactly one of the shards 1/n .. n/n, so n instances configured so cover every owner once,
 * with no coordination between them.
 *
 * @example
 * if (!inShard(created.owner, config.shard)) return // another instance watches this owner
 */
export function inShard(owner: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(owner, shard.count) === shard.index
}
