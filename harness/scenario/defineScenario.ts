import type { OrderbookKnobs } from '../orderbook/knobs.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { assertOrderChecks, type OrderChecks } from '../orderbook/orderChecks.ts'
import type { OrderValidity } from '../orderbook/chainChecks.ts'
import type { LoadTwapShape } from '../load/loadOptions.ts'
import type { FaultKnobs } from '../faults/faultKnobs.ts'
import type { ScenarioSubject } from './subject/subjectTypes.ts'
import { isExternalSubject } from './subject/subjectTypes.ts'
import { validateSubject } from './subject/validateSubject.ts'

/**
 * A module the scenario's engine runs, with its config table. A string value containing `{runDir}`
 * gets the run's own temporary folder there (e.g. a fixture's journal file the harness reads back).
 */
export type ScenarioModule = {
  name: string
  /** Module file for non-built-in modules (absolute, or relative to the repo root). */
  path?: string
  isolation?: 'worker' | 'in-process'
  /** The chains it runs on, one instance each (`[[modules]] chains`); its config gets each one's `chainId`. */
  chains?: readonly number[]
  config?: Record<string, unknown>
}

/** A bar of the acceptance checklist. Every load scenario gets the defaults below. */
export type ScenarioBars = {
  /** Share of expected TWAP part UIDs that reached the stub (1 = 100%). */
  twapDelivery?: number
  /** Share of EthFlow placements the watcher verified at the stub. */
  ethFlowObserved?: number
  /** Most posts allowed of a UID the orderbook had already accepted. */
  maxDuplicates?: number
  /** Most accepted orders nothing explains (not an expected part, a drain part, an EthFlow order or a declared order). */
  maxUnexplainedOrders?: number
  /** Most errors modules report and handle themselves (`shepherd_module_errors_total`). */
  maxModuleErrors?: number
  /** Most traps of any kind (`shepherd_module_traps_total`). */
  maxTraps?: number
  /** Most modules parked (`shepherd_module_poisoned`) at any point of the run. */
  maxPoisoned?: number
  /** p99 from the block that made a part tradeable to its arrival at the stub, in block times. */
  p99LatencyBlocks?: number
}

export const defaultBars: Required<ScenarioBars> = {
  twapDelivery: 1,
  ethFlowObserved: 1,
  maxDuplicates: 0,
  maxUnexplainedOrders: 0,
  maxModuleErrors: 0,
  maxTraps: 0,
  maxPoisoned: 0,
  p99LatencyBlocks: 1,
}

/** The standard bars by key (for `notApplicable`). */
export type BarKey = 'twapDelivery' | 'ethFlowObserved' | 'ethFlowNeverPosted' | 'duplicates' | 'unexplainedOrders' | 'moduleErrors' | 'traps' | 'poisoned' | 'latency'
const barKeys: readonly BarKey[] = ['twapDelivery', 'ethFlowObserved', 'ethFlowNeverPosted', 'duplicates', 'unexplainedOrders', 'moduleErrors', 'traps', 'poisoned', 'latency']
const comparisonMetrics: readonly string[] = ['twap dispatch p99', 'delivery', 'worst-case dispatch']

/** Which of our measures a published reference figure is compared with (see compareWithReference.ts). */
export type ComparisonMetric = 'twap dispatch p99' | 'delivery' | 'worst-case dispatch'

/** Figures an earlier system published for the same scenario, printed beside ours in the report. */
export type ScenarioComparison = {
  /** Who published the figures, e.g. "the Rust original, from its published load reports". */
  source: string
  rows: ReadonlyArray<{ metric: ComparisonMetric; reference: string }>
  notes?: readonly string[]
}

/** A length that depends on SHEPHERD_SCALE: `full` by default, `ci` when SHEPHERD_SCALE=ci. */
export type Scaled = number | { full: number; ci: number }

export type ScenarioDefinition = {
  name: string
  /** One paragraph for the report: given / when / then. */
  description: string
  devnet: {
    /** Wall seconds per block (interval mining): how fast the run goes. */
    blockTime: number
    /**
     * Chain seconds each block carries (`anvil_setBlockTimestampInterval`), whatever `blockTime`:
     * default 12, as on mainnet and Sepolia. Blocks mined every 1 s then span 12 s of chain time, so
     * TWAP parts minutes long (what the real orderbook needs: at least 60 s of validity left at
     * the post) fit a run of seconds, and the stub runs with the real validity window.
     */
    blockSeconds?: number
    /** Run against a fork (e.g. a Sepolia RPC) instead of deploying the protocol. */
    fork?: { url: string; blockNumber?: bigint }
    gasLimit?: bigint
  }
  orderbook?: {
    knobs?: OrderbookKnobs
    /**
     * The stub's order checks, strict by default; turn one off where the load cannot meet it yet,
     * e.g. `{ eip1271: false, balance: false }` (same as `knobs.checks`, which it overrides). The
     * chain checks read the devnet directly, never through the fault proxy in front of the engine.
     */
    checks?: OrderChecks
    /**
     * How far `validTo` must and may lie after chain time (default the service's: 60 s, 3 h, 1 y).
     * A scenario that compresses time (TWAP parts seconds apart) lowers `minSeconds` here rather
     * than turning the `validTo` check off.
     */
    validity?: Partial<OrderValidity>
    /** How long the stub waits before an EthFlow order becomes visible (the real indexer lags). */
    ethFlowIndexingDelayMs?: number
  }
  /**
   * Who is judged: Shepherd's engine with `engine.modules` (the default), or an external command
   * (any bot: it gets the devnet and orderbook URLs and the protocol's addresses, see
   * docs/external-subject.md). Bars that need the engine's own metrics are "not measured for this
   * subject" for an external command; ground-truth bars apply to any subject.
   */
  subject?: ScenarioSubject
  engine: {
    /** 'in-process' (default) or 'process': a `shepherd run` child, reaching the stub over HTTP. */
    mode?: 'in-process' | 'process'
    modules: readonly ScenarioModule[]
    /** Head source: 'ws' (default, newHeads) or 'http' (polling). */
    transport?: 'ws' | 'http'
  }
  load?: {
    senders: number
    twapPerBlock: number
    ethFlowPerBlock: number
    /** Blocks of load. */
    blocks: Scaled
    twap?: Partial<LoadTwapShape>
    /**
     * `'mix'`: the orders carry the load's realistic appData documents (harness/load/loadAppData.ts),
     * registered at the run's orderbook before the first order; judged by the "appData intact" bar.
     * Default: every order carries the empty document.
     */
    appData?: 'mix'
  }
  /** Faults between the engine and the node: the engine reaches the devnet through `harness/faults`' proxy. */
  faults?: { rpc: FaultKnobs; seed?: number }
  /** Blocks mined before the load starts (the engine settles), and after it (the engine drains). */
  warmupBlocks?: number
  drainBlocks?: number
  bars?: ScenarioBars
  /**
   * What this scenario expects none of. By default a run with 0 expected TWAP parts (or 0 EthFlow
   * placements) fails as "nothing to judge": a bar must not pass on nothing. Declare `['ethFlow']`
   * for a scenario that places no EthFlow order on purpose; then a placement the chain does show fails.
   */
  expectsNone?: ReadonlyArray<'twap' | 'ethFlow'>
  /** Bars that cannot apply to this scenario, with the reason the report shows (they neither pass nor fail the run). */
  notApplicable?: Partial<Record<BarKey, string>>
  /** Figures from earlier systems, printed beside ours in the report. */
  comparison?: ScenarioComparison
}

/** What `defineScenario` takes: `engine` may be left out when the subject is an external command. */
export type ScenarioInput = Omit<ScenarioDefinition, 'engine'> & { engine?: ScenarioDefinition['engine'] }

/**
 * Declares a scenario: plain data that reads like the runbook it replaces. No side effects.
 *
 * @example
 * export const baseline = defineScenario({
 *   name: 'baseline',
 *   description: 'Given a 1 s devnet and 1 x (5 + 5) load per block, every TWAP part and EthFlow order is handled once.',
 *   devnet: { blockTime: 1 },
 *   engine: { modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }] },
 *   load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 20 } },
 * })
 * // the same load, judging a bot that is not Shepherd
 * export const theirBot = defineScenario({
 *   ...baseline,
 *   name: 'their-bot',
 *   subject: { command: 'node', args: ['bot.mjs'], ready: { logLine: 'watching' }, stop: 'SIGTERM' },
 * })
 */
export function defineScenario(input: ScenarioInput): ScenarioDefinition {
  if (typeof input !== 'object' || input === null) throw new TypeError(`A scenario must be an object (defineScenario({ name, description, devnet, ... })), found ${JSON.stringify(input)}`)
  if (typeof input.name !== 'string') throw new TypeError(`Scenario name must be a string, found ${JSON.stringify(input.name)}`)
  validateSubject(input.name, input.subject)
  if (input.engine === undefined && !isExternalSubject(input.subject)) throw new TypeError(`Scenario "${input.name}": engine must be { modules: [...] } unless subject is an external command, found nothing`)
  // Filling the default keeps one input object when nothing is missing (identity for a full definition).
  const definition: ScenarioDefinition = input.engine === undefined ? { ...input, engine: { modules: [] } } : (input as ScenarioDefinition)
  if (typeof definition.devnet !== 'object' || definition.devnet === null) throw new TypeError(`Scenario "${definition.name}": devnet must be { blockTime: seconds }, found ${JSON.stringify(definition.devnet)}`)
  if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.name)) throw new TypeError(`Scenario name "${definition.name}" must be lowercase letters, digits and dashes`)
  if (!(definition.devnet.blockTime > 0)) throw new TypeError(`Scenario "${definition.name}": devnet.blockTime must be > 0 seconds`)
  const bad = (key: string, expected: string, found: unknown) => new TypeError(`Scenario "${definition.name}": ${key} must be ${expected}, found ${JSON.stringify(found)}`)
  const seconds = definition.devnet.blockSeconds
  if (seconds !== undefined && !(Number.isSafeInteger(seconds) && seconds >= 1)) throw bad('devnet.blockSeconds', 'chain seconds per block, an integer >= 1 (default 12)', seconds)
  const t = definition.load?.twap?.t
  if (t !== undefined && !(Number.isSafeInteger(t) && t >= 1)) throw bad('load.twap.t', 'seconds of chain time between parts, an integer >= 1', t)
  try {
    assertOrderChecks(definition.orderbook?.checks)
  } catch (error) {
    throw new TypeError(`Scenario "${definition.name}": orderbook.checks: ${errorMessage(error)}`)
  }
  for (const kind of definition.expectsNone ?? []) if (kind !== 'twap' && kind !== 'ethFlow') throw bad('each expectsNone entry', '"twap" or "ethFlow"', kind)
  for (const [key, reason] of Object.entries(definition.notApplicable ?? {})) {
    if (!barKeys.includes(key as BarKey)) throw bad(`notApplicable.${key}`, `a bar key (${barKeys.join(', ')})`, key)
    if (typeof reason !== 'string' || reason.trim() === '') throw bad(`notApplicable.${key}`, 'the reason the report shows (a non-empty string)', reason)
  }
  if (definition.load?.appData !== undefined && definition.load.appData !== 'mix') throw bad('load.appData', '"mix" (or absent: the empty document)', definition.load.appData)
  for (const row of definition.comparison?.rows ?? []) if (!comparisonMetrics.includes(row.metric)) throw bad('comparison.rows[].metric', `one of ${comparisonMetrics.join(', ')}`, row.metric)
  return definition
}

/** Chain seconds per block when a scenario does not say: 12, as on mainnet and Sepolia. */
export const defaultBlockSeconds = 12

/** Blocks per TWAP part when a scenario does not set `load.twap.t`: 10 blocks, 120 s at 12 s per block. */
export const defaultPartBlocks = 10

/**
 * The chain seconds per block a scenario's devnet runs with (`devnet.blockSeconds`, default 12).
 *
 * @example
 * blockSecondsOf(defineScenario({ ...baseline, devnet: { blockTime: 1 } })) // 12
 */
export function blockSecondsOf(definition: Pick<ScenarioDefinition, 'devnet'>): number {
  return definition.devnet.blockSeconds ?? defaultBlockSeconds
}

/**
 * The TWAP shape a scenario's load creates: its `load.twap`, with parts `defaultPartBlocks` blocks of
 * chain time apart unless it sets `t` (120 s at 12 s per block: a part posted within a block or
 * five of becoming due still has the 60 s the real orderbook asks for).
 *
 * @example
 * scenarioTwapShape(baseline) // { t: 120 }
 */
export function scenarioTwapShape(definition: Pick<ScenarioDefinition, 'devnet' | 'load'>): Partial<LoadTwapShape> {
  return { ...definition.load?.twap, t: definition.load?.twap?.t ?? defaultPartBlocks * blockSecondsOf(definition) }
}

/** The SHEPHERD_SCALE in force: 'ci' shortens every scenario to about 20 blocks. */
export function currentScale(env: NodeJS.ProcessEnv = process.env): 'full' | 'ci' {
  const scale = env.SHEPHERD_SCALE ?? 'full'
  if (scale !== 'full' && scale !== 'ci') throw new TypeError(`SHEPHERD_SCALE must be "full" or "ci", found "${scale}"`)
  return scale
}

export function scaled(value: Scaled, scale: 'full' | 'ci'): number {
  return typeof value === 'number' ? value : value[scale]
}
