import { describe, expect, test } from 'vitest'
import { blockSecondsOf, defineScenario, scenarioTwapShape, type ScenarioDefinition } from './defineScenario.ts'
import { scenarioDevnetParameters } from './scenarioDevnetParameters.ts'

const base: ScenarioDefinition = { name: 's', description: 'd', devnet: { blockTime: 1 }, engine: { modules: [] } }

describe('defineScenario', () => {
  test('behavior: a scenario that expects none, declares a bar not applicable and names a reference is plain data', () => {
    const definition = { ...base, expectsNone: ['ethFlow'] as const, notApplicable: { latency: 'no TWAP' }, comparison: { source: 'x', rows: [{ metric: 'delivery' as const, reference: '40%' }] } }
    expect(defineScenario(definition)).toBe(definition)
  })

  test('behavior: a bad expectsNone, notApplicable or comparison entry names the scenario, the key, what was expected and what was found', () => {
    expect(() => defineScenario({ ...base, expectsNone: ['eth' as 'ethFlow'] })).toThrow('Scenario "s": each expectsNone entry must be "twap" or "ethFlow", found "eth"')
    expect(() => defineScenario({ ...base, notApplicable: { latncy: 'x' } as never })).toThrow(/notApplicable\.latncy must be a bar key \(twapDelivery, .*\), found "latncy"/)
    expect(() => defineScenario({ ...base, notApplicable: { latency: ' ' } })).toThrow(/notApplicable\.latency must be the reason the report shows/)
    expect(() => defineScenario({ ...base, comparison: { source: 'x', rows: [{ metric: 'p99' as 'delivery', reference: '1' }] } })).toThrow(/comparison\.rows\[\]\.metric must be one of .*, found "p99"/)
  })

  test('behavior: orderbook.checks takes known check names with booleans; a typo fails at definition time, naming the scenario', () => {
    const base = { name: 'strict', description: 'd', devnet: { blockTime: 1 }, engine: { modules: [] } }
    expect(defineScenario({ ...base, orderbook: { checks: { eip1271: false, balance: false } } }).orderbook?.checks).toEqual({ eip1271: false, balance: false })
    expect(() => defineScenario({ ...base, orderbook: { checks: { eip1217: false } as never } })).toThrow(/Scenario "strict": orderbook.checks: .*unknown check "eip1217"/)
  })

  test('behavior: a scenario\'s devnet gets its chain seconds per block: 12 unless it says, and the load\'s parts are 10 blocks of chain time', () => {
    const log = () => {}
    expect(scenarioDevnetParameters(base, log)).toMatchObject({ blockTime: 1, blockSeconds: 12, gasLimit: 300_000_000n })
    const gnosis = defineScenario({ ...base, devnet: { blockTime: 0.5, blockSeconds: 5 } })
    expect(scenarioDevnetParameters(gnosis, log)).toMatchObject({ blockTime: 0.5, blockSeconds: 5 })
    expect(blockSecondsOf(gnosis)).toBe(5)
    expect(scenarioTwapShape(base).t).toBe(120)
    expect(scenarioTwapShape(gnosis).t).toBe(50)
    // A scenario's own t wins, and the rest of its shape is kept.
    expect(scenarioTwapShape({ ...base, load: { senders: 1, twapPerBlock: 1, ethFlowPerBlock: 0, blocks: 2, twap: { n: 3, t: 180 } } })).toEqual({ n: 3, t: 180 })
  })

  test('bad input: blockSeconds and load.twap.t must be whole seconds >= 1, named with the scenario', () => {
    expect(() => defineScenario({ ...base, devnet: { blockTime: 1, blockSeconds: 0.5 } })).toThrow('Scenario "s": devnet.blockSeconds must be chain seconds per block, an integer >= 1 (default 12), found 0.5')
    expect(() => defineScenario({ ...base, devnet: { blockTime: 1, blockSeconds: 0 } })).toThrow(/devnet\.blockSeconds must be .* found 0/)
    expect(() => defineScenario({ ...base, load: { senders: 1, twapPerBlock: 1, ethFlowPerBlock: 0, blocks: 2, twap: { t: 0 } } })).toThrow(/load\.twap\.t must be seconds of chain time between parts, an integer >= 1, found 0/)
  })
})
