import type { ModuleEvent } from '../dispatch/types.ts'

/** One processed event whose writes are being committed. */
export type PipelineEntry = {
  readonly event: ModuleEvent
  /** Resolves once the event's writes are stored (in order with the events before it); rejects if the supervisor stops first. */
  readonly stored: Promise<void>
}

type Entry = PipelineEntry & {
  outcome: 'pending' | 'ok' | 'refused'
  commit: Promise<void>
  resolve(): void
  reject(error: unknown): void
}

export type CommitPipeline = {
  /**
   * Tracks `commit` for `event` (or for `entry` again, when a refused event ran again) and returns
   * its entry. Entries resolve in order: an event is stored only once every event before it is.
   */
  add(event: ModuleEvent, commit: Promise<void>, entry?: PipelineEntry): PipelineEntry
  /**
   * Waits until every commit in flight has settled; if one was refused, takes it and every entry
   * after it out of the pipeline (they ran on writes that are not stored) and returns them, in
   * order, to be run again. Empty when nothing was refused.
   */
  takeRefused(): Promise<PipelineEntry[]>
  /** True when a commit is known to be refused (some in flight may be too, unknown yet). */
  refusedKnown(): boolean
  /** Rejects entries taken out by `takeRefused` that will not run again (the supervisor stops). */
  reject(entries: readonly PipelineEntry[], error: unknown): void
  /** Rejects every entry not yet stored (the supervisor stops: those events are delivered again after a restart). */
  rejectAll(error: unknown): void
}

/**
 * The commits of one module's events, in flight back to back: the module runs its next event while
 * lmdb commits the previous ones (lmdb batches what arrives together into one transaction commit),
 * and each event reports `stored` in order once its commit landed. With the store's chained
 * refusal (a refused transaction refuses every later one until resumed), what is stored is always
 * a prefix of the events, and `takeRefused` hands back exactly the rest.
 *
 * @example
 * const pipeline = createCommitPipeline({ onRefused: () => scheduleRedo() })
 * const { stored } = pipeline.add(event, moduleStore.commit(marks))
 * for (const entry of await pipeline.takeRefused()) await runAgain(entry)
 */
export function createCommitPipeline({ onRefused }: { onRefused(): void }): CommitPipeline {
  const entries: Entry[] = []

  function settleFront(tell = true) {
    while (entries[0]?.outcome === 'ok') entries.shift()!.resolve()
    if (tell && entries[0]?.outcome === 'refused') onRefused()
  }

  function fresh(event: ModuleEvent): Entry {
    let resolve!: () => void
    let reject!: (error: unknown) => void
    const stored = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    stored.catch(() => {}) // the dispatcher observes it; a stop before anyone does is no unhandled rejection
    return { event, stored, resolve, reject, outcome: 'pending', commit: Promise.resolve() }
  }

  return {
    add(event, commit, given) {
      const entry = (given as Entry | undefined) ?? fresh(event)
      entry.outcome = 'pending'
      entry.commit = commit
      entries.push(entry)
      commit.then(
        () => {
          if (entry.commit !== commit) return
          entry.outcome = 'ok'
          settleFront()
        },
        () => {
          if (entry.commit !== commit) return
          entry.outcome = 'refused'
          settleFront()
        },
      )
      return entry
    },
    async takeRefused() {
      while (entries.some((e) => e.outcome === 'pending')) await Promise.allSettled(entries.map((e) => e.commit))
      // Settled: the stored ones at the front have resolved and left; what is left starts with a refused one.
      settleFront(false)
      return entries.splice(0)
    },
    refusedKnown: () => entries.some((e) => e.outcome === 'refused'),
    reject(taken, error) {
      for (const entry of taken) (entry as Entry).reject(error)
    },
    rejectAll(error) {
      for (const entry of entries.splice(0)) entry.reject(error)
    },
  }
}
