import type { Exposition, Sample } from './prometheus.ts'

/** One scrape of one engine process: when, which process, and what its `/metrics` said. */
export type Scrape = Exposition & { at: number; pid?: number | undefined }

/**
 * An engine process of the run that has ended, with the last figures the harness read from it. A
 * SIGKILL gives a process no chance to say more, so the harness scrapes just before it kills.
 */
export type EndedEngine = {
  pid?: number | undefined
  startedAt: number
  endedAt: number
  /** How it ended, as Node reported the child's exit. */
  exit: { code: number | null; signal: NodeJS.Signals | null }
  /** Its final figures; undefined when that scrape failed (`finalError` says why). */
  final?: Scrape | undefined
  finalError?: string | undefined
}

/** The run's metrics at one moment: every engine process that ended (its final figures) and the live one's scrape. */
export type RunMetrics = { ended: readonly EndedEngine[]; current: Scrape }

/**
 * A figure the judge reads, or why it could not be read. A missing or renamed metric is "not
 * measured", never 0: a bar fed by nothing must not pass.
 */
export type Evidence<T> = { value: T } | { notMeasured: string }

/** One row of a counter grouped by some labels. */
export type LabelledValue = { labels: Record<string, string>; value: number }

const scrapesOf = (run: RunMetrics): Array<{ scrape: Scrape | undefined; who: string; error?: string | undefined }> => [
  ...run.ended.map((life) => ({ scrape: life.final, who: `engine pid ${life.pid ?? '?'} (ended)`, error: life.finalError })),
  { scrape: run.current, who: run.current.pid === undefined ? 'the engine' : `engine pid ${run.current.pid}` },
]

/**
 * Why `name` is not measured in this run, or undefined when every engine process declared it. A
 * process whose final figures were never read makes every counter "not measured": what it counted
 * is lost, and a sum without it would be a guess.
 *
 * @example
 * notMeasuredReason(run, 'shepherd_module_traps_total') // 'shepherd_module_traps_total absent from /metrics of engine pid 4242'
 */
export function notMeasuredReason(run: RunMetrics, name: string): string | undefined {
  for (const { scrape, who, error } of scrapesOf(run)) {
    if (!scrape) return `final figures of ${who} were not read (${error ?? 'no scrape'})`
    if (!scrape.families.has(name)) return `${name} absent from /metrics of ${who}`
  }
  return undefined
}

const keyOf = (labels: Record<string, string>, by: readonly string[]) => JSON.stringify(by.map((k) => labels[k] ?? ''))

/**
 * A counter summed over every engine process of the run (the ended ones' final figures plus the
 * live one), grouped by the labels in `by`. Not measured when any process did not declare it.
 * `series` reads another series of the family: a histogram's `<name>_count` is a counter of its
 * observations (the family `<name>` must be declared).
 *
 * @example
 * counterTotals(run, 'shepherd_module_traps_total', ['module', 'kind'])
 * // { value: [{ labels: { module: 'traps-every-k', kind: 'throw' }, value: 3 }] }
 * counterTotals(run, 'shepherd_event_latency_seconds', ['module', 'event_kind'], 'shepherd_event_latency_seconds_count')
 * // events each module handled, by kind, over every engine process
 */
export function counterTotals(run: RunMetrics, name: string, by: readonly string[], series = name): Evidence<LabelledValue[]> {
  const reason = notMeasuredReason(run, name)
  if (reason) return { notMeasured: reason }
  const rows = new Map<string, LabelledValue>()
  for (const { scrape } of scrapesOf(run))
    for (const sample of scrape!.samples) {
      if (sample.name !== series) continue
      const key = keyOf(sample.labels, by)
      const row = rows.get(key) ?? { labels: Object.fromEntries(by.map((k) => [k, sample.labels[k] ?? ''])), value: 0 }
      row.value += sample.value
      rows.set(key, row)
    }
  return { value: [...rows.values()] }
}

/**
 * What a counter grew by between two moments of the run, grouped by `by` (rows that did not grow
 * are left out). Not measured when either moment lacks it.
 *
 * @example
 * counterDelta(before, after, 'shepherd_module_errors_total', ['module', 'error_kind'])
 */
export function counterDelta(before: RunMetrics, after: RunMetrics, name: string, by: readonly string[]): Evidence<LabelledValue[]> {
  const later = counterTotals(after, name, by)
  if ('notMeasured' in later) return later
  const earlier = counterTotals(before, name, by)
  if ('notMeasured' in earlier) return earlier
  const prior = new Map(earlier.value.map((row) => [keyOf(row.labels, by), row.value]))
  return { value: later.value.map((row) => ({ labels: row.labels, value: row.value - (prior.get(keyOf(row.labels, by)) ?? 0) })).filter((row) => row.value !== 0) }
}

/**
 * The sum of a grouped counter's rows, optionally only the rows whose labels include `where`;
 * "not measured" stays "not measured" (never 0).
 *
 * @example
 * total(counterTotals(run, 'shepherd_chain_request_total', ['outcome']), { outcome: 'error' }) // { value: 12 }
 * total({ notMeasured: 'shepherd_chain_request_total absent' }) // { notMeasured: 'shepherd_chain_request_total absent' }
 */
export function total(evidence: Evidence<LabelledValue[]>, where: Record<string, string> = {}): Evidence<number> {
  if ('notMeasured' in evidence) return evidence
  return { value: evidence.value.filter((row) => Object.entries(where).every(([k, v]) => row.labels[k] === v)).reduce((sum, row) => sum + row.value, 0) }
}

/**
 * The values of a label whose gauge was non-zero in any engine process of the run (at its end, or
 * now): e.g. every module poisoned at some point, even one a restart forgot.
 *
 * @example
 * gaugeEver(run, 'shepherd_module_poisoned', 'module') // { value: ['traps-every-k'] }
 */
export function gaugeEver(run: RunMetrics, name: string, label: string): Evidence<string[]> {
  const reason = notMeasuredReason(run, name)
  if (reason) return { notMeasured: reason }
  const seen = new Set<string>()
  for (const { scrape } of scrapesOf(run)) for (const sample of scrape!.samples) if (sample.name === name && sample.value !== 0) seen.add(sample.labels[label] ?? '')
  return { value: [...seen].sort() }
}

/**
 * Every sample of the run's engine processes (ended ones' finals, then the live one), for histogram
 * and label reads. An ended process whose final figures were not read adds nothing: use
 * `counterTotals` (which says "not measured") where that must not pass unnoticed.
 *
 * @example
 * histogramOf(allSamples(run), 'shepherd_event_latency_seconds', { module: 'twap-monitor' }).count
 */
export function allSamples(run: RunMetrics): Sample[] {
  return scrapesOf(run).flatMap(({ scrape }) => scrape?.samples ?? [])
}

/**
 * Evidence as text for a bar's measured column: the value, or "not measured: why".
 *
 * @example
 * describeEvidence({ value: 3 }) // '3'
 * describeEvidence({ notMeasured: 'shepherd_module_traps_total absent' }) // 'not measured: shepherd_module_traps_total absent'
 * describeEvidence({ value: ['m'] }, (v) => v.join(', ')) // 'm'
 */
export function describeEvidence<T>(evidence: Evidence<T>, show: (value: T) => string = String): string {
  return 'notMeasured' in evidence ? `not measured: ${evidence.notMeasured}` : show(evidence.value)
}
