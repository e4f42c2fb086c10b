import type { Address, Hex } from 'viem'
import { BALANCE_ERC20, ORDER_KIND_SELL, computeUid, type GPv2OrderData } from '../sdk/index.ts'
import { DEFAULT_VALID_FOR_SECONDS, type StopLossConfig } from './config.ts'

const MAX_UINT32 = 2n ** 32n - 1n

/** The order a trigger produced, as kept in the store under `order` so every retry sends the same. */
export type PendingOrder = { uid: Hex; owner: Address; order: GPv2OrderData; triggerBlock: bigint; answer: bigint }

/**
 * The configured sell order for a trigger at a block with this timestamp. validTo is the config's
 * absolute `validTo`, else the block timestamp + `validFor` (capped at 2^32-1), so the same block
 * always yields the same order and UID, on a replay too. Fee 0, erc20 balances, PreSign by `owner`.
 *
 * @example
 * const { order, uid } = buildStopLossOrder(config, block.timestamp)
 */
export function buildStopLossOrder(config: StopLossConfig, timestamp: bigint): { order: GPv2OrderData; uid: Hex } {
  const relative = timestamp + BigInt(config.validFor ?? DEFAULT_VALID_FOR_SECONDS)
  const validTo = config.validTo ?? Number(relative > MAX_UINT32 ? MAX_UINT32 : relative)
  const order: GPv2OrderData = {
    sellToken: config.sellToken,
    buyToken: config.buyToken,
    receiver: config.receiver,
    sellAmount: config.sellAmount,
    buyAmount: config.buyAmount,
    validTo,
    appData: config.appData as Hex,
    feeAmount: 0n,
    kind: ORDER_KIND_SELL,
    partiallyFillable: config.partiallyFillable,
    sellTokenBalance: BALANCE_ERC20,
    buyTokenBalance: BALANCE_ERC20,
  }
  return { order, uid: computeUid(config.chainId, order, config.owner) }
}
