import { getAddress, type Address } from 'viem'
import { z } from 'zod'
import { zAddress } from '../sdk/index.ts'
import { zRetainFinishedBlocks, zShard } from '../sdk/index.ts'

/** CoWSwapEthFlow (prod) on Sepolia and mainnet. */
export const ETH_FLOW: Address = getAddress('0xba3cb449bd2b4adddbc894d8697f5170800eadec')

/**
 * The ethflow-watcher config. Every key has a default, so `{}` is a complete config.
 *
 * @example
 * const config = ethflowWatcherConfig.parse({ deadlineSeconds: 120 })
 */
export const ethflowWatcherConfig = z
  .strictObject({
    /** Chain whose EthFlow contract(s) are watched. */
    chainId: z.number().int().positive().default(11155111),
    /** EthFlow contracts whose OrderPlacement / OrderInvalidation / OrderRefund logs are followed. */
    ethFlows: z.array(zAddress).min(1, 'list at least one EthFlow address').default([ETH_FLOW]),
    /** Seconds after placement (block time) before the first GET /orders/{uid}. */
    checkDelaySeconds: z.number().int().min(0).default(2),
    /** Seconds after placement by which the orderbook must show the order, else `ethflow-missing`. */
    deadlineSeconds: z.number().int().min(1).default(60),
    /** Seconds between checks while the orderbook answers 404 (before the deadline). */
    recheckSeconds: z.number().int().min(1).default(1),
    /** At most this many checks per block; the rest stay due. */
    maxChecksPerBlock: z.number().int().positive().default(1000),
    /** GET /orders/{uid} requests in flight at once within a block. */
    checkConcurrency: z.number().int().min(1).max(256).default(16),
    /** Upper bound of the exponential back-off after transport faults or unreadable answers. */
    maxErrorBackoffSeconds: z.number().int().min(1).default(30),
    /** Consecutive failed checks after the deadline before giving up with `dropped:<uid>` (reason unverified). */
    maxCheckErrors: z.number().int().min(1).default(10),
    /** Blocks an `observed:`/`dropped:`/`closed:` marker is kept after it is written; 0 keeps them forever. */
    retainFinishedBlocks: zRetainFinishedBlocks,
    /** `"i/n"`: watch only the orders whose sender is in shard i of n (keccak of the sender mod n); absent: every order. */
    shard: zShard.optional(),
  })
  .prefault({})

export type EthflowWatcherConfig = z.output<typeof ethflowWatcherConfig>
