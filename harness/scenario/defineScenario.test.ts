import { describe, expect, test } from 'vitest'
import { defineScenario, type ScenarioDefinition } from './defineScenario.ts'

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
})
