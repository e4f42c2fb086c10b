import type { Address } from 'viem'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { createPrng } from './createPrng.ts'
import { createRequestRecord } from './createRequestRecord.ts'
import { checkKnobs, type OrderbookKnobs } from './knobs.ts'
import { GPV2_SETTLEMENT, orderDomain } from './computeStubOrderUid.ts'
import { createOrderbookHandlers } from './createOrderbookHandlers.ts'
import type { OrderbookStub, StoredOrder } from './orderbookStubTypes.ts'
import { createChainReader, type ChainReader } from './createChainReader.ts'
import { DEFAULT_ORDER_VALIDITY, type OrderValidity } from './chainChecks.ts'
import { CHAIN_CHECK_NAMES, isCheckOn } from './orderChecks.ts'

export type CreateOrderbookStubParameters = {
  /** Chain id of the UID domain. Default 11155111. */
  chainId?: number
  /** verifyingContract of the UID domain. Default GPv2Settlement. */
  settlement?: Address
  /** Seed of the generator behind rates and latency ranges. Default 1. */
  seed?: number
  knobs?: OrderbookKnobs
  /** Refuse order posts whose appData hash has no registered document (InvalidAppData). Default true. */
  requireKnownAppData?: boolean
  /** Buy units per sell unit for POST /quote, as a fraction. Default 1/1. */
  quotePrice?: { numerator: bigint; denominator: bigint }
  /** The text GET /api/v1/version answers. */
  version?: string
  /** Clock, ms since the epoch (creation dates, the record). Default Date.now. Never used for validTo: that is chain time. */
  now?: () => number
  /**
   * The node the chain checks read: a `ChainReader` or its JSON-RPC URL (give the devnet's own URL,
   * not a fault proxy in front of the engine). Without one the chain checks cannot run: they are
   * listed as `unchecked` (in `stub.chainChecks()` and on each accepted post's record entry), never passed.
   */
  chain?: ChainReader | string
  /** How far `validTo` must and may lie after chain time (seconds). Default the service's: 60 s, 3 h (market), 1 y (limit). */
  validity?: Partial<OrderValidity>
}

/**
 * An orderbook stub: state (orders, app data), knobs that can change during a run, and the record.
 * Serve it with `startInProcessStub` or `serveOrderbookStub`.
 *
 * @example
 * const stub = createOrderbookStub({ seed: 7, knobs: { failRate: { rate: 0.2, status: 500 } } })
 * const server = await serveOrderbookStub(stub, { port: 0 })
 * stub.setKnobs({ latencyMs: { min: 10, max: 50 } })
 * // The policy behind Forbidden, UnsupportedToken, TooManyLimitOrders and TooMuchGas (defaults: the service's).
 * stub.setKnobs({ policy: { bannedUsers: ['0x1111111111111111111111111111111111111111'], maxLimitOrdersPerUser: 3 } })
 * stub.record.accepted()
 */
export function createOrderbookStub(parameters: CreateOrderbookStubParameters = {}): OrderbookStub {
  const chainId = parameters.chainId ?? 11155111
  const settlement = parameters.settlement ?? GPV2_SETTLEMENT
  const orders = new Map<string, StoredOrder>()
  const appData = new Map<string, string>()
  const presignOverride = new Map<string, boolean>()
  const presignOnChain = new Map<string, boolean>()
  const chain = parameters.chain === undefined ? null : typeof parameters.chain === 'string' ? createChainReader({ rpcUrl: parameters.chain, settlement }) : parameters.chain
  const validity: OrderValidity = { ...DEFAULT_ORDER_VALIDITY, ...parameters.validity }
  const cancelled = new Set<string>()
  const record = createRequestRecord()
  const random = createPrng(parameters.seed ?? 1)
  const uses = new WeakMap<object, number>()
  const now = parameters.now ?? Date.now
  let quoteId = 0
  let seq = 0
  let knobs: OrderbookKnobs = { ...parameters.knobs }
  checkKnobs(knobs)

  const stub: OrderbookStub = {
    chainId,
    domain: orderDomain(chainId, settlement),
    settlement,
    requireKnownAppData: parameters.requireKnownAppData ?? true,
    quotePrice: parameters.quotePrice ?? { numerator: 1n, denominator: 1n },
    version: parameters.version ?? 'shepherd-orderbook-stub 0.1.0',
    chain,
    validity,
    chainChecks() {
      const on = CHAIN_CHECK_NAMES.filter((name) => isCheckOn(knobs.checks, name))
      return chain ? { chain: chain.rpcUrl, running: on, unchecked: [] } : { chain: null, running: [], unchecked: on }
    },
    record,
    get knobs() {
      return knobs
    },
    setKnobs(patch) {
      const next = { ...knobs, ...patch }
      checkKnobs(next)
      knobs = next
    },
    addRule(rule) {
      knobs = { ...knobs, rules: [...(knobs.rules ?? []), rule] }
    },
    handlers: (baseUrl = '*') => createOrderbookHandlers(stub, baseUrl),
    getOrder: (uid) => orders.get(uid.toLowerCase()),
    putOrder(order) {
      const key = order.uid.toLowerCase()
      if (orders.has(key)) return 'exists'
      orders.set(key, order)
      return 'created'
    },
    orders: () => [...orders.values()],
    getAppData(hash) {
      const key = hash.toLowerCase()
      return key === EMPTY_APP_DATA_HASH ? (appData.get(key) ?? '{}') : appData.get(key)
    },
    putAppData(document) {
      const hash = keccak256Utf8(document)
      const created = !appData.has(hash)
      if (created) appData.set(hash, document)
      return { hash, created }
    },
    setPresignature(uid, signed) {
      presignOverride.set(uid.toLowerCase(), signed)
    },
    hasPresignature: (uid) => presignOverride.get(uid.toLowerCase()) ?? presignOnChain.get(uid.toLowerCase()) ?? false,
    hasPresignatureOverride: (uid) => presignOverride.has(uid.toLowerCase()),
    cancelOrders(uids) {
      for (const uid of uids) cancelled.add(uid.toLowerCase())
    },
    isCancelled: (uid) => cancelled.has(uid.toLowerCase()),
    reset() {
      orders.clear()
      appData.clear()
      presignOverride.clear()
      presignOnChain.clear()
      cancelled.clear()
      record.clear()
    },
    internals: {
      random,
      uses,
      now,
      nextQuoteId: () => ++quoteId,
      nextSeq: () => ++seq,
      notePresignature: (uid, signed) => void presignOnChain.set(uid.toLowerCase(), signed),
    },
  }
  return stub
}
