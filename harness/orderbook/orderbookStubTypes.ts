// The orderbook stub's shared types, in a leaf file: the stub (createOrderbookStub.ts) builds its
// handlers from the route files, and the route files need the stub's type; declared here, neither
// imports the other's module, so the folder has no import cycle (.dependency-cruiser.mjs checks).
import type { Address, Hex } from 'viem'
import type { HttpHandler } from 'msw'
import type { RequestRecord } from './createRequestRecord.ts'
import type { FaultRule, OrderbookKnobs } from './knobs.ts'
import type { OrderDomain } from './computeStubOrderUid.ts'
import type { OrderFields, SigningSchemeName } from './parseOrderCreation.ts'
import type { ChainReader } from './createChainReader.ts'
import type { OrderValidity } from './chainChecks.ts'
import type { OrderChecks } from './orderChecks.ts'

/**
 * Which chain checks can run: `chain` is the node's URL (null: none configured), `running` the
 * chain checks that are on and read it, `unchecked` those that are on but cannot run (no node).
 */
export type ChainCheckStatus = { chain: string | null; running: Array<keyof OrderChecks>; unchecked: Array<keyof OrderChecks> }

/** An order the stub holds, as it will be shown by GET /api/v1/orders/{uid}. */
export type StoredOrder = OrderFields & {
  uid: Hex
  owner: Address
  /** ISO 8601. */
  creationDate: string
  appData: Hex
  fullAppData: string | null
  signingScheme: SigningSchemeName
  signature: Hex
  quoteId: number | null
  class: 'market' | 'limit' | 'liquidity'
  /** Present for orders indexed from EthFlow `OrderPlacement` logs. */
  ethflow?: { sender: Address; userValidTo: number; quoteId: bigint; transactionHash: Hex; blockNumber: bigint }
}

/**
 * An orderbook stub: its state (orders, app data), the knobs that can change during a run, and the
 * record of every request. `createOrderbookStub` builds one; the route handlers read it.
 */
export type OrderbookStub = {
  readonly chainId: number
  readonly domain: OrderDomain
  readonly settlement: Address
  readonly requireKnownAppData: boolean
  readonly quotePrice: { numerator: bigint; denominator: bigint }
  readonly version: string
  /** The node the chain checks read (null: none, they cannot run; see `chainChecks()`). */
  readonly chain: ChainReader | null
  /** How far `validTo` must and may lie after chain time. */
  readonly validity: OrderValidity
  /** Which chain checks run against which node, and which are on but cannot run. */
  chainChecks(): ChainCheckStatus
  /** Every request and what was answered. */
  readonly record: RequestRecord
  readonly knobs: Readonly<OrderbookKnobs>
  /** Merges a patch into the knobs; takes effect on the next request. `null` turns a knob off. */
  setKnobs(patch: OrderbookKnobs): void
  /** Appends a fault rule (the first matching rule wins). */
  addRule(rule: FaultRule): void
  /** The MSW handler array on the real paths, under `baseUrl` (default `*`: any origin). */
  handlers(baseUrl?: string): HttpHandler[]
  getOrder(uid: string): StoredOrder | undefined
  /** Stores an order; 'exists' (and no change) when the UID is taken. */
  putOrder(order: StoredOrder): 'created' | 'exists'
  orders(): StoredOrder[]
  /** The document registered under a hash ("{}" is always known). */
  getAppData(hash: string): string | undefined
  /** Registers a document under keccak256(document). */
  putAppData(document: string): { hash: Hex; created: boolean }
  /**
   * Overrides what the stub believes about a UID's presignature (`false` revokes it); wins over
   * what the chain says. May come before or after the order is posted. Without an override, a
   * stub with a chain reads `preSignature(uid)` on the settlement (at the post and whenever a
   * pending order is read); a stub without one waits for this call. A `presign` order without a
   * presignature shows `presignaturePending`.
   */
  setPresignature(uid: string, signed: boolean): void
  /** The override if one was set, else what the chain said last (false when never read). */
  hasPresignature(uid: string): boolean
  /** True when `setPresignature` decided this UID (the chain is then not asked). */
  hasPresignatureOverride(uid: string): boolean
  /** Marks held orders cancelled (DELETE /api/v1/orders does, once the owner's signature checks out). */
  cancelOrders(uids: readonly string[]): void
  isCancelled(uid: string): boolean
  /** Forgets orders, app data, presignatures, cancellations and the record; keeps the knobs. */
  reset(): void
  /** Internals the handlers share: the seeded generator, rule use counts, the clock, quote ids. */
  readonly internals: {
    random: () => number
    uses: WeakMap<object, number>
    now: () => number
    nextQuoteId: () => number
    nextSeq: () => number
    /** What the chain said about a UID's presignature (kept apart from the override). */
    notePresignature: (uid: string, signed: boolean) => void
  }
}
