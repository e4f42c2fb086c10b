import { z } from 'zod'
import { zAddress, zBigint, zBytes32 } from '../sdk/index.ts'
import { EMPTY_APP_DATA_HASH } from '../sdk/index.ts'
import { DECIMAL_PATTERN } from '../sdk/index.ts'

/** Chainlink ETH/USD on Sepolia (8 decimals). */
export const SEPOLIA_ETH_USD_FEED = '0x694AA1769357215DE4FAC081bf1f309aDC325306'
/** How long the order is valid after the trigger block, when neither validFor nor validTo is given. */
export const DEFAULT_VALID_FOR_SECONDS = 1800
const MAX_UINT256 = 2n ** 256n - 1n
const MAX_UINT32 = 2 ** 32 - 1

const zAmount = (what: string) =>
  zBigint.refine((value) => value >= 1n && value <= MAX_UINT256, { message: `${what} must be between 1 and 2^256-1` })

const zTriggerPrice = z
  .union([z.string(), z.number().int()], { error: 'expected a price in feed units, e.g. "1800.5"' })
  .transform((value) => String(value).trim())
  .pipe(z.string().regex(DECIMAL_PATTERN, 'expected a price in feed units, e.g. "1800.5" (digits, optional fraction)'))

/**
 * The stop-loss config: the feed and trigger price (a decimal string in feed units), the owner and
 * the GPv2 sell order to place (PreSign) once the answer is at or below the trigger.
 *
 * @example
 * stopLossConfig.parse({
 *   triggerPrice: '1800', owner, sellToken: WETH, buyToken: COW, sellAmount: '1000000000000000000', buyAmount: '1',
 * })
 */
export const stopLossConfig = z
  .strictObject({
    chainId: z.number().int().positive().default(11155111),
    feed: zAddress.default(SEPOLIA_ETH_USD_FEED),
    triggerPrice: zTriggerPrice,
    everyNBlocks: z.number().int().min(1).default(1),
    /** An older answer (block time - updatedAt) never triggers. */
    maxAgeSeconds: z.number().int().positive().default(3900),
    owner: zAddress,
    sellToken: zAddress,
    buyToken: zAddress,
    sellAmount: zAmount('sellAmount'),
    /** The minimum to receive. */
    buyAmount: zAmount('buyAmount'),
    /** Seconds of validity after the trigger block's timestamp (default 1800 unless validTo is given). */
    validFor: z.number().int().positive().max(365 * 24 * 3600).optional(),
    /** An absolute validTo (unix seconds); excludes validFor. */
    validTo: z.number().int().positive().max(MAX_UINT32).optional(),
    appData: zBytes32.default(EMPTY_APP_DATA_HASH),
    receiver: zAddress.optional(),
    kind: z.literal('sell').default('sell'),
    partiallyFillable: z.boolean().default(false),
    backoffInitialSeconds: z.number().positive().default(5),
    backoffMaxSeconds: z.number().positive().default(300),
    /** Submissions tried before giving up with `dropped:` "retries exhausted". */
    maxAttempts: z.number().int().min(1).default(8),
    /** Answers in a row that are not about the order (404, 401, 403, 413, unknown errorType) that stop order posts until the orderbook answers again; they never count as attempts. */
    stopSubmissionsAfter: z.number().int().min(1).default(5),
  })
  .superRefine((config, context) => {
    if (config.sellToken === config.buyToken) context.addIssue({ code: 'custom', path: ['buyToken'], message: 'buyToken must differ from sellToken' })
    if (config.validFor !== undefined && config.validTo !== undefined)
      context.addIssue({ code: 'custom', path: ['validTo'], message: 'give validFor or validTo, not both' })
    if (config.backoffInitialSeconds > config.backoffMaxSeconds)
      context.addIssue({ code: 'custom', path: ['backoffInitialSeconds'], message: 'backoffInitialSeconds must not exceed backoffMaxSeconds' })
  })
  .transform((config) => ({ ...config, receiver: config.receiver ?? config.owner }))

export type StopLossConfig = z.output<typeof stopLossConfig>
