import type { OrderbookKnobs } from '../orderbook/knobs.ts'
import type { LoadTwapShape } from '../load/loadOptions.ts'
import type { FaultKnobs } from '../faults/faultKnobs.ts'

/** A module the scenario's engine runs, with its config table. */
export type ScenarioModule = {
  name: string
  /** Module file for non-built-in modules (absolute, or relative to the repo root). */
  path?: string
  isolation?: 'worker' | 'in-process'
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
  maxModuleErrors?: number
  maxTraps?: number
  maxPoisoned?: number
  /** p99 from the block that made a part tradeable to its arrival at the stub, in block times. */
  p99LatencyBlocks?: number
}

export const defaultBars: Required<ScenarioBars> = {
  twapDelivery: 1,
  ethFlowObserved: 1,
  maxDuplicates: 0,
  maxModuleErrors: 0,
  maxTraps: 0,
  maxPoisoned: 0,
  p99LatencyBlocks: 1,
}

/** A length that depends on SHEPHERD_SCALE: `full` by default, `ci` when SHEPHERD_SCALE=ci. */
export type Scaled = number | { full: number; ci: number }

export type ScenarioDefinition = {
  name: string
  /** One paragraph for the report: given / when / then. */
  description: string
  devnet: {
    /** Seconds per block (interval mining). */
    blockTime: number
    /** Run against a fork (e.g. a Sepolia RPC) instead of deploying the protocol. */
    fork?: { url: string; blockNumber?: bigint }
    gasLimit?: bigint
  }
  orderbook?: {
    knobs?: OrderbookKnobs
    /** How long the stub waits before an EthFlow order becomes visible (the real indexer lags). */
    ethFlowIndexingDelayMs?: number
  }
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
  }
  /** Faults between the engine and the node: the engine reaches the devnet through `harness/faults`' proxy. */
  faults?: { rpc: FaultKnobs; seed?: number }
  /** Blocks mined before the load starts (the engine settles), and after it (the engine drains). */
  warmupBlocks?: number
  drainBlocks?: number
  bars?: ScenarioBars
  /** Figures from earlier systems, printed beside ours in the report. */
  comparison?: readonly string[]
}

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
 */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.name)) throw new TypeError(`Scenario name "${definition.name}" must be lowercase letters, digits and dashes`)
  if (!(definition.devnet.blockTime > 0)) throw new TypeError(`Scenario "${definition.name}": devnet.blockTime must be > 0 seconds`)
  return definition
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
