import { defaultBars, type ScenarioBars } from './defineScenario.ts'

/** What the judge needs, all measured from evidence. */
export type Measures = {
  twap: { expected: number; delivered: number; duplicates: number }
  ethFlow: { placed: number; observed: number; postedByWatcher: number }
  moduleErrors: number
  traps: number
  poisoned: number
  /** p99 block-to-submission latency (ms), undefined when nothing was submitted. */
  p99LatencyMs: number | undefined
  blockTimeMs: number
  /**
   * True when the orderbook is one we do not run: repeated posts and the watcher's EthFlow lookups
   * cannot be seen from outside, so those bars are left out (the runner notes it), not passed.
   */
  externalOrderbook?: boolean
  /** Extra bars a scenario adds (e2e terminal markers): name -> pass, with the measured value. */
  extra?: ReadonlyArray<{ name: string; bar: string; measured: string; pass: boolean }>
}

export type BarResult = { name: string; bar: string; measured: string; pass: boolean }

const percent = (part: number, whole: number) => (whole === 0 ? 'n/a (nothing expected)' : `${((100 * part) / whole).toFixed(2)}% (${part}/${whole})`)

/**
 * The acceptance checklist: each bar with the measured value beside it. Pure: the same measures
 * always give the same verdict, so the judge is tested on its own (including that it can fail).
 */
export function judge(measures: Measures, bars: ScenarioBars = {}): { pass: boolean; bars: BarResult[] } {
  const b = { ...defaultBars, ...bars }
  const results: BarResult[] = []
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole)
  results.push({
    name: 'TWAP delivery',
    bar: `>= ${(b.twapDelivery * 100).toFixed(0)}% of expected part UIDs reach the orderbook`,
    measured: percent(measures.twap.delivered, measures.twap.expected),
    pass: ratio(measures.twap.delivered, measures.twap.expected) >= b.twapDelivery,
  })
  const seen = !measures.externalOrderbook
  if (seen) results.push({
    name: 'EthFlow observed',
    bar: `>= ${(b.ethFlowObserved * 100).toFixed(0)}% of placements verified at the orderbook`,
    measured: percent(measures.ethFlow.observed, measures.ethFlow.placed),
    pass: ratio(measures.ethFlow.observed, measures.ethFlow.placed) >= b.ethFlowObserved,
  })
  if (seen) results.push({ name: 'EthFlow never posted', bar: '0 EthFlow orders posted by the watcher', measured: String(measures.ethFlow.postedByWatcher), pass: measures.ethFlow.postedByWatcher === 0 })
  if (seen) results.push({ name: 'Duplicates', bar: `<= ${b.maxDuplicates} posts of an already accepted UID`, measured: String(measures.twap.duplicates), pass: measures.twap.duplicates <= b.maxDuplicates })
  results.push({ name: 'Module errors', bar: `<= ${b.maxModuleErrors}`, measured: String(measures.moduleErrors), pass: measures.moduleErrors <= b.maxModuleErrors })
  results.push({ name: 'Traps', bar: `<= ${b.maxTraps}`, measured: String(measures.traps), pass: measures.traps <= b.maxTraps })
  results.push({ name: 'Poisoned modules', bar: `<= ${b.maxPoisoned}`, measured: String(measures.poisoned), pass: measures.poisoned <= b.maxPoisoned })
  const limit = b.p99LatencyBlocks * measures.blockTimeMs
  results.push({
    name: 'p99 block-to-submission',
    bar: `< ${limit} ms (${b.p99LatencyBlocks} block time${b.p99LatencyBlocks === 1 ? '' : 's'})`,
    measured: measures.p99LatencyMs === undefined ? 'n/a (no submissions)' : `${measures.p99LatencyMs.toFixed(0)} ms`,
    pass: measures.p99LatencyMs === undefined ? measures.twap.expected === 0 : measures.p99LatencyMs < limit,
  })
  results.push(...(measures.extra ?? []))
  return { pass: results.every((r) => r.pass), bars: results }
}
