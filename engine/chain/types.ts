import type { Address, Hex } from 'viem'
import type { BlockRef, RawLog } from '../../modules/sdk/module/types.ts'

export type LogFilter = {
  fromBlock: bigint
  toBlock: bigint
  /** Empty or undefined: every address. */
  address?: readonly Address[]
  /** Any of these topic0 values. */
  topic0: readonly Hex[]
}

/** A block header as ingestion sees it; `logsBloom` (when the source has it) lets the ingestor catch a node that answered a range with fewer logs than it holds. */
export type ChainBlock = BlockRef & { logsBloom?: Hex }

/**
 * Where blocks and logs come from: a live RPC, a fault-injecting proxy, or a recorded cassette.
 * Ingestion and dispatch only ever see this interface, so replays run the same code as live runs.
 */
export type ChainSource = {
  chainId: number
  /** 'ws' when heads are pushed, 'poll' when polled, 'replay' for cassettes. */
  kind: 'ws' | 'poll' | 'replay'
  getBlockNumber(): Promise<bigint>
  /** `eth_chainId`: the ingestor compares it with `chainId` at start and after drops or failures (absent for cassettes). */
  getChainId?(): Promise<number>
  getBlock(number: bigint): Promise<BlockRef>
  /** Headers of a contiguous range, in order. */
  getBlocks(from: bigint, to: bigint): Promise<ChainBlock[]>
  getLogs(filter: LogFilter): Promise<RawLog[]>
  /** The logs of one block by its hash (`eth_getLogs` with `blockHash`): asked when a range answer and the block's bloom disagree. */
  getBlockLogs?(blockHash: Hex, filter: Pick<LogFilter, 'address' | 'topic0'>): Promise<RawLog[]>
  /** Pushes new head numbers (ws); polling sources return a no-op. Errors reach `onError`; the ingestor keeps polling. */
  watchHeads(onHead: (number: bigint) => void, onError: (error: unknown) => void): () => void
  close(): Promise<void>
}
