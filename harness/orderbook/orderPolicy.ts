import { getAddress, isAddress, type Address } from 'viem'

/**
 * The service's configured lists and limits behind five order checks, each a knob that can change
 * during a run (`stub.setKnobs({ policy: {...} })`; a patch replaces the whole object, so a field
 * left out is back at its default). Defaults are the real orderbook's (cowprotocol/services,
 * `crates/orderbook/src/arguments.rs` / its `OrderValidationConfig`): no banned users, no
 * deny-listed tokens, 10 limit orders per user, 8,000,000 gas per order.
 */
export type OrderPolicy = {
  /** Owners and receivers refused 403 `Forbidden` (the service's `banned_users`). Default none. */
  bannedUsers?: readonly string[]
  /** Sell or buy tokens refused 400 `UnsupportedToken` (the service's `unsupported_tokens` deny list). Default none. */
  unsupportedTokens?: readonly string[]
  /** Open limit orders an owner may hold before an out-of-market one is `TooManyLimitOrders` (`max_limit_orders_per_user`). Default 10. */
  maxLimitOrdersPerUser?: number
  /** Gas the quote plus the appData hooks may need before `TooMuchGas` (`max_gas_per_order`). Default 8,000,000. */
  maxGasPerOrder?: number
}

/** The policy with defaults filled in and addresses normalised (lower case) for lookups. */
export type ResolvedOrderPolicy = {
  bannedUsers: ReadonlySet<string>
  unsupportedTokens: ReadonlySet<string>
  maxLimitOrdersPerUser: number
  maxGasPerOrder: number
}

/**
 * The real service's defaults (`max_limit_orders_per_user` 10, `max_gas_per_order` 8,000,000).
 *
 * @example
 * stub.setKnobs({ policy: { maxGasPerOrder: DEFAULT_ORDER_POLICY.maxGasPerOrder / 2 } })
 */
export const DEFAULT_ORDER_POLICY = { maxLimitOrdersPerUser: 10, maxGasPerOrder: 8_000_000 } as const

/**
 * Fills in the defaults and normalises the lists.
 *
 * @example
 * resolveOrderPolicy({ bannedUsers: ['0x1111111111111111111111111111111111111111'] }).maxGasPerOrder // 8000000
 */
export function resolveOrderPolicy(policy: OrderPolicy | null | undefined): ResolvedOrderPolicy {
  return {
    bannedUsers: new Set((policy?.bannedUsers ?? []).map((a) => a.toLowerCase())),
    unsupportedTokens: new Set((policy?.unsupportedTokens ?? []).map((a) => a.toLowerCase())),
    maxLimitOrdersPerUser: policy?.maxLimitOrdersPerUser ?? DEFAULT_ORDER_POLICY.maxLimitOrdersPerUser,
    maxGasPerOrder: policy?.maxGasPerOrder ?? DEFAULT_ORDER_POLICY.maxGasPerOrder,
  }
}

const KNOWN = ['bannedUsers', 'unsupportedTokens', 'maxLimitOrdersPerUser', 'maxGasPerOrder']

/**
 * Throws when a policy knob is malformed (unknown field, an entry that is not an address, a limit
 * that is not a non-negative integer), naming the field, so a typo never leaves a check silently lax.
 *
 * @example
 * assertOrderPolicy({ maxGasPerOrder: 1_000_000 }) // ok
 * assertOrderPolicy({ bannedUser: [] }) // throws: unknown field "bannedUser"
 */
export function assertOrderPolicy(policy: unknown): void {
  if (policy === undefined || policy === null) return
  const where = 'orderbook stub knob policy'
  if (typeof policy !== 'object' || Array.isArray(policy)) throw new Error(`${where}: expected an object, got ${JSON.stringify(policy)}`)
  for (const [name, value] of Object.entries(policy)) {
    if (!KNOWN.includes(name)) throw new Error(`${where}: unknown field "${name}" (known: ${KNOWN.join(', ')})`)
    if (name === 'bannedUsers' || name === 'unsupportedTokens') {
      if (!Array.isArray(value)) throw new Error(`${where}.${name}: expected an array of addresses, got ${JSON.stringify(value)}`)
      for (const entry of value) {
        if (typeof entry !== 'string' || !isAddress(entry, { strict: false })) throw new Error(`${where}.${name}: expected 20-byte hex addresses, got ${JSON.stringify(entry)}`)
      }
    } else if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new Error(`${where}.${name}: expected a non-negative integer, got ${JSON.stringify(value)}`)
    }
  }
}

/**
 * An address as the service's `H160` Debug prints it in descriptions: 0x and lower-case hex.
 *
 * @example
 * debugAddress('0xAbC0000000000000000000000000000000000001') // '0xabc0000000000000000000000000000000000001'
 */
export function debugAddress(address: string): Address {
  return getAddress(address).toLowerCase() as Address
}
