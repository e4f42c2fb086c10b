import type { LogFields } from '../module/types.ts'

/** One thing that is not healthy: who reported it, which check, why, and since when (ms since the epoch). */
export type HealthProblem = { source: string; check: string; reason: string; since: number; fields?: LogFields }

export type HealthBoard = {
  /** Marks `check` of `source` degraded; the first report's `since` is kept while it stays degraded. Returns true on a change of state. */
  degraded(source: string, check: string, reason: string, fields?: LogFields): boolean
  /** Marks `check` of `source` healthy. Returns true when it was degraded. */
  ok(source: string, check: string): boolean
  /** Every open problem, oldest first. */
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
 * board.problems() // [{ source: 'module:twap-monitor', check: 'submissions', reason: '...', since: 1700000000000 }]
 */
export function createHealthBoard({ now = Date.now }: CreateHealthBoardParameters = {}): HealthBoard {
  const open = new Map<string, HealthProblem>()
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
    problems: () => [...open.values()].sort((a, b) => a.since - b.since),
  }
}
