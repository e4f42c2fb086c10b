import type { Outcome } from './instrumentModule.ts'

export type OutcomeClass = 'submitted' | 'rejected-expected' | 'rejected-unexpected' | 'strategy-error' | 'skipped' | 'alert'

/** One judged event of one module. */
export type BacktestEvent = { module: string; block: string; class: OutcomeClass; uid?: string; reason?: string }

/**
 * The pass bar: the default is 100% with no unexpected rejections and no strategy errors. A replay
 * with no event at all fails ("nothing to judge") unless `expectsNone` declares that the range
 * should produce none (then any event fails instead).
 */
export type PassBar = { minPassRate: number; maxUnexpectedRejections: number; maxStrategyErrors: number; expectsNone: boolean }
export const DEFAULT_PASS_BAR: PassBar = { minPassRate: 1, maxUnexpectedRejections: 0, maxStrategyErrors: 0, expectsNone: false }

/**
 * Rejections that mean "nothing is wrong": DuplicatedOrder says the orderbook already holds the
 * order (another watcher, or a retry, got there first), so the strategy's decision stood.
 */
export const DEFAULT_EXPECTED_REJECTIONS: readonly string[] = ['DuplicatedOrder']

export type DriftDifference = { change: 'missing' | 'extra'; module: string; block: string; kind: string; key: string; detail?: string }

export type BacktestResult = {
  cassette: { file: string; chainId: number; recordedOn: string; from: string; to: string; tool: string }
  modules: string[]
  orderbook: string
  blocks: number
  bar: PassBar
  /** `passRate` is null for a module with no events (nothing to rate, not 100%). */
  perModule: Array<{ module: string; totals: Record<OutcomeClass, number>; events: number; passRate: number | null }>
  totals: Record<OutcomeClass, number>
  /** Null when there was no event to judge. */
  passRate: number | null
  nonPassing: BacktestEvent[]
  events: BacktestEvent[]
  drift?: { checked: boolean; differences: DriftDifference[] }
  passed: boolean
  failures: string[]
}

const emptyTotals = (): Record<OutcomeClass, number> => ({ submitted: 0, 'rejected-expected': 0, 'rejected-unexpected': 0, 'strategy-error': 0, skipped: 0, alert: 0 })
const failing = (c: OutcomeClass) => c === 'rejected-unexpected' || c === 'strategy-error'

/** The class of one outcome; store markers other than `dropped:` are evidence, not events (undefined). */
export function classifyOutcome(outcome: Outcome, expectedRejections: readonly string[] = DEFAULT_EXPECTED_REJECTIONS): BacktestEvent | undefined {
  const base = { module: outcome.module, block: outcome.block.toString() }
  switch (outcome.kind) {
    case 'submitted':
      return { ...base, class: 'submitted', uid: outcome.key }
    case 'rejected':
      return { ...base, class: expectedRejections.includes(outcome.detail ?? '') ? 'rejected-expected' : 'rejected-unexpected', uid: outcome.key, reason: outcome.detail }
    case 'strategy-error':
      return { ...base, class: 'strategy-error', reason: outcome.detail }
    case 'alert':
      return { ...base, class: 'alert', reason: outcome.key }
    case 'marker':
      if (!outcome.key.startsWith('dropped:')) return undefined
      return { ...base, class: 'skipped', uid: outcome.key.slice('dropped:'.length), reason: reasonOf(outcome.detail) }
  }
}

/** A `dropped:` marker's value is the module's JSON; its `reason` field says why, when it has one. */
function reasonOf(detail: string | undefined): string | undefined {
  try {
    const value: unknown = JSON.parse(detail ?? '')
    const reason = typeof value === 'object' && value !== null ? (value as { reason?: unknown }).reason : value
    return typeof reason === 'string' ? reason : detail
  } catch {
    return detail
  }
}

const line = (o: Outcome) => `${o.module}\u0000${o.block}\u0000${o.kind}\u0000${o.key}\u0000${o.detail ?? ''}`

/** Every outcome in one list and not the other, as multisets (a repeated outcome counts twice). */
export function compareOutcomes(recorded: readonly Outcome[], replayed: readonly Outcome[]): DriftDifference[] {
  const count = new Map<string, { n: number; o: Outcome }>()
  for (const o of recorded) count.set(line(o), { n: (count.get(line(o))?.n ?? 0) + 1, o })
  for (const o of replayed) count.set(line(o), { n: (count.get(line(o))?.n ?? 0) - 1, o })
  const out: DriftDifference[] = []
  for (const { n, o } of count.values())
    for (let i = 0; i < Math.abs(n); i++)
      out.push({ change: n > 0 ? 'missing' : 'extra', module: o.module, block: o.block.toString(), kind: o.kind, key: o.key, ...(o.detail === undefined ? {} : { detail: o.detail }) })
  return out.sort((a, b) => (line({ ...a, block: BigInt(a.block) } as Outcome) < line({ ...b, block: BigInt(b.block) } as Outcome) ? -1 : 1))
}

export type JudgeBacktestParameters = {
  outcomes: readonly Outcome[]
  modules: string[]
  cassette: BacktestResult['cassette']
  orderbook: string
  blocks: number
  bar?: Partial<PassBar>
  expectedRejections?: readonly string[]
  /** Outcomes recorded in the cassette, for drift mode. */
  recorded?: readonly Outcome[]
}

/**
 * Classes every outcome, totals them per module, applies the pass bar and (drift mode) lists every
 * difference from the recording. Pure: the same outcomes give the same result.
 *
 * @example
 * const result = judgeBacktest({ outcomes, modules: ['price-alert'], cassette, orderbook: 'recorded', blocks: 1200 })
 */
export function judgeBacktest({ outcomes, modules, cassette, orderbook, blocks, bar: givenBar, expectedRejections, recorded }: JudgeBacktestParameters): BacktestResult {
  const bar = { ...DEFAULT_PASS_BAR, ...givenBar }
  const events = outcomes.flatMap((o) => classifyOutcome(o, expectedRejections) ?? [])
  const totals = emptyTotals()
  const perModule = modules.map((module) => {
    const own = events.filter((e) => e.module === module)
    const t = emptyTotals()
    for (const e of own) t[e.class]++
    const passing = own.filter((e) => !failing(e.class)).length
    return { module, totals: t, events: own.length, passRate: own.length ? passing / own.length : null }
  })
  for (const e of events) totals[e.class]++
  const nonPassing = events.filter((e) => failing(e.class))
  const passRate = events.length ? (events.length - nonPassing.length) / events.length : null
  const failures: string[] = []
  if (blocks === 0) failures.push('nothing to judge: the cassette has no blocks')
  else if (bar.expectsNone && events.length > 0) failures.push(`the pass bar expects no events, the replay produced ${events.length}`)
  else if (!bar.expectsNone && events.length === 0)
    failures.push(`nothing to judge: ${blocks} blocks replayed and no module (${modules.join(', ') || 'none'}) produced an event; declare expectsNone in the pass bar if that is the point`)
  if (passRate !== null && passRate < bar.minPassRate) failures.push(`pass rate ${(passRate * 100).toFixed(2)}% is below ${(bar.minPassRate * 100).toFixed(2)}%`)
  if (totals['rejected-unexpected'] > bar.maxUnexpectedRejections) failures.push(`${totals['rejected-unexpected']} unexpected rejections (max ${bar.maxUnexpectedRejections})`)
  if (totals['strategy-error'] > bar.maxStrategyErrors) failures.push(`${totals['strategy-error']} strategy errors (max ${bar.maxStrategyErrors})`)
  let drift: BacktestResult['drift']
  if (recorded) {
    const differences = compareOutcomes(recorded.filter((o) => modules.includes(o.module)), outcomes)
    drift = { checked: true, differences }
    if (differences.length) failures.push(`drift: ${differences.length} outcomes differ from the recording`)
  }
  return { cassette, modules, orderbook, blocks, bar, perModule, totals, passRate, nonPassing, events, ...(drift ? { drift } : {}), passed: failures.length === 0, failures }
}
