import type { Hex } from 'viem'
import { createBloomMatcher } from '../chain/bloomMayMatch.ts'
import { BadRpcDataError } from '../chain/parseRpc.ts'
import type { ChainBlock, ChainSource, RawLog } from '../chain/types.ts'
import type { ChainConfig } from '../config/schema.ts'
import type { ChainLogFilter } from '../dispatch/createLogRouter.ts'
import type { Dispatcher } from '../dispatch/createDispatcher.ts'
import { describeError } from '../errors/base.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef, LogHost } from '../module/types.ts'
import type { EngineStore } from '../store/createStore.ts'
import { createRecentChain } from './recentChain.ts'

export type CreateIngestorParameters = {
  source: ChainSource
  chain: Pick<ChainConfig, 'confirmations' | 'poll_interval_ms' | 'max_lookback_blocks' | 'start_block' | 'max_block_range'>
  store: Pick<EngineStore, 'getCursor' | 'setCursor'>
  dispatcher: Pick<Dispatcher, 'dispatchBlock' | 'dispatchReorg'>
  /** What eth_getLogs asks for; undefined for a block-only chain (no getLogs at all). */
  filter: ChainLogFilter | undefined
  metrics?: EngineMetrics
  log: LogHost
  /** Blocks dispatched but not yet finished by every module; bounds memory and lag. */
  maxInFlight?: number
  /** Backoff cap after a failed fetch, ms. */
  maxBackoffMs?: number
}

const stripBloom = ({ logsBloom: _, ...block }: ChainBlock): BlockRef => block

/** Thrown inside a pass when the chain moved under a range fetch: the range is fetched again. */
class ChainMovedError extends Error {
  override name = 'ChainMovedError'
}

/** Block hashes saved with each cursor write (a reorg deeper than this while down is resumed past, with an error log). */
const SAVED_HASHES = 64

/**
 * Follows one chain and owns its unfinalized part. Invariant: every block handed to the
 * dispatcher has `parentHash` equal to the hash of the block before it; the cursor (persisted)
 * is the last block every module finished, and it only ever moves in order. A failed fetch is
 * retried with backoff, never skipped; a parent-hash mismatch walks back to the common ancestor
 * and tells the modules (`onReorg`) before the new branch is delivered.
 */
export function createIngestor({ source, chain, store, dispatcher, filter, metrics, log, maxInFlight = 64, maxBackoffMs = 30_000 }: CreateIngestorParameters) {
  const chainId = source.chainId
  const label = { chain_id: String(chainId) }
  const recent = createRecentChain(256)
  const inFlight: Array<{ block: BlockRef; done: Promise<void>; settled: boolean }> = []
  let committed = store.getCursor(chainId)
  // The hashes saved with the cursor: a reorg while the engine was down finds its fork point.
  if (committed?.recent) recent.seed(committed.recent)
  let tip: { number: bigint; hash: Hex | undefined } | undefined
  let stopped = false
  let wake: (() => void) | undefined
  let loop: Promise<void> | undefined
  let lastHead: bigint | undefined
  const bloomMatches = filter ? createBloomMatcher({ address: filter.address, topic0: filter.topic0 }) : undefined

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  async function commitSettled() {
    // Every block finished in a row moves the cursor with ONE write: a durable cursor waits for the
    // disk, and a catch-up finishes many blocks between two writes.
    let last: BlockRef | undefined
    let count = 0
    while (inFlight[0]?.settled) {
      last = inFlight.shift()!.block
      count++
    }
    if (!last) return
    metrics?.blocksProcessed.inc(label, count)
    committed = { number: last.number, hash: last.hash, recent: recent.idsThrough(last.number, SAVED_HASHES) }
    await store.setCursor(chainId, committed)
    metrics?.cursorBlock.set(label, Number(last.number))
  }

  async function drainInFlight() {
    // An event a stopped module never finished rejects: it stays uncommitted and is delivered again.
    await Promise.allSettled(inFlight.map((f) => f.done))
    await commitSettled()
  }

  async function handleReorg(first: BlockRef) {
    await drainInFlight()
    // Walk back by parent hash to the newest block both branches share.
    let ancestor: bigint | undefined
    for (const known of recent.newestFirst()) {
      const current = await source.getBlock(known.number)
      if (current.hash === known.hash) {
        ancestor = known.number
        break
      }
    }
    if (ancestor === undefined) {
      ancestor = (recent.oldest()?.number ?? first.number) - 1n
      log.error('reorg deeper than the recent-block ring; resuming from before it', { chainId, ancestor })
    }
    const removedLogs = recent.logsAfter(ancestor)
    if (!recent.logsKnownAfter(ancestor))
      log.warn('reorg reaches blocks delivered before the engine restarted: their removed logs are not known to it; the new branch is delivered from the fork point', { chainId, fromBlock: ancestor + 1n })
    // Counted once the walk succeeded: a failed walk is retried and must not count twice.
    metrics?.reorgs.inc(label)
    log.warn('reorg detected', { chainId, fromBlock: ancestor + 1n, depth: Number((tip?.number ?? ancestor) - ancestor), removedLogs: removedLogs.length })
    recent.truncateAfter(ancestor)
    await dispatcher.dispatchReorg({ chainId, fromBlock: ancestor + 1n, removedLogs: [] }, removedLogs)
    const ancestorHash = recent.hashOf(ancestor)
    tip = { number: ancestor, hash: ancestorHash }
    committed = { number: ancestor, hash: ancestorHash ?? '0x', recent: recent.idsThrough(ancestor, SAVED_HASHES) }
    await store.setCursor(chainId, committed)
  }

  async function fetchRange(from: bigint, to: bigint) {
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

  async function pass() {
    const head = await source.getBlockNumber()
    metrics?.headBlock.set(label, Number(head))
    if (lastHead !== undefined && head < lastHead) log.debug('head went backwards (lagging node); waiting, not a reorg', { chainId, head, previous: lastHead })
    lastHead = head
    const safe = head - BigInt(chain.confirmations)
    if (!tip) {
      if (committed) {
        tip = { number: committed.number, hash: committed.hash === '0x' ? undefined : (committed.hash as Hex) }
        const lookback = BigInt(chain.max_lookback_blocks)
        if (safe - tip.number > lookback) {
          log.warn('cursor is older than max_lookback_blocks; skipping ahead', { chainId, cursor: tip.number, resumeAt: safe - lookback + 1n })
          tip = { number: safe - lookback, hash: undefined }
        }
      } else {
        const start = chain.start_block === 'latest' ? safe : BigInt(chain.start_block)
        tip = { number: start - 1n, hash: undefined }
      }
      log.info('ingestion starting', { chainId, from: tip.number + 1n, head, source: source.kind })
    }
    while (!stopped && tip.number < safe) {
      const from = tip.number + 1n
      const to = from + BigInt(chain.max_block_range) - 1n < safe ? from + BigInt(chain.max_block_range) - 1n : safe
      const { blocks, byBlock } = await fetchRange(from, to)
      const first = blocks[0]
      if (first && tip.hash !== undefined && first.parentHash !== tip.hash) {
        await handleReorg(first)
        continue
      }
      for (const block of blocks) {
        if (stopped) return
        const logs = byBlock.get(block.number) ?? []
        const entry = { block, done: dispatcher.dispatchBlock(block, logs), settled: false }
        entry.done.then(
          () => {
            entry.settled = true
          },
          () => {},
        )
        inFlight.push(entry)
        recent.push(block, logs)
        tip = { number: block.number, hash: block.hash }
        await commitSettled()
        while (inFlight.length >= maxInFlight && !stopped) {
          await inFlight[0]!.done.catch(() => {})
          await commitSettled()
        }
      }
    }
    await commitSettled()
  }

  async function run() {
    let failures = 0
    const unwatch = source.watchHeads(
      () => wake?.(),
      (error) => {
        // The source reconnects (and counts it); polling from the cursor backfills the gap.
        log.warn('head subscription failed; polling continues', { chainId, error: describeError(error) })
      },
    )
    try {
      while (!stopped) {
        try {
          await pass()
          failures = 0
          if (!stopped) await sleep(chain.poll_interval_ms)
        } catch (error) {
          failures++
          const kind = error instanceof ChainMovedError ? 'chain_moved' : error instanceof Error ? error.name : 'unknown'
          metrics?.ingestErrors.inc({ chain_id: String(chainId), kind })
          const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 12))
          log.warn('ingestion pass failed; retrying', { chainId, error: describeError(error), retryInMs: backoff })
          if (!stopped) await sleep(backoff)
        }
      }
    } finally {
      unwatch()
      await drainInFlight()
    }
  }

  return {
    chainId,
    /** Starts following the chain; resolves once the loop has begun. */
    start() {
      loop ??= run()
    },
    /** Stops fetching, lets in-flight dispatches finish, and persists the cursor. */
    async stop() {
      stopped = true
      wake?.()
      await loop
    },
    status() {
      return { chainId, head: lastHead, cursor: committed?.number, inFlight: inFlight.length }
    },
  }
}

export type Ingestor = ReturnType<typeof createIngestor>
