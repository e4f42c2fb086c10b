import { z } from 'zod'
import { zAddress } from '../sdk/index.ts'
import { DECIMAL_PATTERN } from '../sdk/index.ts'

/** Chainlink ETH/USD on Sepolia (8 decimals). */
export const SEPOLIA_ETH_USD_FEED = '0x694AA1769357215DE4FAC081bf1f309aDC325306'

/** A price in feed units, as a decimal string ("2500.5") or a safe integer; kept as a string so no float rounds it. */
export const zFeedDecimal = z
  .union([z.string(), z.number().int()], { error: 'expected a decimal number in feed units, e.g. "2500.5"' })
  .transform((value) => String(value).trim())
  .pipe(z.string().regex(DECIMAL_PATTERN, 'expected a decimal number in feed units, e.g. "2500.5" (digits, optional fraction)'))

/**
 * The price-alert config. `threshold` and `hysteresis` are decimal strings in the feed's units
 * (USD for ETH/USD), converted exactly with the feed's `decimals()`.
 *
 * @example
 * priceAlertConfig.parse({ threshold: '2500.5', direction: 'below' })
 */
export const priceAlertConfig = z.strictObject({
  chainId: z.number().int().positive().default(11155111),
  feed: zAddress.default(SEPOLIA_ETH_USD_FEED),
  /** Read the feed every N blocks. */
  everyNBlocks: z.number().int().min(1).default(1),
  threshold: zFeedDecimal,
  direction: z.enum(['above', 'below']),
  /** How far back past the threshold the answer must go before the alert re-arms. */
  hysteresis: zFeedDecimal.refine((value) => !value.startsWith('-'), { message: 'hysteresis must not be negative' }).default('0'),
  /** An answer older than this (block time - updatedAt) is stale. ETH/USD has a 1 h heartbeat; 5 min slack. */
  maxAgeSeconds: z.number().int().positive().default(3900),
})

export type PriceAlertConfig = z.output<typeof priceAlertConfig>
