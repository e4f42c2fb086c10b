import { createBloomMatcher } from '../chain/bloomMayMatch.ts'
import { BadRpcDataError } from '../chain/parseRpc.ts'
import type { ChainBlock, ChainSource } from '../chain/types.ts'
import type { BlockRef, LogHost, RawLog } from '../../modules/sdk/module/types.ts'
import type { ChainLogFilter } from '../dispatch/createLogRouter.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'

/**
 * The chain moved while a range was fetched: its headers do not link by parent hash, or its logs
 * come from a block the headers do not hold (two branches answered one range). Nothing of the range
 * is dispatched; the ingestor's pass fails, counts it (`shepherd_ingest_errors_total{kind="chain_moved"}`)
 * and fetches the range again after a short backoff, from the same cursor.
 *
 * @example
 * try {
 *   await fetchRange(100n, 199n)
 * } catch (error) {
 *   if (error instanceof ChainMovedError) log.warn('chain moved under the fetch; fetching the range again', { error: error.message })
 *   else throw error
 * }
 */
export class ChainMovedError extends Error {
  override name = 'ChainMovedError'
}

export type CreateRangeFetcherParameters = {
  source: ChainSource
  /** What eth_getLogs asks for; undefined for a block-only chain (no getLogs at all). */
  filter: ChainLogFilter | undefined
  metrics?: EngineMetrics
  log: LogHost
}

export type FetchedRange = { blocks: BlockRef[]; byBlock: Map<bigint, RawLog[]> }

const stripBloom = ({ logsBloom: _, ...block }: ChainBlock): BlockRef => block

/**
 * Fetches a block range and its logs as one consistent piece of one branch: every header in order
 * and linked by parent hash, every log from those very blocks, each log once, in log order. A range
 * answered from two branches throws `ChainMovedError` (fetched again); wrong blocks throw
 * `BadRpcDataError`. A range answer short of logs the blocks' blooms promise is completed by
 * asking those blocks' logs by hash.
 *
 * @example
 * const fetchRange = createRangeFetcher({ source, filter, log })
 * const { blocks, byBlock } = await fetchRange(100n, 199n)
 */
export function createRangeFetcher({ source, filter, metrics, log }: CreateRangeFetcherParameters) {
  const chainId = source.chainId
  const bloomMatches = filter ? createBloomMatcher({ address: filter.address, topic0: filter.topic0 }) : undefined

  /**
   * A node can answer a range with fewer logs than it holds (a lagging index, a capped answer).
   * Each block's bloom says whether it may hold a matching log: where it does and the answer has
   * none, ask for that block's logs by hash before dispatching it.
   */
  async function recoverShortAnswer(blocks: readonly ChainBlock[], byBlock: Map<bigint, RawLog[]>) {
    if (!filter || !bloomMatches || !source.getBlockLogs) return
    const suspects = blocks.filter((b) => b.logsBloom !== undefined && !byBlock.has(b.number) && bloomMatches(b.logsBloom))
    if (!suspects.length) return
    const answers = await Promise.all(suspects.map((b) => source.getBlockLogs!(b.hash, { address: filter.address, topic0: filter.topic0 })))
    let recovered = 0
    suspects.forEach((block, i) => {
      const list = answers[i]!.filter((l) => {
        if (l.blockHash !== block.hash || l.blockNumber !== block.number) throw new ChainMovedError(`log by hash for block ${block.number} is from another block`)
        return true
      })
      const unique = [...new Map(list.map((l) => [l.logIndex, l])).values()]
      if (unique.length) {
        byBlock.set(block.number, unique)
        recovered += unique.length
      }
    })
    if (recovered) {
      metrics?.ingestErrors.inc({ chain_id: String(chainId), kind: 'short_logs_answer' })
      log.warn('eth_getLogs answered fewer logs than the blocks hold; recovered them by block hash', { chainId, blocks: suspects.map((b) => b.number), recovered })
    }
  }

  return async function fetchRange(from: bigint, to: bigint): Promise<FetchedRange> {
    const [blocks, logs] = await Promise.all([
      source.getBlocks(from, to),
      filter ? source.getLogs({ fromBlock: from, toBlock: to, address: filter.address, topic0: filter.topic0 }) : Promise.resolve([] as RawLog[]),
    ])
    // A source answering the wrong blocks must not make us skip or repeat one.
    if (blocks.length !== Number(to - from + 1n) || blocks.some((b, i) => b.number !== from + BigInt(i)))
      throw new BadRpcDataError(`block range ${from}..${to}`, blocks.map((b) => String(b.number)))
    for (let i = 1; i < blocks.length; i++)
      if (blocks[i]!.parentHash !== blocks[i - 1]!.hash) throw new ChainMovedError(`block ${blocks[i]!.number} does not follow ${blocks[i - 1]!.number}`)
    const byBlock = new Map<bigint, RawLog[]>()
    const hashes = new Map(blocks.map((b) => [b.number, b.hash]))
    const seen = new Set<string>()
    for (const entry of logs) {
      if (hashes.get(entry.blockNumber) !== entry.blockHash) throw new ChainMovedError(`log of block ${entry.blockNumber} is from another branch`)
      const key = `${entry.blockNumber}:${entry.logIndex}`
      if (seen.has(key)) continue // a node repeating a log must not make a module see it twice
      seen.add(key)
      const list = byBlock.get(entry.blockNumber) ?? []
      list.push(entry)
      byBlock.set(entry.blockNumber, list)
    }
    await recoverShortAnswer(blocks, byBlock)
    for (const list of byBlock.values()) list.sort((a, b) => a.logIndex - b.logIndex)
    return { blocks: blocks.map(stripBloom), byBlock }
  }
}
