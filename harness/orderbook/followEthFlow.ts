import { createPublicClient, hexToBigInt, http, numberToHex, type Address, type Hex } from 'viem'
import { createPrng } from './createPrng.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { decodeEthFlowPlacement, ETH_FLOW_ADDRESS, ethFlowStoredOrder, ORDER_PLACEMENT_TOPIC, type PlacementRpcLog } from './decodeEthFlowPlacement.ts'

export type FollowEthFlowParameters = {
  rpcUrl: string
  /** Default: the production CoWSwapEthFlow 0xba3c...eadec. */
  ethFlowAddress?: Address
  /** How long after the stub sees a placement the order becomes visible (the real indexer lags). Default 0. */
  indexingDelayMs?: number
  /** Fraction of placements never indexed (seeded). Default 0. */
  missRate?: number
  /** Pause between polls. Default 250 ms. */
  pollIntervalMs?: number
  /** First block to read. Default 0 (a fresh devnet); pass a recent block on a fork. */
  fromBlock?: bigint
  /** Largest eth_getLogs range. Default 2,000 blocks. */
  maxBlockRange?: bigint
  /** Seed of the miss-rate generator. Default 1. */
  seed?: number
}

/** One placement the indexer saw, and what it did with it. */
export type IndexedEthFlowOrder = {
  uid: Hex
  sender: Address
  blockNumber: bigint
  transactionHash: Hex
  /** ms since the epoch. */
  seenAt: number
  /** When the order became visible under GET /orders/{uid}; undefined while pending or when missed. */
  visibleAt?: number
  missed: boolean
}

export type EthFlowFollower = {
  /** Stops polling and cancels pending visibility; resolves once the loop has exited. */
  stop(): Promise<void>
  /** Evidence: every placement seen, in order. */
  readonly indexed: readonly IndexedEthFlowOrder[]
  /** Poll failures (the loop keeps going; the same range is read again next poll). */
  readonly errors: readonly Error[]
  /** Next block the indexer will read. */
  readonly nextBlock: bigint
}

/**
 * Indexes EthFlow orders from the chain into the stub, as the real orderbook does: polls
 * `eth_getLogs` for `OrderPlacement` by block range, computes each UID (owner = the EthFlow
 * contract) and, after `indexingDelayMs`, makes the order visible under GET /api/v1/orders/{uid}
 * unless the seeded `missRate` drops it. Reorgs are not followed.
 *
 * @example
 * const follower = followEthFlow(stub, { rpcUrl: devnet.rpcUrl, indexingDelayMs: 500 })
 * // ... place EthFlow orders ...
 * await follower.stop()
 */
export function followEthFlow(stub: OrderbookStub, parameters: FollowEthFlowParameters): EthFlowFollower {
  const missRate = parameters.missRate ?? 0
  if (!(missRate >= 0 && missRate <= 1)) throw new Error(`followEthFlow: missRate must be in [0, 1], got ${missRate}`)
  const address = (parameters.ethFlowAddress ?? ETH_FLOW_ADDRESS).toLowerCase() as Address
  const delay = parameters.indexingDelayMs ?? 0
  const interval = parameters.pollIntervalMs ?? 250
  const range = parameters.maxBlockRange ?? 2000n
  const random = createPrng(parameters.seed ?? 1)
  const client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 0 }) })
  const indexed: IndexedEthFlowOrder[] = []
  const errors: Error[] = []
  const timers = new Set<NodeJS.Timeout>()
  let next = parameters.fromBlock ?? 0n
  let stopped = false
  let wake: (() => void) | undefined

  function index(log: PlacementRpcLog): void {
    const placement = decodeEthFlowPlacement(log, stub.domain)
    const now = stub.internals.now()
    const entry: IndexedEthFlowOrder = {
      uid: placement.uid,
      sender: placement.sender,
      blockNumber: placement.blockNumber,
      transactionHash: placement.transactionHash,
      seenAt: now,
      missed: missRate > 0 && random() < missRate,
    }
    indexed.push(entry)
    if (entry.missed) return
    const publish = () => {
      stub.putOrder(ethFlowStoredOrder(placement, new Date(stub.internals.now()).toISOString(), stub.getAppData(placement.appData) ?? null))
      entry.visibleAt = stub.internals.now()
    }
    if (delay <= 0) return publish()
    const timer = setTimeout(() => {
      timers.delete(timer)
      publish()
    }, delay)
    timers.add(timer)
  }

  async function poll(): Promise<void> {
    // Raw requests: viem's getBlockNumber caches, and we decode the logs ourselves.
    const latest = hexToBigInt((await client.request({ method: 'eth_blockNumber' })) as Hex)
    while (!stopped && next <= latest) {
      const to = next + range - 1n < latest ? next + range - 1n : latest
      const logs = (await client.request({
        method: 'eth_getLogs',
        params: [{ address, topics: [ORDER_PLACEMENT_TOPIC], fromBlock: numberToHex(next), toBlock: numberToHex(to) }],
      })) as PlacementRpcLog[]
      for (const log of logs) {
        try {
          index(log)
        } catch (error) {
          errors.push(error instanceof Error ? error : new Error(String(error)))
        }
      }
      next = to + 1n
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await poll()
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)))
      }
      if (stopped) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  })()

  return {
    async stop() {
      stopped = true
      wake?.()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await loop
    },
    indexed,
    errors,
    get nextBlock() {
      return next
    },
  }
}
