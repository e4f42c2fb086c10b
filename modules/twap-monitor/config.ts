import { getAddress, type Address } from 'viem'
import { z } from 'zod'
import { zAddress } from '../sdk/index.ts'
import { zRetainFinishedBlocks, zShard } from '../sdk/index.ts'

/** ComposableCoW on Sepolia and mainnet. */
export const COMPOSABLE_COW: Address = getAddress('0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74')
/** The TWAP handler on Sepolia and mainnet. */
export const TWAP_HANDLER: Address = getAddress('0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5')

/**
 * The twap-monitor config. Every key has a default, so `{}` is a complete config.
 *
 * @example
 * const config = twapMonitorConfig.parse({ maxPollsPerBlock: 1000 })
 */
export const twapMonitorConfig = z
  .strictObject({
    /** Chain whose ComposableCoW is watched. */
    chainId: z.number().int().positive().default(11155111),
    /** The ComposableCoW contract: source of ConditionalOrderCreated and target of the polls. */
    composableCow: zAddress.default(COMPOSABLE_COW),
    /**
     * Blocks a part's `submitted:`/`dropped:`/`missed:` marker is kept after its validTo has passed
     * (never before: while a part is valid its marker is what stops a second post). 0 keeps them forever.
     */
    retainFinishedBlocks: zRetainFinishedBlocks,
    /** `"i/n"`: watch only the owners of shard i of n (keccak of the owner mod n); absent: every owner. */
    shard: zShard.optional(),
    /** Handlers whose conditional orders become watches; others are ignored. */
    handlers: z.array(zAddress).min(1, 'list at least one handler address').default([TWAP_HANDLER]),
    /**
     * The ceiling of the adaptive poll cap: at most this many watches are polled per block; the rest
     * stay due for the next block. The cap itself follows how long the polls take (see pollBudget.ts).
     */
    maxPollsPerBlock: z.number().int().positive().default(10000),
    /** Orders submitted (appData lookup + POST) in parallel within one block. */
    submitConcurrency: z.number().int().min(1).max(1024).default(256),
    /**
     * Consecutive unreadable poll answers after which a watch is removed, with a `removed:<id>`
     * record that `shepherd watches restore <id>` undoes. Between them the watch backs off.
     */
    maxUnknownPolls: z.number().int().min(1).default(12),
    /** The longest wait (blocks) between polls of a watch whose answers cannot be read: 1, 2, 4, ... up to this. */
    unknownBackoffMaxBlocks: z.number().int().min(1).default(256),
    /** Answers in a row that are not about the order (404, 401, 403, 413, unknown errorType) that stop order posts until the orderbook answers again. */
    stopSubmissionsAfter: z.number().int().min(1).default(5),
    /** Blocks in a row whose poll multicall failed before the `polls` health check is degraded. */
    degradedAfterFailedPolls: z.number().int().min(1).default(3),
    /** The poll cap of the first block (then adapted; clamped to [minPollsPerBlock, maxPollsPerBlock]). */
    initialPollsPerBlock: z.number().int().positive().default(10_000),
    /** The floor of the adaptive poll cap: slow or failing polls never shrink it below this. */
    minPollsPerBlock: z.number().int().positive().default(100),
    /** The share of the block interval one block's poll multicall may take before the cap shrinks. */
    pollTimeFraction: z.number().gt(0).max(1).default(0.4),
    /** Block interval assumed until two consecutive blocks were seen, ms. */
    blockIntervalMs: z.number().int().positive().default(12000),
    /**
     * How long a block pass waits for its own posts before it returns and lets the rest post in the
     * background (ms). The engine's cursor passes a block once the pass returns; the parts still
     * queued keep their watch due, so a restart polls them again (and looks them up first).
     */
    submitWaitMs: z.number().int().min(0).default(250),
    /**
     * Parts queued or posting at most (each holds its order and signature in the module's memory):
     * a block pass polls no more watches than there is room for, since each poll may yield a part.
     */
    maxQueuedParts: z.number().int().positive().default(10000),
  })
  .prefault({})

export type TwapMonitorConfig = z.output<typeof twapMonitorConfig>
