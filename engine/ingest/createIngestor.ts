import type { Hex } from 'viem'
import type { ChainSource } from '../chain/types.ts'
import { defaultMaxLagBlocks, type ChainConfig } from '../config/schema.ts'
import type { ChainLogFilter } from '../dispatch/createLogRouter.ts'
import type { Dispatcher } from '../dispatch/createDispatcher.ts'
import { type ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ChainIdMismatchError } from '../errors/ingest.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef, LogHost } from '../../modules/sdk/module/types.ts'
import type { EngineStore } from '../store/createStore.ts'
import { createChainProblemReporter } from './createChainProblemReporter.ts'
import { createCursorWriter } from './createCursorWriter.ts'
import { createDispatchWindow } from './createDispatchWindow.ts'
import { createHeadTracker } from './createHeadTracker.ts'
import { ChainMovedError, createRangeFetcher } from './createRangeFetcher.ts'
import { createReorgRecorder } from './createReorgRecorder.ts'
import { decideIngestAction } from './decideIngestAction.ts'
import { findCommonAncestor } from './findCommonAncestor.ts'
import { nextBlockWindow } from './nextBlockWindow.ts'
import { createRecentChain } from './recentChain.ts'
import { resolveResumePoint } from './resolveResumePoint.ts'
import { headStaleAfterMs, watchChainHealth } from './watchChainHealth.ts'

export type CreateIngestorParameters = {
  source: ChainSource
  chain: Pick<ChainConfig, 'confirmations' | 'poll_interval_ms' | 'max_lookback_blocks' | 'start_block' | 'max_block_range'> &
    Partial<Pick<ChainConfig, 'max_lag_blocks' | 'on_gap'>>
  store: Pick<EngineStore, 'getCursor' | 'setCursor'>
  dispatcher: Pick<Dispatcher, 'dispatchBlock' | 'dispatchReorg'>
  /** What eth_getLogs asks for; undefined for a block-only chain (no getLogs at all). */
  filter: ChainLogFilter | undefined
  metrics?: EngineMetrics
  /** Where the chain's health problems go (`/healthz`): head not fetched, lag, gap skipped, stopped. */
  health?: HealthBoard
  log: LogHost
  /** Blocks dispatched but not yet finished by every module; bounds memory and lag. */
  maxInFlight?: number
  /** Backoff cap after a failed fetch, ms. */
  maxBackoffMs?: number
  /** How long without a fetched head before `/healthz` says so; default `headStaleAfterMs(poll_interval_ms)`. */
  headStaleAfterMs?: number
  now?: () => number
}

/** Block hashes saved with each cursor write (a reorg deeper than this while down is resumed past, with an error log). */
const SAVED_HASHES = 64

/**
 * Follows one chain and owns its unfinalized part. Invariant: every block handed to the
 * dispatcher has `parentHash` equal to the hash of the block before it; the cursor (persisted)
 * is the last block every module finished, and it only ever moves in order. The cursor is
 * persisted by a single in-order writer (`createCursorWriter`) as blocks finish, without holding
 * up the dispatch of the next ones; it is acknowledged (`shepherd_cursor_block`, `status().cursor`)
 * only once lmdb flushed it. A failed fetch is
 * retried with backoff, never skipped; a parent-hash mismatch walks back to the common ancestor
 * and tells the modules (`onReorg`) before the new branch is delivered.
 *
 * What no retry fixes stops the chain instead (`decideIngestAction`): `eth_chainId` answering
 * another chain (checked at start, after every stream drop and after every failed pass), a method
 * the node does not serve, a `stop`-class error, a gap under `on_gap = "halt"`. A stopped chain
 * keeps its cursor, sets `shepherd_chain_stopped{chain_id}` to 1, logs the cause with what to do,
 * and stays on `/healthz` until a restart.
 *
 * @example
 * const ingestor = createIngestor({ source, chain, store, dispatcher, filter: router.filterFor(chainId), metrics, health, log })
 * ingestor.start()
 * await ingestor.stop()
 */
export function createIngestor({
  source,
  chain,
  store,
  dispatcher,
  filter,
  metrics,
  health,
  log,
  maxInFlight = 64,
  maxBackoffMs = 30_000,
  headStaleAfterMs: staleAfterMs = headStaleAfterMs(chain.poll_interval_ms),
  now = Date.now,
}: CreateIngestorParameters) {
  const chainId = source.chainId
  const label = { chain_id: String(chainId) }
  const reorgs = createReorgRecorder({ chainId, metrics, log })
  const problems = createChainProblemReporter({ chainId, metrics, health, log, maxLookbackBlocks: chain.max_lookback_blocks })
  const confirmations = BigInt(chain.confirmations)
  const maxLag = BigInt(chain.max_lag_blocks ?? defaultMaxLagBlocks)
  const onGap = chain.on_gap ?? 'halt'
  const recent = createRecentChain(256)
  const fetchRange = createRangeFetcher({ source, filter, metrics, log })
  // The newest finished position (handed to the cursor writer) and the newest acknowledged one
  // (flushed). What a previous run left on disk is both: lmdb reopens at a flushed state.
  let committed = store.getCursor(chainId)
  let durable = committed
  // The hashes saved with the cursor: a reorg while the engine was down finds its fork point.
  if (committed?.recent) recent.seed(committed.recent)
  let tip: { number: bigint; hash: Hex | undefined } | undefined
  let stopped = false
  let wake: (() => void) | undefined
  let loop: Promise<void> | undefined
  let lastError: string | undefined
  let haltedBy: ShepherdError | undefined
  // The block every module has finished, or where ingestion resumed before the first commit: lag is measured from it.
  let position: bigint | undefined = committed?.number
  // eth_chainId is asked before the first pass, after a stream drop and after any failed pass.
  let checkChainId = true
  let chainIdChecks = 0
  const createdAt = now()
  const head = createHeadTracker({ source, confirmations, maxLagBlocks: maxLag, position: () => position, metrics, log, now })

  const state = () => ({
    createdAt,
    lastHeadAt: head.fetchedAt,
    safeHead: head.safeHead,
    position,
    lagSince: head.lagSince,
    lastError,
    halted: haltedBy !== undefined,
  })

  const cursorWriter = createCursorWriter({
    chainId,
    store,
    log,
    onDurable: (cursor) => {
      durable = cursor
      metrics?.cursorBlock.set(label, Number(cursor.number))
    },
  })
  // The cursor moves past every finished block at the front, in order, as soon as one finishes:
  // the writer stores the newest position when the disk is ready, while dispatch goes on.
  const inFlight = createDispatchWindow({
    onAdvance: (last, count) => {
      metrics?.blocksProcessed.inc(label, count)
      committed = { number: last.number, hash: last.hash, recent: recent.idsThrough(last.number, SAVED_HASHES) }
      position = last.number
      cursorWriter.advance(committed)
    },
  })
  const unwatchHealth = watchChainHealth({ chainId, health, metrics, staleAfterMs, maxLagBlocks: maxLag, read: state, now })

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

  async function verifyChainId() {
    if (!checkChainId || !source.getChainId) return
    const answered = await source.getChainId()
    if (answered !== chainId) throw new ChainIdMismatchError({ configured: chainId, answered, when: chainIdChecks === 0 ? 'at start' : 'after a stream drop or a failed request' })
    chainIdChecks++
    checkChainId = false
  }

  /** A block the dispatcher left uncommitted stays so (it is delivered again after a restart): the pass ends with its error. */
  function throwIfFailed() {
    if (!stopped) inFlight.throwIfFailed()
  }

  /** Waits for the oldest block in flight; while modules are slow, the head is still fetched once per poll interval. */
  async function waitForOldest() {
    if ((await inFlight.waitForOldest(chain.poll_interval_ms)) === 'tick' && !stopped) await head.fetch()
  }

  async function handleReorg(first: BlockRef) {
    await inFlight.drain()
    const { ancestor, beyondKnown } = await findCommonAncestor({ known: recent.newestFirst(), getBlock: (n) => source.getBlock(n), first })
    if (beyondKnown) log.error('reorg deeper than the recent-block ring; resuming from before it', { chainId, ancestor })
    const removedLogs = recent.logsAfter(ancestor)
    reorgs.record({ ancestor, tip: tip?.number, removedLogs: removedLogs.length, logsKnown: recent.logsKnownAfter(ancestor) })
    recent.truncateAfter(ancestor)
    await dispatcher.dispatchReorg({ chainId, fromBlock: ancestor + 1n, removedLogs: [] }, removedLogs)
    const ancestorHash = recent.hashOf(ancestor)
    tip = { number: ancestor, hash: ancestorHash }
    committed = { number: ancestor, hash: ancestorHash ?? '0x', recent: recent.idsThrough(ancestor, SAVED_HASHES) }
    position = ancestor
    // Rare: the cursor moves back to the fork point, durably, before the new branch is delivered.
    cursorWriter.advance(committed)
    await cursorWriter.flushed()
  }

  async function pass() {
    await verifyChainId()
    let safe = await head.fetch()
    if (!tip) {
      const { skipped, ...resume } = resolveResumePoint({ chainId, cursor: committed, chain, safe })
      if (skipped) problems.gapSkipped(skipped)
      tip = resume
      if (position === undefined || position < tip.number) position = tip.number
      if (!committed) {
        // A fresh engine pins where it starts before it delivers anything: "latest" resolved again
        // after a crash would start later and never deliver the blocks in between.
        committed = { number: tip.number, hash: '0x', recent: [] }
        cursorWriter.advance(committed)
        await cursorWriter.flushed()
      }
      log.info('ingestion starting', { chainId, from: tip.number + 1n, head: head.head, source: source.kind, onGap })
    }
    while (!stopped && tip.number < safe) {
      // A long catch-up keeps following the head (and keeps /healthz's head check true).
      if (now() - head.fetchedAt! >= chain.poll_interval_ms) safe = await head.fetch()
      const range = nextBlockWindow(tip.number, safe, chain.max_block_range)
      if (!range) break
      const { blocks, byBlock } = await fetchRange(range.from, range.to)
      const first = blocks[0]
      if (first && tip.hash !== undefined && first.parentHash !== tip.hash) {
        await handleReorg(first)
        continue
      }
      for (const block of blocks) {
        if (stopped) return
        const logs = byBlock.get(block.number) ?? []
        inFlight.push(block, dispatcher.dispatchBlock(block, logs))
        recent.push(block, logs)
        tip = { number: block.number, hash: block.hash }
        throwIfFailed()
        while (inFlight.size >= maxInFlight && !stopped) {
          await waitForOldest()
          throwIfFailed()
        }
      }
    }
    throwIfFailed()
  }

  function halt(error: ShepherdError) {
    haltedBy = error
    problems.stopped(error)
  }

  async function run() {
    let failures = 0
    const unwatch = source.watchHeads(
      () => wake?.(),
      (error) => {
        // The source reconnects (and counts it); polling from the cursor backfills the gap. The
        // node behind the new connection may be another one: ask its chain id again.
        checkChainId = true
        log.warn('head subscription failed; polling continues', { chainId, error: errorMessage(error) })
      },
    )
    try {
      while (!stopped) {
        try {
          await pass()
          failures = 0
          lastError = undefined
          if (!stopped) await sleep(chain.poll_interval_ms)
        } catch (error) {
          if (stopped) break
          const decision = decideIngestAction(error, chainId)
          if (decision.action === 'stop') {
            halt(decision.error)
            break
          }
          failures++
          checkChainId = true
          lastError = errorMessage(error)
          const kind = error instanceof ChainMovedError ? 'chain_moved' : error instanceof Error ? error.name : 'unknown'
          metrics?.ingestErrors.inc({ chain_id: String(chainId), kind })
          const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 12))
          log.warn('ingestion pass failed; retrying', { chainId, error: lastError, retryInMs: backoff })
          if (!stopped) await sleep(backoff)
        }
      }
    } finally {
      unwatch()
      // An event a stopped module never finished rejects: it stays uncommitted and is delivered again.
      await inFlight.drain()
      await cursorWriter.close()
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
      unwatchHealth()
    },
    status() {
      return {
        chainId,
        state: haltedBy ? ('stopped' as const) : head.fetchedAt === undefined ? ('starting' as const) : ('running' as const),
        head: head.head,
        // The acknowledged cursor: flushed, the point a restart resumes from.
        cursor: durable?.number,
        lag: head.lag(),
        headAgeMs: head.fetchedAt === undefined ? undefined : now() - head.fetchedAt,
        inFlight: inFlight.size,
        ...(haltedBy ? { stoppedReason: haltedBy.shortMessage, hint: haltedBy.hint } : {}),
      }
    },
  }
}

export type Ingestor = ReturnType<typeof createIngestor>
