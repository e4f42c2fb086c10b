import type { LogHost } from '../../modules/sdk/module/types.ts'
import { describeEvent } from '../runner/describeEvent.ts'
import type { ModuleStore } from '../store/createStore.ts'
import { createCommitPipeline, type CommitPipeline, type PipelineEntry } from './createCommitPipeline.ts'
import type { ExponentialBackoff } from './createExponentialBackoff.ts'

export type CreateRefusedRedoParameters = {
  /** The module's name (its log lines). */
  name: string
  /** The module's store: resumed (it refuses every commit after a refused one) before the events run again. */
  moduleStore: Pick<ModuleStore, 'resume'>
  /** The delay before running refused events again; reset once a round finds nothing refused. */
  backoff: ExponentialBackoff
  /** Aborts when the supervisor stops: no more waiting, the events left are rejected. */
  signal: AbortSignal
  sleep(ms: number, signal: AbortSignal): Promise<void>
  log: LogHost
  /** Runs a refused event again, as the supervisor runs any event; it goes back into the pipeline. */
  run(entry: PipelineEntry): Promise<unknown>
  /** Runs a job after the module's current one: a redo started by a refusal waits its turn. */
  exclusive(job: () => Promise<void>): Promise<void>
}

export type RefusedRedo = {
  /** The commits in flight of the module's events. */
  pipeline: CommitPipeline
  /**
   * Runs again, in order, the events whose commits the store refused (the first refused one and all
   * after it: they ran on its writes), after a backoff; until none is refused. With `wait`, first
   * waits for every commit in flight (to learn whether one is refused); without, acts only on a
   * refusal already known, so the pipeline keeps flowing.
   */
  redo(wait: boolean): Promise<void>
}

/**
 * The commit pipeline of one supervised module, and the running again of the events whose commits
 * the store refused. A refusal is the engine's fault, not the module's: no trap is counted, the
 * events run again in order after a backoff. When nothing waits for the module's next event, a
 * refusal schedules the redo on its own (through `exclusive`, after the current job).
 *
 * @example
 * const { pipeline, redo } = createRefusedRedo({ name, moduleStore, backoff, signal, sleep, log, exclusive, run: (entry) => attempt(entry.event, undefined, entry) })
 * await redo(false) // before the next event: the refused ones first
 */
export function createRefusedRedo(parameters: CreateRefusedRedoParameters): RefusedRedo {
  const { name, moduleStore, backoff, signal, sleep, log, run, exclusive } = parameters
  let scheduled = false
  let redoing = false
  const pipeline = createCommitPipeline({
    onRefused: () => {
      // Nothing may be waiting for the module's next event: run the refused ones again on their own.
      if (scheduled) return
      scheduled = true
      exclusive(async () => {
        scheduled = false
        await redo(true)
      }).catch(() => {})
    },
  })

  async function redo(wait: boolean) {
    if (redoing || (!wait && !pipeline.refusedKnown())) return
    redoing = true
    try {
      for (let round = 0; ; round++) {
        const refused = await pipeline.takeRefused()
        if (refused.length === 0) {
          if (round > 0) backoff.reset()
          return
        }
        const delay = backoff.next()
        if (!signal.aborted) {
          log.error('store refused the writes of events; running them again in order', { module: name, events: refused.length, first: describeEvent(refused[0]!.event), retryInMs: delay })
          await sleep(delay, signal)
          await moduleStore.resume()
        }
        // Each one runs again (and is back in the pipeline) or, if the supervisor stops, is rejected: none is left waiting.
        for (let i = 0; i < refused.length; i++) {
          try {
            await run(refused[i]!)
          } catch (error) {
            pipeline.reject(refused.slice(i), error)
            throw error
          }
        }
      }
    } finally {
      redoing = false
    }
  }

  return { pipeline, redo }
}
