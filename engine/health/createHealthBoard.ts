import type { LogFields } from '../../modules/sdk/module/types.ts'

/** One thing that is not healthy: who reported it, which check, why, and since when (ms since the epoch). */
export type HealthProblem = { source: string; check: string; reason: string; since: number; fields?: LogFields }

/** What a watched check answers when it is failing; `since` defaults to the first read that saw it fail. */
export type HealthWatchAnswer = { reason: string; since?: number; fields?: LogFields }

export type HealthBoard = {
  /** Marks `check` of `source` degraded; the first report's `since` is kept while it stays degraded. Returns true on a change of state. */
  degraded(source: string, check: string, reason: string, fields?: LogFields): boolean
  /** Marks `check` of `source` healthy. Returns true when it was degraded. */
  ok(source: string, check: string): boolean
  /**
   * Registers a check that is a condition over time (a head not fetched for too long) rather than
   * an event: `probe` is asked on every read and answers undefined while healthy. Returns a
   * function that removes it.
   */
  watch(source: string, check: string, probe: () => HealthWatchAnswer | undefined): () => void
  /** Every open problem (reported or watched; a report wins over a watch of the same check), oldest first. */
  problems(): HealthProblem[]
}

export type CreateHealthBoardParameters = { now?: () => number }

/**
 * The engine's list of open health problems, fed by the parts that know (ingestors, supervisors,
 * modules through `host.health`) and read by `/healthz`. It only records: deciding what is
 * unhealthy stays with each reporter, so a new check needs no change here.
 *
 * @example
 * const board = createHealthBoard()
 * board.degraded('module:twap-monitor', 'submissions', 'orderbook answered 404 to 20 posts in a row')
 * board.watch('chain:1', 'head', () => (Date.now() - lastHeadAt > 5_000 ? { reason: 'no head for 5 s' } : undefined))
 * board.problems() // [{ source: 'module:twap-monitor', check: 'submissions', reason: '...', since: 1700000000000 }, ...]
 */
export function createHealthBoard({ now = Date.now }: CreateHealthBoardParameters = {}): HealthBoard {
  const open = new Map<string, HealthProblem>()
  const watches = new Map<string, { source: string; check: string; probe: () => HealthWatchAnswer | undefined; failingSince?: number }>()
  const key = (source: string, check: string) => `${source}\u0000${check}`
  return {
    degraded(source, check, reason, fields) {
      const known = open.get(key(source, check))
      open.set(key(source, check), { source, check, reason, since: known?.since ?? now(), ...(fields === undefined ? {} : { fields }) })
      return known === undefined || known.reason !== reason
    },
    ok(source, check) {
      return open.delete(key(source, check))
    },
    watch(source, check, probe) {
      const id = key(source, check)
      const entry = { source, check, probe }
      watches.set(id, entry)
      return () => {
        if (watches.get(id) === entry) watches.delete(id)
      }
    },
    problems() {
      const all = new Map(open)
      for (const [id, watch] of watches) {
        const answer = watch.probe()
        if (!answer) {
          watch.failingSince = undefined
          continue
        }
        watch.failingSince ??= answer.since ?? now()
        if (all.has(id)) continue
        all.set(id, { source: watch.source, check: watch.check, reason: answer.reason, since: answer.since ?? watch.failingSince, ...(answer.fields === undefined ? {} : { fields: answer.fields }) })
      }
      return [...all.values()].sort((a, b) => a.since - b.since)
    },
  }
}
