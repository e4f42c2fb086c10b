import type { StartOrderbookStubParameters } from '../orderbook/startOrderbookStub.ts'
import type { ScenarioDefinition } from './defineScenario.ts'

/**
 * What a scenario's `orderbook` section asks of the stub it starts: its knobs with `checks` laid
 * over `knobs.checks`, the validity window, and the EthFlow indexing delay. One place, so every
 * runner (one chain or several) starts its stubs alike.
 *
 * @example
 * const stub = await startOrderbookStub({ devnet, ...scenarioStubOptions(definition) })
 */
export function scenarioStubOptions(definition: Pick<ScenarioDefinition, 'orderbook'>): Pick<StartOrderbookStubParameters, 'knobs' | 'validity' | 'ethFlow'> {
  const orderbook = definition.orderbook
  const knobs = orderbook?.checks ? { ...orderbook.knobs, checks: { ...orderbook.knobs?.checks, ...orderbook.checks } } : orderbook?.knobs
  return {
    ...(knobs ? { knobs } : {}),
    ...(orderbook?.validity ? { validity: orderbook.validity } : {}),
    ethFlow: { indexingDelayMs: orderbook?.ethFlowIndexingDelayMs ?? 0 },
  }
}
