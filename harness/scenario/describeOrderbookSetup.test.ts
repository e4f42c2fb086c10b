import { describe, expect, test } from 'vitest'
import { DEFAULT_ORDER_VALIDITY } from '../orderbook/chainChecks.ts'
import type { OrderChecks } from '../orderbook/orderChecks.ts'
import { describeOrderbookSetup } from './describeOrderbookSetup.ts'

const stub = (checks: OrderChecks | undefined, chain: string | null, validity = DEFAULT_ORDER_VALIDITY) => ({
  knobs: checks ? { checks } : {},
  validity,
  chainChecks: () =>
    chain
      ? { chain, running: ['eip1271', 'validTo'] as Array<keyof OrderChecks>, unchecked: [] }
      : { chain: null, running: [], unchecked: ['eip1271', 'validTo'] as Array<keyof OrderChecks> },
})

describe('describeOrderbookSetup', () => {
  test('strict only when every check is on and the chain checks read a node', () => {
    expect(describeOrderbookSetup(stub(undefined, 'http://127.0.0.1:8545'))).toBe('stub, strict: every check on; chain checks read http://127.0.0.1:8545')
  })
  test('names the checks turned off', () => {
    expect(describeOrderbookSetup(stub({ eip1271: false, balance: false }, 'http://127.0.0.1:8545'))).toBe('stub, not strict: checks off: eip1271, balance; chain checks read http://127.0.0.1:8545')
  })
  test('a stub without a node is not strict: its chain checks did not run', () => {
    expect(describeOrderbookSetup(stub(undefined, null))).toBe('stub, not strict: every check on; not run (no node): eip1271, validTo')
  })
  test("a validity window other than the service's is shown beside the service's", () => {
    const line = describeOrderbookSetup(stub(undefined, 'http://127.0.0.1:8545', { ...DEFAULT_ORDER_VALIDITY, minSeconds: 0 }))
    expect(line).toMatch(/^stub, strict: .*validTo window 0 s to 10800 s \(market\) \/ 31557600 s \(limit\) after chain time, the service's is 60 s/)
  })
  test('an external orderbook validates by its own rules', () => {
    expect(describeOrderbookSetup('https://barn.api.cow.fi/sepolia')).toBe('external: https://barn.api.cow.fi/sepolia (its own checks)')
  })
})
