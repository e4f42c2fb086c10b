import { ORDER_CHECK_NAMES, isCheckOn } from '../orderbook/orderChecks.ts'
import { DEFAULT_ORDER_VALIDITY } from '../orderbook/chainChecks.ts'
import type { OrderbookStub } from '../orderbook/orderbookStubTypes.ts'

/**
 * One line for the report: which orderbook the run posted to and how strictly it validated, so a
 * reader knows what "accepted" meant (every check on, which were off, which could not run for want
 * of a node, and the validity window when it is not the service's).
 *
 * @example
 * describeOrderbookSetup(stub) // 'stub, strict: every check on (chain checks read http://127.0.0.1:8545)'
 * describeOrderbookSetup('https://barn.api.cow.fi/sepolia') // 'external: https://barn.api.cow.fi/sepolia (its own checks)'
 */
export function describeOrderbookSetup(orderbook: Pick<OrderbookStub, 'knobs' | 'validity' | 'chainChecks'> | string): string {
  if (typeof orderbook === 'string') return `external: ${orderbook} (its own checks)`
  const off = ORDER_CHECK_NAMES.filter((name) => !isCheckOn(orderbook.knobs.checks, name))
  const { chain, unchecked } = orderbook.chainChecks()
  const parts = [off.length ? `checks off: ${off.join(', ')}` : 'every check on']
  if (unchecked.length) parts.push(`not run (no node): ${unchecked.join(', ')}`)
  else if (chain) parts.push(`chain checks read ${chain}`)
  const v = orderbook.validity
  const d = DEFAULT_ORDER_VALIDITY
  if (v.minSeconds !== d.minSeconds || v.maxMarketSeconds !== d.maxMarketSeconds || v.maxLimitSeconds !== d.maxLimitSeconds)
    parts.push(`validTo window ${v.minSeconds} s to ${v.maxMarketSeconds} s (market) / ${v.maxLimitSeconds} s (limit) after chain time, the service's is ${d.minSeconds} s / ${d.maxMarketSeconds} s / ${d.maxLimitSeconds} s`)
  const strict = off.length === 0 && unchecked.length === 0
  return `stub, ${strict ? 'strict' : 'not strict'}: ${parts.join('; ')}`
}
