import type { AbiEvent, Address, Hex } from 'viem'
import type { OrderCreation } from '@cowprotocol/cow-sdk'

/** A block as the engine delivers it: enough to decide by number and time, and to detect reorgs. */
export type BlockRef = {
  chainId: number
  number: bigint
  hash: Hex
  parentHash: Hex
  /** Seconds since the epoch, as the block header says. */
  timestamp: bigint
}

/**
 * A log as the chain gave it, parsed and checked: numbers as bigint/number, never hex strings. The
 * one declaration of the raw-log shape: the engine's chain sources and ingestion, the dispatcher,
 * recorded cassettes and modules (as `ModuleLog`) all use it.
 *
 * @example
 * import type { RawLog } from 'shepherd/sdk'
 * const sameLog = (a: RawLog, b: RawLog) => a.blockHash === b.blockHash && a.logIndex === b.logIndex
 */
export type RawLog = {
  address: Address
  blockNumber: bigint
  blockHash: Hex
  transactionHash: Hex
  transactionIndex: number
  logIndex: number
  topics: readonly Hex[]
  data: Hex
  /** True when the log was removed by a reorg (see `onReorg`). */
  removed: boolean
}

/**
 * A log matched by one of the module's log subscriptions: the raw log, the chain it came from, the
 * subscription that matched, and the event decoded with the subscription's ABI item.
 *
 * @example
 * onLog: async (log, { host }) => {
 *   if (log.decoded === null) return host.log.warn('undecodable log', { tx: log.transactionHash })
 * }
 */
export type ModuleLog = RawLog & {
  chainId: number
  /** The id of the subscription that matched (its `id`, or `<address>:<eventName>`). */
  subscription: string
  /** The event decoded with the subscription's ABI item; null when the data does not decode. */
  decoded: { eventName: string; args: Record<string, unknown> } | null
}

export type BlockSubscription = { chainId: number }

export type LogSubscription = {
  /** Stable id, used to route logs and in metrics. Defaults to `<address>:<eventName>`. */
  id?: string
  chainId: number
  /** One address, several, or none (every address). */
  address?: Address | readonly Address[]
  /** The viem ABI item of the event; its topic0 filters the logs. */
  event: AbiEvent
}

export type Subscriptions = {
  blocks?: readonly BlockSubscription[]
  logs?: readonly LogSubscription[]
}

/** One call of a Multicall3 `aggregate3` batch. */
export type MulticallCall = { target: Address; callData: Hex; allowFailure?: boolean }
export type MulticallResult = { success: boolean; returnData: Hex }

export type ReadOptions = {
  /** Read at this block. Modules pass the block they are handling, so replays answer the same. */
  blockNumber?: bigint
}

/** Chain capability. All methods take the chain id first; reads are raw hex so they cross a worker boundary. */
export type ChainHost = {
  /** A raw JSON-RPC request. */
  request(chainId: number, method: string, params?: readonly unknown[]): Promise<unknown>
  /** `eth_call`; resolves to the return data, rejects with a `ChainCallError` carrying revert data. */
  call(chainId: number, call: { to: Address; data: Hex }, options?: ReadOptions): Promise<Hex>
  /** Many calls through Multicall3 `aggregate3`, batched; per-call success or revert data, in order. */
  multicall(chainId: number, calls: readonly MulticallCall[], options?: ReadOptions): Promise<MulticallResult[]>
  getBalance(chainId: number, address: Address, options?: ReadOptions): Promise<bigint>
}

/** Structured orderbook failure, as every module sees it. */
export type CowApiFailure = {
  /** HTTP status; 0 for a transport fault or a timeout. */
  status: number
  errorType?: string
  description?: string
  data?: unknown
  /** Seconds, from a Retry-After header. */
  retryAfter?: number
}

/** The order as the orderbook returns it from GET /orders/{uid} (only the fields modules rely on are typed). */
export type CowOrder = { uid: string; owner?: string; status?: string } & Record<string, unknown>

export type AppDataDocument = { fullAppData: string }

/** Orderbook capability. Failures reject with `CowApiError` (see modules/sdk/errors/cowApi.ts). */
export type CowApiHost = {
  submitOrder(chainId: number, order: OrderCreation): Promise<string>
  /** Resolves to null on 404. */
  getOrder(chainId: number, uid: Hex | string): Promise<CowOrder | null>
  /** Resolves to null on 404. */
  getAppData(chainId: number, hash: Hex): Promise<AppDataDocument | null>
  /** Any orderbook path, e.g. `request(1, 'GET', '/api/v1/version')`. */
  request(chainId: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>
}

/** A module's own namespace; values are JSON with bigint support. */
export type StoreHost = {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<void>
  /** Entries whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix: string, options?: { limit?: number }): Promise<Array<[string, T]>>
}

export type LogFields = Record<string, unknown>
export type LogHost = {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

export type ClockHost = { /** Milliseconds since the epoch. */ now(): number }

export type MetricsHost = {
  /** Raise an alert: a Warn log and `shepherd_module_alerts_total{module,kind}`. */
  alert(kind: string, message: string, fields?: LogFields): void
  /**
   * Report an error the module handled itself (a read it will retry, a post the orderbook refused):
   * a Warn log and `shepherd_module_errors_total{module,error_kind}`. Traps are counted apart
   * (`shepherd_module_traps_total`), so a scenario can bound what a module absorbed.
   */
  error(kind: string, message: string, fields?: LogFields): void
}

/**
 * The module's own health checks, served by the engine's `/healthz` and as
 * `shepherd_module_degraded{module,check}`. A check stays degraded until the module reports it ok.
 */
export type HealthHost = {
  /** Mark `check` degraded, with the reason an operator reads (and what to do, when known). */
  degraded(check: string, reason: string, fields?: LogFields): void
  /** Mark `check` healthy again; a check never reported degraded is a no-op. */
  ok(check: string): void
}

/** Everything a module may touch. Production, the worker proxy and MockHost implement it. */
export type Host = {
  module: string
  chain: ChainHost
  cowApi: CowApiHost
  store: StoreHost
  log: LogHost
  clock: ClockHost
  metrics: MetricsHost
  health: HealthHost
}

export type ModuleContext<config> = { host: Host; config: config }

export type ReorgNotice = {
  chainId: number
  /** Blocks from this number on were replaced; logs of the old branch arrive again as `removed`. */
  fromBlock: bigint
  removedLogs: readonly ModuleLog[]
}

/** A strategy module. Build one with `defineModule`. */
export type ModuleDefinition<config = unknown> = {
  name: string
  /** A schema with `parse(unknown) => config` (zod fits); it fills defaults and rejects bad input. */
  config?: { parse(input: unknown): config }
  subscriptions: Subscriptions | ((config: config) => Subscriptions)
  init?(context: ModuleContext<config>): Promise<void>
  onBlock?(context: ModuleContext<config> & { block: BlockRef }): Promise<void>
  onLogs?(context: ModuleContext<config> & { block: BlockRef; logs: readonly ModuleLog[] }): Promise<void>
  onReorg?(context: ModuleContext<config> & { reorg: ReorgNotice }): Promise<void>
}
