import type { BarResult } from '../scenario/judge.ts'

/**
 * What the matchers read of a scenario run: its name, the judge's bars, and the TWAP ground truth.
 * `runScenario`'s `ScenarioRun` has all of it.
 */
export type JudgedRun = {
  definition: { name: string }
  verdict: { pass: boolean; bars: readonly BarResult[] }
  truth: {
    twap: {
      expected: number
      delivered: number
      missing: ReadonlyArray<{ uid: string; part: bigint; tradeableBlock: bigint }>
      lookupFailed: readonly unknown[]
      duplicates: number
      duplicatePosts: ReadonlyArray<{ uid: string; posts: number }>
    }
  }
}

/** A bar's outcome as the report prints it. */
export type BarVerdict = 'PASS' | 'FAIL' | 'NOT MEASURED' | 'NOT APPLICABLE'

/** The result vitest expects of a matcher. */
export type ShepherdMatcherResult = { pass: boolean; message: () => string; actual?: unknown; expected?: unknown }

/** The scenario matchers, for `expect(run)` on what `runScenario` returns. */
export interface ShepherdMatchers<R = unknown> {
  /** Every bar passed (or does not apply). The failure lists each failed bar with its measured value and bound. */
  toPass(): R
  /** Every expected TWAP part reached the orderbook (ground truth: the chain's parts against what the orderbook accepted). */
  toDeliverEveryPart(): R
  /** No order was posted again after the orderbook accepted it. Fails when duplicates cannot be seen (an orderbook we do not run). */
  toHaveNoDuplicates(): R
  /** The bar named `name` ("TWAP delivery", "Duplicates", "p99 block-to-submission", ...) came out as `verdict`. */
  toHaveBar(name: string, verdict: BarVerdict): R
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest's own declaration has this shape
  interface Matchers<T = any> extends ShepherdMatchers<T> {}
}

/**
 * How a bar came out, as the report prints it.
 *
 * @example
 * run.verdict.bars.filter((bar) => barVerdict(bar) === 'NOT MEASURED').map((bar) => bar.name)
 */
export function barVerdict(bar: BarResult): BarVerdict {
  if (bar.status === 'not measured') return 'NOT MEASURED'
  if (bar.status === 'not applicable') return 'NOT APPLICABLE'
  if (bar.status === 'pass') return 'PASS'
  if (bar.status === 'fail') return 'FAIL'
  return bar.pass ? 'PASS' : 'FAIL'
}

const describeBar = (bar: BarResult) => `${bar.name}: ${barVerdict(bar)}, measured ${bar.measured}; bar ${bar.bar}`
const list = (lines: readonly string[], max = 10) => [...lines.slice(0, max).map((l) => `  - ${l}`), ...(lines.length > max ? [`  ... and ${lines.length - max} more`] : [])].join('\n')

function asRun(received: unknown, matcher: string): JudgedRun {
  const run = received as Partial<JudgedRun> | null
  if (typeof run !== 'object' || run === null || !Array.isArray(run.verdict?.bars) || typeof run.truth?.twap !== 'object' || typeof run.definition?.name !== 'string')
    throw new TypeError(`${matcher}: expected what runScenario returns (a ScenarioRun with definition.name, verdict.bars and truth.twap), found ${received === null ? 'null' : typeof received === 'object' ? `an object with keys ${Object.keys(received as object).join(', ') || '(none)'}` : typeof received}`)
  return run as JudgedRun
}

function toPass(this: { isNot: boolean }, received: unknown): ShepherdMatcherResult {
  const run = asRun(received, 'toPass')
  const failed = run.verdict.bars.filter((bar) => !bar.pass)
  return {
    pass: run.verdict.pass,
    message: () =>
      this.isNot
        ? `expected scenario ${run.definition.name} to fail, but every bar passed:\n${list(run.verdict.bars.map(describeBar), 20)}`
        : `expected scenario ${run.definition.name} to pass; ${failed.length} of ${run.verdict.bars.length} bars did not:\n${list(failed.map(describeBar), 20)}`,
  }
}

function toDeliverEveryPart(this: { isNot: boolean }, received: unknown): ShepherdMatcherResult {
  const run = asRun(received, 'toDeliverEveryPart')
  const { expected, delivered, missing, lookupFailed } = run.truth.twap
  const bar = run.verdict.bars.find((b) => b.name === 'TWAP delivery')
  const barLine = bar ? `\n${describeBar(bar)}` : ''
  const pass = expected > 0 && delivered === expected && lookupFailed.length === 0
  return {
    pass,
    actual: delivered,
    expected,
    message: () => {
      if (this.isNot) return `expected scenario ${run.definition.name} to miss a TWAP part, but all ${expected} reached the orderbook${barLine}`
      if (expected === 0) return `expected scenario ${run.definition.name} to deliver every TWAP part, but the chain shows none to deliver (0 expected parts): nothing to judge${barLine}`
      const notMeasured = lookupFailed.length ? `; ${lookupFailed.length} could not be looked up (not measured)` : ''
      const missed = missing.map((p) => `${p.uid} (part ${p.part}, tradeable at block ${p.tradeableBlock})`)
      return `expected scenario ${run.definition.name} to deliver every TWAP part: delivered ${delivered} of ${expected}${notMeasured}; missing:\n${list(missed)}${barLine}`
    },
  }
}

function toHaveNoDuplicates(this: { isNot: boolean }, received: unknown): ShepherdMatcherResult {
  const run = asRun(received, 'toHaveNoDuplicates')
  const bar = run.verdict.bars.find((b) => b.name === 'Duplicates')
  const unseen = bar !== undefined && bar.status === 'not applicable'
  const { duplicates, duplicatePosts } = run.truth.twap
  return {
    pass: !unseen && duplicates === 0,
    actual: duplicates,
    expected: 0,
    message: () => {
      if (unseen) return `expected scenario ${run.definition.name} to show no duplicates, but duplicates were not measured in this run (${bar.measured})`
      if (this.isNot) return `expected scenario ${run.definition.name} to post some order twice, but no accepted order was posted again`
      return `expected scenario ${run.definition.name} to post no accepted order again, found ${duplicates} repeat post(s):\n${list(duplicatePosts.map((d) => `${d.uid} posted ${d.posts} times`))}${bar ? `\n${describeBar(bar)}` : ''}`
    },
  }
}

const VERDICTS: readonly BarVerdict[] = ['PASS', 'FAIL', 'NOT MEASURED', 'NOT APPLICABLE']

function toHaveBar(this: { isNot: boolean }, received: unknown, name: string, verdict: BarVerdict): ShepherdMatcherResult {
  const run = asRun(received, 'toHaveBar')
  if (!VERDICTS.includes(verdict)) throw new TypeError(`toHaveBar: verdict must be one of ${VERDICTS.join(', ')}, found ${JSON.stringify(verdict)}`)
  const bar = run.verdict.bars.find((b) => b.name === name)
  if (bar === undefined)
    return { pass: false, message: () => `expected scenario ${run.definition.name} to have a bar "${name}", but its bars are: ${run.verdict.bars.map((b) => `"${b.name}"`).join(', ')}` }
  const actual = barVerdict(bar)
  return {
    pass: actual === verdict,
    actual,
    expected: verdict,
    message: () => `expected bar "${name}" of scenario ${run.definition.name} ${this.isNot ? 'not ' : ''}to be ${verdict}; it is ${describeBar(bar)}`,
  }
}

/**
 * The scenario matchers as an object for `expect.extend`. The setup file of `shepherdVitest()`
 * registers them; register them yourself with `expect.extend(shepherdMatchers)` otherwise.
 *
 * @example
 * import { expect } from 'vitest'
 * import { shepherdMatchers } from 'shepherd/vitest'
 * expect.extend(shepherdMatchers)
 * expect(run).toPass()
 * expect(run).toHaveBar('Duplicates', 'PASS')
 */
export const shepherdMatchers = { toPass, toDeliverEveryPart, toHaveNoDuplicates, toHaveBar }
