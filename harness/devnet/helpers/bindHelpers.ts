import type { Address, Hex } from 'viem'
import type { DevnetClient } from '../createDevnetClient.ts'
import { approveVaultRelayer } from './approveVaultRelayer.ts'
import { createTwap, type CreateTwapParameters, type CreateTwapReturnType } from './createTwap.ts'
import { fund } from './fund.ts'
import { impersonate } from './impersonate.ts'
import { mine } from './mine.ts'
import { registerMiningMode, type MiningMode } from './miningMode.ts'
import { prepareOwners, type PrepareOwnersParameters } from './prepareOwners.ts'
import { placeEthFlowOrder, type PlaceEthFlowOrderParameters, type PlaceEthFlowOrderReturnType } from './placeEthFlowOrder.ts'
import type { WriteOptions, WriteResult } from './sendAs.ts'
import { setOraclePrice, type SetOraclePriceOptions } from './setOraclePrice.ts'
import { setPreSignature } from './setPreSignature.ts'
import { setBlockSeconds } from './setBlockSeconds.ts'
import { setNextBlockTimestamp, warp } from './warp.ts'
import { wrapWeth } from './wrapWeth.ts'

/** The helpers with the devnet's client already bound: `net.fund(owner, wei)`. */
export type DevnetHelpers = {
  impersonate(account: Address): Promise<void>
  fund(account: Address, wei: bigint): Promise<void>
  mine(blocks?: number, intervalSeconds?: number): Promise<void>
  warp(seconds: number): Promise<bigint>
  setNextBlockTimestamp(timestamp: bigint): Promise<void>
  /** Chain seconds every later block carries (`anvil_setBlockTimestampInterval`), see `setBlockSeconds`. */
  setBlockSeconds(seconds: number): Promise<void>
  setOraclePrice(answer: bigint, options?: SetOraclePriceOptions): Promise<WriteResult>
  createTwap(parameters: CreateTwapParameters): Promise<CreateTwapReturnType>
  placeEthFlowOrder(parameters: PlaceEthFlowOrderParameters): Promise<PlaceEthFlowOrderReturnType>
  wrapWeth(account: Address, amount: bigint, options?: WriteOptions): Promise<WriteResult>
  approveVaultRelayer(account: Address, token: Address, amount?: bigint, options?: WriteOptions): Promise<WriteResult>
  setPreSignature(owner: Address, orderUid: Hex, signed: boolean, options?: WriteOptions): Promise<WriteResult>
  prepareOwners(parameters: PrepareOwnersParameters): Promise<void>
}

/**
 * Binds every devnet helper to `client` (and records its mining mode, so write helpers know whether
 * to wait for receipts).
 *
 * @example
 * const helpers = bindHelpers(client, 'interval')
 * await helpers.fund(owner, 10n ** 18n)
 */
export function bindHelpers(client: DevnetClient, miningMode?: MiningMode): DevnetHelpers {
  if (miningMode) registerMiningMode(client, miningMode)
  return {
    impersonate: (account) => impersonate(client, account),
    fund: (account, wei) => fund(client, account, wei),
    mine: (blocks, intervalSeconds) => mine(client, blocks, intervalSeconds),
    warp: (seconds) => warp(client, seconds),
    setNextBlockTimestamp: (timestamp) => setNextBlockTimestamp(client, timestamp),
    setBlockSeconds: (seconds) => setBlockSeconds(client, seconds),
    setOraclePrice: (answer, options) => setOraclePrice(client, answer, options),
    createTwap: (parameters) => createTwap(client, parameters),
    placeEthFlowOrder: (parameters) => placeEthFlowOrder(client, parameters),
    wrapWeth: (account, amount, options) => wrapWeth(client, account, amount, options),
    approveVaultRelayer: (account, token, amount, options) => approveVaultRelayer(client, account, token, amount, options),
    setPreSignature: (owner, orderUid, signed, options) => setPreSignature(client, owner, orderUid, signed, options),
    prepareOwners: (parameters) => prepareOwners(client, parameters),
  }
}
