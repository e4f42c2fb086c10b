import type { Address } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'

/** The contracts the load goes to. Default: the Sepolia table (every devnet, a Sepolia fork). */
export type LoadAddresses = { composableCow: Address; twap: Address; ethFlow: Address; weth: Address; cowToken: Address }

/** Shape of the TWAPs created; all numbers as on chain (seconds, wei). */
export type LoadTwapShape = {
  /** Number of parts (> 1). Default 4. */
  n: number
  /** Seconds between parts. Default 5: all 4 parts of an early TWAP fall inside a 20-block run at 1 s blocks, and inside a 120 s run. */
  t: number
  /** t0 = the latest block timestamp minus this, so part 0 is tradeable at once. Default 1. */
  t0LagSeconds: number
  /** Default 0 (each part tradeable for its whole interval). */
  span: number
  partSellAmount: bigint
  minPartLimit: bigint
}

/** Everything `runLoad` takes. Only `rpcUrl` is required; see `resolveLoadOptions` for defaults. */
export type LoadOptions = {
  rpcUrl: string
  /** W: senders, each an impersonated EOA of its own. Default 2. */
  senders?: number
  /** N: `ComposableCoW.create` calls per sender per block. Default 3. */
  twapPerBlock?: number
  /** M: `EthFlow.createOrder` calls per sender per block. Default 3. */
  ethFlowPerBlock?: number
  /** Blocks to drive load in (one batch per sender per new block). Default 10. */
  blocks?: number
  /** Sender addresses, salts and amounts derive from it: two runs with different seeds never collide. Default 'shepherd-load'. */
  seed?: string
  /** Wall-clock bound of the sending phase. Default blocks x 10 s + 10 s. */
  maxDurationMs?: number
  /** How long to wait for receipts after the last batch. Default 30 s. */
  receiptTimeoutMs?: number
  /** eth_blockNumber poll interval. Default 50 ms. */
  pollIntervalMs?: number
  twap?: Partial<LoadTwapShape>
  /** EthFlow sellAmount = this + senderIndex x 1e9 + the tx nonce: unique per order, even across runs with one seed. Default 1e15 wei. */
  ethFlowBaseAmount?: bigint
  /** EthFlow user validTo = the triggering block's timestamp + this. Default 1800 (30 min, CoW Swap's default; the real orderbook refuses more than 1 year). */
  ethFlowValiditySeconds?: number
  /**
   * Make every sender look like a real TWAP owner before sending: ForwarderOwner code (EIP-1271
   * through ComposableCoW), a WETH balance covering every part its TWAPs can sell, and an unlimited
   * allowance to the vault relayer (`prepareLoadOwners`; Anvil storage writes, no transactions).
   * Default true; false leaves plain EOAs with no WETH, which a strict orderbook refuses.
   */
  ownerSetup?: boolean
  /** Explicit gas per tx (no estimation round trip). Default 90k each, ~1.6x the measured use (create 55.1k, createOrder 56.8k): Anvil packs blocks by gas limit, so a tight limit fits more txs per block. */
  gas?: { twap?: bigint; ethFlow?: bigint }
  /** Fee cap. Default 100k gwei: Anvil evicts a tx once the base fee passes its cap. */
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  /** `anvil_setBalance` of each sender. Default 1e25 wei. */
  senderBalance?: bigint
  addresses?: Partial<LoadAddresses>
  /**
   * Give the orders realistic appData (`buildLoadAppData`: an app code; a partner fee and referrer;
   * hooks; a ~7.9 kB document), registered at this orderbook with `PUT /api/v1/app_data/{hash}`
   * before the first order is sent. Order i of a sender carries document i mod 4. Default: none,
   * every order carries the empty document "{}".
   */
  appData?: { orderbookUrl: string }
  /** Stops sending early (the receipts of what was sent are still awaited). */
  signal?: AbortSignal
  /** Progress lines. Default: none. */
  log?: (line: string) => void
}

/** LoadOptions with every default filled in and checked. */
export type ResolvedLoadOptions = Required<Omit<LoadOptions, 'twap' | 'gas' | 'addresses' | 'signal' | 'log' | 'appData'>> & {
  appData: { orderbookUrl: string } | undefined
  twap: LoadTwapShape
  gas: { twap: bigint; ethFlow: bigint }
  addresses: LoadAddresses
  signal: AbortSignal | undefined
  log: (line: string) => void
}

/**
 * Fills in defaults and checks every option, throwing a ShepherdError that names the bad one.
 *
 * @example
 * const options = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', senders: 10 })
 */
export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  if (typeof options.rpcUrl !== 'string' || !/^https?:\/\//.test(options.rpcUrl)) bad('rpcUrl', 'an http(s) URL', options.rpcUrl)
  const blocks = int('blocks', options.blocks ?? 10, 1)
  const twap: LoadTwapShape = {
    n: int('twap.n', options.twap?.n ?? 4, 2),
    t: int('twap.t', options.twap?.t ?? 5, 1),
    t0LagSeconds: int('twap.t0LagSeconds', options.twap?.t0LagSeconds ?? 1, 0),
    span: int('twap.span', options.twap?.span ?? 0, 0),
    partSellAmount: positive('twap.partSellAmount', options.twap?.partSellAmount ?? 10n ** 15n),
    minPartLimit: positive('twap.minPartLimit', options.twap?.minPartLimit ?? 1n),
  }
  if (twap.span > twap.t) bad('twap.span', `at most twap.t (${twap.t})`, twap.span)
  const resolved: ResolvedLoadOptions = {
    rpcUrl: options.rpcUrl,
    senders: int('senders', options.senders ?? 2, 1),
    twapPerBlock: int('twapPerBlock', options.twapPerBlock ?? 3, 0),
    ethFlowPerBlock: int('ethFlowPerBlock', options.ethFlowPerBlock ?? 3, 0),
    blocks,
    seed: options.seed ?? 'shepherd-load',
    maxDurationMs: int('maxDurationMs', options.maxDurationMs ?? blocks * 10_000 + 10_000, 1),
    receiptTimeoutMs: int('receiptTimeoutMs', options.receiptTimeoutMs ?? 30_000, 0),
    pollIntervalMs: int('pollIntervalMs', options.pollIntervalMs ?? 50, 1),
    twap,
    ethFlowBaseAmount: positive('ethFlowBaseAmount', options.ethFlowBaseAmount ?? 10n ** 15n),
    ethFlowValiditySeconds: int('ethFlowValiditySeconds', options.ethFlowValiditySeconds ?? 1800, 1),
    ownerSetup: options.ownerSetup ?? true,
    gas: { twap: positive('gas.twap', options.gas?.twap ?? 90_000n), ethFlow: positive('gas.ethFlow', options.gas?.ethFlow ?? 90_000n) },
    maxFeePerGas: positive('maxFeePerGas', options.maxFeePerGas ?? 100_000n * 10n ** 9n),
    maxPriorityFeePerGas: options.maxPriorityFeePerGas ?? 0n,
    senderBalance: positive('senderBalance', options.senderBalance ?? 10n ** 25n),
    addresses: { ...pickSepolia(), ...options.addresses },
    appData: options.appData,
    signal: options.signal,
    log: options.log ?? (() => {}),
  }
  if (resolved.twapPerBlock + resolved.ethFlowPerBlock === 0) bad('twapPerBlock + ethFlowPerBlock', 'at least one transaction per sender per block', 0)
  if (resolved.seed.length === 0) bad('seed', 'a non-empty string', '""')
  // The real orderbook refuses an order valid for longer than its limit-order horizon (1 year by default).
  if (resolved.ethFlowValiditySeconds > 31_536_000) bad('ethFlowValiditySeconds', 'at most 31536000 (1 year, the orderbook\'s horizon)', resolved.ethFlowValiditySeconds)
  if (resolved.appData !== undefined && !/^https?:\/\//.test(String(resolved.appData.orderbookUrl))) bad('appData.orderbookUrl', 'an http(s) URL', resolved.appData.orderbookUrl)
  return resolved
}

function pickSepolia(): LoadAddresses {
  const { composableCow, twap, ethFlow, weth, cowToken } = sepoliaAddresses
  return { composableCow, twap, ethFlow, weth, cowToken }
}

function int(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) bad(name, `an integer >= ${min}`, value)
  return value
}

function positive(name: string, value: bigint): bigint {
  if (typeof value !== 'bigint' || value <= 0n) bad(name, 'a positive bigint', value)
  return value
}

function bad(name: string, expected: string, found: unknown): never {
  throw new ShepherdError(`Invalid load option ${name}`, { details: [`expected: ${expected}`, `found: ${String(found)}`] })
}
