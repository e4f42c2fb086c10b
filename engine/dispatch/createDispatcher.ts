import type { BlockRef, LogHost, RawLog, ReorgNotice } from '../../modules/sdk/module/types.ts'
import { decideAction } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ModuleEventError } from '../errors/dispatch.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogRouter } from './createLogRouter.ts'
import { abortableSleep } from '../timers/abortableSleep.ts'
import type { HandleReceipt, ModuleEvent, ModuleRunner } from './types.ts'

export type CreateDispatcherParameters = {
  runners: readonly ModuleRunner[]
  router: LogRouter
  metrics?: EngineMetrics
  log?: LogHost
  /** Backoff between tries of an event whose error says `retry`: first delay and cap, ms. */
  retryBackoffMs?: { min: number; max: number }
}

/** Metric labels of a runner: its module, and its chain when it serves one. */
const labelsOf = (runner: ModuleRunner) => (runner.chainId === undefined ? { module: runner.module ?? runner.name } : { module: runner.module ?? runner.name, chain_id: String(runner.chainId) })

const describeEvent = (event: ModuleEvent) => (event.kind === 'reorg' ? `reorg from ${event.reorg.fromBlock}` : `${event.kind} ${event.block.number}`)

/**
 * Sends each block (its logs first, then the block) to every module subscribed to that chain.
 * Every module has its own queue: modules run side by side, and within a module events keep chain
 * order. `dispatchBlock` resolves when every subscribed module has finished the block, which is
 * when the ingestor may move the cursor past it.
 *
 * A runner may resolve with a receipt (`HandleReceipt`): its next event runs at once, and the block
 * counts as finished for it once `stored` resolves.
 *
 * A runner that rejects is answered by the error's action (`decideAction`, see `ErrorAction`):
 * `retry` tries the same event again after a backoff, keeping the module's order (the cursor
 * waits); `drop` logs it, counts it and moves on (the block counts as finished for that module);
 * `stop`, or any failure once `close()` was called, rejects with a `ModuleEventError`, so the block
 * stays uncommitted and is delivered again after a restart. Each outcome is counted in
 * `shepherd_dispatch_outcomes_total{module,action}`.
 *
 * @example
 * const dispatcher = createDispatcher({ runners, router: createLogRouter(runners), metrics, log })
 * await dispatcher.dispatchBlock(block, logs)
 * dispatcher.close()
 */
export function createDispatcher({ runners, router, metrics, log, retryBackoffMs = { min: 500, max: 30_000 } }: CreateDispatcherParameters) {
  const tails = new Map<string, Promise<void>>()
  const depth = new Map<string, number>()
  const closing = new AbortController()
  const wantsBlocks = (runner: ModuleRunner, chainId: number) => runner.subscriptions.blocks?.some((s) => s.chainId === chainId) ?? false
  const wantsLogs = (runner: ModuleRunner, chainId: number) => runner.subscriptions.logs?.some((s) => s.chainId === chainId) ?? false

  /** Delivers one event until it is processed, dropped, or stopped (see the rule above). */
  async function deliver(runner: ModuleRunner, event: ModuleEvent): Promise<void | HandleReceipt> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await runner.handle(event)
      } catch (error) {
        const action = closing.signal.aborted ? 'stop' : decideAction(error)
        metrics?.dispatchOutcomes.inc({ ...labelsOf(runner), action })
        const fields = { module: runner.name, event: describeEvent(event), error: errorMessage(error) }
        if (action === 'drop') return void log?.error('module event dropped: its error says no retry can succeed; the module does not see it again', fields)
        if (action === 'stop') throw new ModuleEventError({ module: runner.name, event: describeEvent(event), cause: error })
        const delay = Math.min(retryBackoffMs.min * 2 ** Math.min(attempt, 16), retryBackoffMs.max)
        log?.warn('module event failed; retrying it in order', { ...fields, attempt: attempt + 1, retryInMs: delay })
        await abortableSleep(delay, closing.signal)
      }
    }
  }

  function enqueue(runner: ModuleRunner, events: ModuleEvent[]): Promise<void> {
    const previous = tails.get(runner.name) ?? Promise.resolve()
    depth.set(runner.name, (depth.get(runner.name) ?? 0) + 1)
    const processed = previous.then(async () => {
      const stored: Promise<void>[] = []
      try {
        for (const event of events) {
          const receipt = await deliver(runner, event)
          if (receipt) stored.push(receipt.stored)
        }
      } finally {
        depth.set(runner.name, (depth.get(runner.name) ?? 1) - 1)
      }
      return stored
    })
    // The chain of a module's queue never breaks: a failed event is reported to the caller, and the
    // next event still runs after it. It goes on once an event is processed; the caller hears of
    // the events once their writes are stored too.
    const ignore = () => {}
    tails.set(runner.name, processed.then(ignore, ignore))
    return processed.then((stored) => Promise.all(stored)).then(() => {})
  }

  return {
    /** Modules with anything on this chain. */
    runnersFor(chainId: number) {
      return runners.filter((r) => wantsBlocks(r, chainId) || wantsLogs(r, chainId))
    },
    dispatchBlock(block: BlockRef, logs: readonly RawLog[]): Promise<void> {
      const routed = router.route(block.chainId, logs)
      const work: Promise<void>[] = []
      for (const runner of runners) {
        const events: ModuleEvent[] = []
        const moduleLogs = routed.get(runner.name)
        if (moduleLogs?.length) {
          events.push({ kind: 'logs', block, logs: moduleLogs })
          metrics?.logsDelivered.inc(labelsOf(runner), moduleLogs.length)
        }
        if (wantsBlocks(runner, block.chainId)) events.push({ kind: 'block', block })
        if (events.length) work.push(enqueue(runner, events))
      }
      return Promise.all(work).then(() => {})
    },
    dispatchReorg(reorg: ReorgNotice, removedLogs: readonly RawLog[]): Promise<void> {
      const routed = router.route(reorg.chainId, removedLogs.map((l) => ({ ...l, removed: true })))
      const work = this.runnersFor(reorg.chainId).map((runner) =>
        enqueue(runner, [{ kind: 'reorg', reorg: { ...reorg, removedLogs: routed.get(runner.name) ?? [] } }]),
      )
      return Promise.all(work).then(() => {})
    },
    /** Events queued but not finished, per module. */
    queueDepth(name: string) {
      return depth.get(name) ?? 0
    },
    /** Resolves when every queue is empty. */
    async drain() {
      await Promise.all([...tails.values()])
    },
    /** Shutdown: no more retries; an event that fails from now on stays uncommitted (delivered again after a restart). */
    close() {
      closing.abort()
    },
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
