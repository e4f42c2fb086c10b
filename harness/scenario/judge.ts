import { defaultBars, type BarKey, type ScenarioDefinition } from './defineScenario.ts'
import { describeEvidence, type Evidence } from './runMetrics.ts'
import type { AppDataIntact } from './judgeAppData.ts'
import type { EthFlowAppDataIntact } from './judgeEthFlowAppData.ts'

/**
 * How a bar came out. `not measured`: its evidence is missing (a metric the engine did not serve,
 * a lookup that failed, nothing to judge): the run fails, it never passes by default.
 * `not applicable`: the scenario (or the run, e.g. an external orderbook) declares the bar cannot
 * apply, with the reason in `measured`; it does not fail the run.
 */
export type BarStatus = 'pass' | 'fail' | 'not measured' | 'not applicable'

/** One acceptance bar: what it requires, what was measured, and the outcome. */
export type BarResult = { name: string; bar: string; measured: string; pass: boolean; status?: BarStatus | undefined }

/** A bound computed from the run's own evidence (e.g. the traps the chaos fixture injected), and why it is what it is. */
export type DerivedBound = { max: number; why: string }

/** The most errors of one `error_kind` one module may report in a run, and why (what the scenario injected that causes them). */
export type ErrorKindBound = { module: string; kind: string; max: number; why: string }

/** One row of `shepherd_module_errors_total{module,error_kind}`, summed over the run. */
export type ModuleErrorCount = { module: string; kind: string; count: number }

/** What the judge needs, all measured from evidence. */
export type Measures = {
  /** `notMeasured`: expected parts whose lookup at an external orderbook failed. */
  twap: { expected: number; delivered: number; duplicates: number; notMeasured?: number | undefined }
  ethFlow: { placed: number; observed: number; postedByWatcher: number }
  /** Accepted orders nothing explains (not an expected part, a drain part, an EthFlow order or a declared order). */
  unexplainedOrders: number
  /** Errors modules reported and handled themselves (`shepherd_module_errors_total`). */
  moduleErrors: Evidence<number>
  /** The same errors by module and `error_kind`: what a per-kind bound (`bounds.moduleErrorsByKind`) is judged from. */
  moduleErrorsByKind?: Evidence<readonly ModuleErrorCount[]> | undefined
  /** Traps of every kind (`shepherd_module_traps_total`). */
  traps: Evidence<number>
  /** Modules parked at some point of the run (`shepherd_module_poisoned`, every engine process). */
  poisoned: Evidence<number>
  /** p99 block-to-submission latency (ms); undefined when no latency was measured. */
  p99LatencyMs: number | undefined
  blockTimeMs: number
  /**
   * True when the orderbook is one we do not run: repeated posts, unexplained orders and the
   * watcher's EthFlow lookups cannot be seen from outside, so those bars are not applicable.
   */
  externalOrderbook?: boolean | undefined
  /**
   * Set (to the subject's one-line description) when the subject is an external command: it serves
   * no Shepherd metrics, so the bars read from them (module errors, traps, poisoned modules) are
   * "not measured for this subject": shown so, with status `not applicable` (they neither pass nor
   * fail the run). Ground-truth bars are judged as for our engine.
   */
  externalSubject?: string | undefined
  /** Bounds derived from the run's evidence, replacing the scenario's fixed ones (chaos, crash-loop). */
  bounds?:
    | {
        maxTraps?: DerivedBound | undefined
        maxModuleErrors?: DerivedBound | undefined
        /**
         * Per module and `error_kind`: each kind is judged against its own bound, and a kind with no
         * bound must be 0. Replaces `maxModuleErrors` (one total across kinds cannot tell an expected
         * error from an unexpected one).
         */
        moduleErrorsByKind?: readonly ErrorKindBound[] | undefined
        /** Fewest expected parts that must be delivered (e.g. all but those whose whole window lay inside an outage). */
        minTwapDelivered?: { min: number; why: string } | undefined
        p99LatencyMs?: DerivedBound | undefined
      }
    | undefined
  /**
   * Whether accepted orders carry the appData their creations named (judgeAppData.ts). Judged as the
   * "appData intact" bar when any creation named a non-empty document; absent or all-empty: no bar.
   */
  appData?: AppDataIntact | undefined
  /**
   * Whether the orderbook shows each EthFlow order with the appData its OrderPlacement named
   * (judgeEthFlowAppData.ts). Judged as the "EthFlow appData intact" bar when any placement named a
   * non-empty document; absent or all-empty: no bar. An external orderbook is read per UID, so it is judged too.
   */
  ethFlowAppData?: EthFlowAppDataIntact | undefined
  /** Extra bars a scenario adds (e2e terminal markers, chaos evidence). */
  extra?: readonly BarResult[] | undefined
}

/** What a scenario declares about judging: its bars, what it expects none of, and which bars cannot apply. */
export type JudgeRules = Pick<ScenarioDefinition, 'bars' | 'expectsNone' | 'notApplicable'>

/** Bars read from the engine's own metrics: an external subject cannot be measured on them. */
const engineOnly: ReadonlySet<BarKey> = new Set(['moduleErrors', 'traps', 'poisoned'])

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}% (${part}/${whole})`
const result = (name: string, bar: string, measured: string, status: BarStatus): BarResult => ({ name, bar, measured, status, pass: status === 'pass' || status === 'not applicable' })
const outcome = (ok: boolean): BarStatus => (ok ? 'pass' : 'fail')

/**
 * The acceptance checklist: each bar with the measured value beside it. Pure: the same measures
 * always give the same verdict, so the judge is tested on its own (every bar against a run that
 * breaks it). A run with nothing to judge fails ("nothing to judge") unless the scenario declares
 * `expectsNone`; a bar whose evidence is missing fails as "not measured".
 *
 * @example
 * const verdict = judge(measures, { bars: { maxDuplicates: 0 } })
 * verdict.bars.filter((b) => !b.pass).map((b) => `${b.name}: ${b.measured}`)
 */
export function judge(measures: Measures, rules: JudgeRules = {}): { pass: boolean; bars: BarResult[] } {
  const b = { ...defaultBars, ...rules.bars }
  const none = new Set(rules.expectsNone ?? [])
  const declaredNa = rules.notApplicable ?? {}
  const external = measures.externalOrderbook === true
  const results: BarResult[] = []
  const subject = measures.externalSubject
  const add = (key: BarKey, name: string, bar: string, judgeIt: () => [string, BarStatus], externalNa?: string) => {
    const reason = declaredNa[key] ?? (external ? externalNa : undefined)
    if (reason !== undefined) results.push(result(name, bar, `not applicable: ${reason}`, 'not applicable'))
    else if (subject !== undefined && engineOnly.has(key)) results.push(result(name, bar, `not measured for this subject (${subject}): it serves no Shepherd metrics`, 'not applicable'))
    else results.push(result(name, bar, ...judgeIt()))
  }
  const counted = (what: string, expected: number, kind: 'twap' | 'ethFlow', judgeIt: () => [string, BarStatus]): [string, BarStatus] => {
    if (none.has(kind)) return expected === 0 ? ['none expected, none on chain', 'pass'] : [`the scenario expects none, the chain shows ${expected} ${what}`, 'fail']
    if (expected === 0) return [`nothing to judge: 0 ${what} on chain (declare expectsNone: ['${kind}'] if that is the point)`, 'not measured']
    return judgeIt()
  }

  const { twap, ethFlow } = measures
  const minDelivered = measures.bounds?.minTwapDelivered
  const deliveryBar = minDelivered ? `>= ${minDelivered.min} of ${twap.expected} expected part UIDs reach the orderbook (${minDelivered.why})` : `>= ${(b.twapDelivery * 100).toFixed(0)}% of expected part UIDs reach the orderbook`
  add('twapDelivery', 'TWAP delivery', deliveryBar, () =>
    counted('expected TWAP parts', twap.expected, 'twap', () => {
      if (twap.notMeasured) return [`not measured: ${twap.notMeasured} of ${twap.expected} lookups failed (${percent(twap.delivered, twap.expected)} found)`, 'not measured']
      return [percent(twap.delivered, twap.expected), outcome(minDelivered ? twap.delivered >= minDelivered.min : twap.delivered / twap.expected >= b.twapDelivery)]
    }),
  )
  const unseen = 'an orderbook we do not run cannot show it'
  add(
    'ethFlowObserved',
    'EthFlow observed',
    `>= ${(b.ethFlowObserved * 100).toFixed(0)}% of placements verified at the orderbook`,
    () => counted('EthFlow placements', ethFlow.placed, 'ethFlow', () => [percent(ethFlow.observed, ethFlow.placed), outcome(ethFlow.observed / ethFlow.placed >= b.ethFlowObserved)]),
    unseen,
  )
  add('ethFlowNeverPosted', 'EthFlow never posted', '0 EthFlow orders posted by the watcher', () => [String(ethFlow.postedByWatcher), outcome(ethFlow.postedByWatcher === 0)], unseen)
  add('duplicates', 'Duplicates', `<= ${b.maxDuplicates} posts of an already accepted UID`, () => [String(twap.duplicates), outcome(twap.duplicates <= b.maxDuplicates)], unseen)
  add(
    'unexplainedOrders',
    'Unexplained orders',
    `<= ${b.maxUnexplainedOrders} accepted orders that are not an expected part, a part tradeable during the drain, an EthFlow order or an order the scenario declares`,
    () => [String(measures.unexplainedOrders), outcome(measures.unexplainedOrders <= b.maxUnexplainedOrders)],
    unseen,
  )
  const bounded = (key: BarKey, name: string, evidence: Evidence<number>, fixed: number, derived: DerivedBound | undefined) =>
    add(key, name, derived ? `<= ${derived.max} (${derived.why})` : `<= ${fixed}`, () => {
      if ('notMeasured' in evidence) return [describeEvidence(evidence), 'not measured']
      return [String(evidence.value), outcome(evidence.value <= (derived?.max ?? fixed))]
    })
  const byKind = measures.bounds?.moduleErrorsByKind
  if (byKind) add('moduleErrors', 'Module errors', moduleErrorsByKindBar(byKind), () => judgeModuleErrorsByKind(measures.moduleErrorsByKind, byKind))
  else bounded('moduleErrors', 'Module errors', measures.moduleErrors, b.maxModuleErrors, measures.bounds?.maxModuleErrors)
  bounded('traps', 'Traps', measures.traps, b.maxTraps, measures.bounds?.maxTraps)
  bounded('poisoned', 'Poisoned modules', measures.poisoned, b.maxPoisoned, undefined)

  const derivedLatency = measures.bounds?.p99LatencyMs
  const limit = derivedLatency?.max ?? b.p99LatencyBlocks * measures.blockTimeMs
  const latencyBar = derivedLatency ? `< ${Math.round(limit)} ms (${derivedLatency.why})` : `< ${limit} ms (${b.p99LatencyBlocks} block time${b.p99LatencyBlocks === 1 ? '' : 's'})`
  add('latency', 'p99 block-to-submission', latencyBar, () => {
    const p99 = measures.p99LatencyMs
    if (p99 !== undefined) return [`${p99.toFixed(0)} ms`, outcome(p99 < limit)]
    if (none.has('twap') && twap.expected === 0) return ['none expected, none submitted', 'pass']
    return [`not measured: no block-to-submission latency (${twap.delivered} of ${twap.expected} expected parts delivered)`, 'not measured']
  })
  const appData = measures.appData
  if (appData !== undefined && appData.nonEmptyCreations > 0) {
    const name = 'appData intact'
    const bar = 'every accepted order a creation accounts for carries the appData hash it named, and the orderbook holds its document'
    if (external) results.push(result(name, bar, `not applicable: ${unseen}`, 'not applicable'))
    else if (appData.checked === 0) results.push(result(name, bar, `not measured: no accepted order matched one of the ${appData.nonEmptyCreations} creations naming a document`, 'not measured'))
    else {
      const shown = appData.violations.slice(0, 3).map((v) => `${v.uid.slice(0, 18)}... ${v.why} (found ${v.found.slice(0, 18)}..., named ${v.expected.slice(0, 18)}...)`)
      const more = appData.violations.length > 3 ? `; ${appData.violations.length - 3} more` : ''
      results.push(result(name, bar, `${appData.intact}/${appData.checked} intact${appData.violations.length ? `; ${appData.violations.length} not: ${shown.join('; ')}${more}` : ''}`, outcome(appData.violations.length === 0)))
    }
  }
  const ethFlowAppData = measures.ethFlowAppData
  if (ethFlowAppData !== undefined && ethFlowAppData.nonEmptyPlacements > 0) {
    const name = 'EthFlow appData intact'
    const bar = 'every EthFlow order the orderbook answered for shows the appData hash its OrderPlacement named, with its document'
    if (ethFlowAppData.checked === 0) results.push(result(name, bar, `not measured: the orderbook answered for none of the ${ethFlowAppData.nonEmptyPlacements} placements naming a document`, 'not measured'))
    else {
      const shown = ethFlowAppData.violations.slice(0, 3).map((v) => `${v.uid.slice(0, 18)}... ${v.why} (found ${v.found.slice(0, 18)}..., named ${v.expected.slice(0, 18)}...)`)
      const more = ethFlowAppData.violations.length > 3 ? `; ${ethFlowAppData.violations.length - 3} more` : ''
      results.push(result(name, bar, `${ethFlowAppData.intact}/${ethFlowAppData.checked} intact${ethFlowAppData.violations.length ? `; ${ethFlowAppData.violations.length} not: ${shown.join('; ')}${more}` : ''}`, outcome(ethFlowAppData.violations.length === 0)))
    }
  }
  for (const extra of measures.extra ?? []) results.push({ ...extra, status: extra.status ?? outcome(extra.pass) })
  return { pass: results.every((r) => r.pass), bars: results }
}

const kindKey = (module: string, kind: string) => `${module}/${kind}`

/** The text of a per-kind Module errors bar: each bound with its reason, then the rule for every other kind. */
function moduleErrorsByKindBar(bounds: readonly ErrorKindBound[]): string {
  const each = bounds.map((k) => `${kindKey(k.module, k.kind)} <= ${k.max} (${k.why})`)
  return `per module and error_kind (shepherd_module_errors_total): ${each.length ? `${each.join('; ')}; ` : ''}every other kind 0`
}

/** Judges each (module, error_kind) row against its bound (0 when it has none); missing evidence is "not measured". */
function judgeModuleErrorsByKind(evidence: Evidence<readonly ModuleErrorCount[]> | undefined, bounds: readonly ErrorKindBound[]): [string, BarStatus] {
  if (evidence === undefined) return ['not measured: the errors by module and error_kind were not supplied', 'not measured']
  if ('notMeasured' in evidence) return [describeEvidence(evidence), 'not measured']
  const limit = new Map(bounds.map((k) => [kindKey(k.module, k.kind), k.max]))
  const rows = evidence.value.filter((r) => r.count !== 0)
  const over = rows.filter((r) => r.count > (limit.get(kindKey(r.module, r.kind)) ?? 0))
  const shown = rows.map((r) => `${kindKey(r.module, r.kind)} ${r.count}${limit.has(kindKey(r.module, r.kind)) ? '' : ' (no bound: 0 allowed)'}`)
  const measured = rows.length === 0 ? '0' : over.length ? `over: ${over.map((r) => `${kindKey(r.module, r.kind)} ${r.count} > ${limit.get(kindKey(r.module, r.kind)) ?? 0}`).join(', ')}; all: ${shown.join(', ')}` : shown.join(', ')
  return [measured, outcome(over.length === 0)]
}
