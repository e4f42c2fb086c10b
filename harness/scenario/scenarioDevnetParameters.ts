import type { StartDevnetParameters } from '../devnet/startDevnet.ts'
import { blockSecondsOf, type ScenarioDefinition } from './defineScenario.ts'

/**
 * The devnet a scenario runs on, as `startDevnet` parameters: its wall block time, its chain seconds
 * per block (`devnet.blockSeconds`, 12 unless it says: chain time runs at mainnet's pace whatever the
 * wall block time, so the load's orders are minutes long in chain time and the stub judges them with
 * the real validity window), a fork if any, and a gas limit that fits the load (300M by default).
 *
 * @example
 * const devnet = await startDevnet(scenarioDevnetParameters(baseline, console.info))
 * // { blockTime: 1, blockSeconds: 12, gasLimit: 300_000_000n, ... }
 */
export function scenarioDevnetParameters(definition: Pick<ScenarioDefinition, 'devnet'>, log: (line: string) => void): StartDevnetParameters {
  const { blockTime, fork, gasLimit } = definition.devnet
  return { blockTime, blockSeconds: blockSecondsOf(definition), fork, gasLimit: gasLimit ?? 300_000_000n, log }
}
