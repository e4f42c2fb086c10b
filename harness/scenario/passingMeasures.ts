import type { Measures } from './judge.ts'

/**
 * A run's measures that pass every standard bar (10 of 10 TWAP parts, 5 of 5 EthFlow orders, no
 * errors, p99 100 ms on 1 s blocks): the starting point a judge's test breaks one figure of.
 *
 * @example
 * judge(passingMeasures({ twap: { expected: 10, delivered: 9, duplicates: 0 } })) // fails TWAP delivery
 */
export function passingMeasures(overrides: Partial<Measures> = {}): Measures {
  return {
    twap: { expected: 10, delivered: 10, duplicates: 0 },
    ethFlow: { placed: 5, observed: 5, postedByWatcher: 0 },
    unexplainedOrders: 0,
    moduleErrors: { value: 0 },
    traps: { value: 0 },
    poisoned: { value: 0 },
    p99LatencyMs: 100,
    blockTimeMs: 1000,
    ...overrides,
  }
}
