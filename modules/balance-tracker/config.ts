import { z } from 'zod'
import { zAddress, zBigint } from '../sdk/index.ts'

/**
 * The balance-tracker config. `threshold` is in wei, as a decimal string (TOML integers overflow
 * past 2^63); the default 1 alerts on any change.
 *
 * @example
 * balanceTrackerConfig.parse({ addresses: ['0x9008D19f58AAbD9eD0D60971565AA8510560ab41'], threshold: '1000000000000000000' })
 */
export const balanceTrackerConfig = z.strictObject({
  chainId: z.number().int().positive().default(11155111),
  addresses: z
    .array(zAddress)
    .min(1, 'list at least one address to track')
    .refine((list) => new Set(list).size === list.length, { message: 'addresses must not repeat (compared checksummed)' }),
  /** Read balances every N blocks. */
  everyNBlocks: z.number().int().min(1).default(1),
  /** Alert when |new - stored| >= threshold (wei). */
  threshold: zBigint.refine((value) => value >= 1n, { message: 'threshold must be at least 1 wei' }).default(1n),
})

export type BalanceTrackerConfig = z.output<typeof balanceTrackerConfig>
