import { getAddress, isAddress, type Address } from 'viem'
import { z } from 'zod'

/**
 * A 20-byte hex address in a config; parsed to its checksummed form, so two spellings of one
 * address compare equal.
 *
 * @example
 * import { z } from 'zod'
 * const config = z.strictObject({ owner: zAddress }).parse({ owner: '0x9008d19f58aabd9ed0d60971565aa8510560ab41' })
 * config.owner // '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'
 */
export const zAddress = z
  .string({ error: 'expected a 20-byte hex address' })
  .refine((value) => isAddress(value, { strict: false }), { message: 'expected a 20-byte hex address (0x + 40 hex digits)' })
  .transform((value) => getAddress(value) as Address)

/**
 * A non-negative integer given as a TOML integer or a decimal string (TOML integers stop at 2^63);
 * parsed to bigint.
 *
 * @example
 * zBigint.parse('1000000000000000000') // 1000000000000000000n
 */
export const zBigint = z
  .union([z.bigint(), z.number().int(), z.string().regex(/^\d+$/, 'expected a decimal integer string')])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n, { message: 'expected a non-negative integer' })

/**
 * A 32-byte hex value (an appData hash, a salt), kept as written.
 *
 * @example
 * zBytes32.parse('0x' + '00'.repeat(32))
 */
export const zBytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 32 bytes of hex (0x + 64 hex digits)')
