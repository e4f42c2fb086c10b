import { getAddress, isAddress, type Address } from 'viem'
import { z } from 'zod'

/** A 20-byte hex address; normalised to its checksummed form. */
export const zAddress = z
  .string({ error: 'expected a 20-byte hex address' })
  .refine((value) => isAddress(value, { strict: false }), { message: 'expected a 20-byte hex address (0x + 40 hex digits)' })
  .transform((value) => getAddress(value) as Address)

/** A non-negative integer given as a TOML integer or a decimal string; parsed to bigint. */
export const zBigint = z
  .union([z.bigint(), z.number().int(), z.string().regex(/^\d+$/, 'expected a decimal integer string')])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n, { message: 'expected a non-negative integer' })

/** A 32-byte hex value. */
export const zBytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 32 bytes of hex (0x + 64 hex digits)')
