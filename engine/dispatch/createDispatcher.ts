import type { RawLog } from '../chain/types.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef, ReorgNotice } from '../module/types.ts'
import type { LogRouter } from './createLogRouter.ts'
import type { ModuleEvent, ModuleRunner } from './types.ts'

export type CreateDispatcherParameters = {
  runners: readonly ModuleRunner[]
  router: LogRouter
  metrics?: EngineMetrics
}

/**
 * Sends each block (its logs first, then the block) to every module subscribed to that chain.
 * Every module has its own queue: modules run side by side, and within a module events keep chain
 * order. `dispatchBlock` resolves when every subscribed module has finished the block, which is
 * when the ingestor may move the cursor past it.
 */
export function createDispatcher({ runners, router, metrics }: CreateDispatcherParameters) {
  const tails = new Map<string, Promise<void>>()
  const depth = new Map<string, number>()
  const wantsBlocks = (runner: ModuleRunner, chainId: number) => runner.subscriptions.blocks?.some((s) => s.chainId === chainId) ?? false
  const wantsLogs = (runner: ModuleRunner, chainId: number) => runner.subscriptions.logs?.some((s) => s.chainId === chainId) ?? false

  function enqueue(runner: ModuleRunner, events: ModuleEvent[]): Promise<void> {
    const previous = tails.get(runner.name) ?? Promise.resolve()
    depth.set(runner.name, (depth.get(runner.name) ?? 0) + 1)
    const next = previous.then(async () => {
      try {
        for (const event of events) await runner.handle(event)
      } finally {
        depth.set(runner.name, (depth.get(runner.name) ?? 1) - 1)
      }
    })
    // The chain of a module's queue never breaks: a failed event is reported to the caller, and the
    // next event still runs after it.
    tails.set(runner.name, next.catch(() => {}))
    return next
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
          metrics?.logsDelivered.inc({ module: runner.name }, moduleLogs.length)
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
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
