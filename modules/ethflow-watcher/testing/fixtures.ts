// Test inputs for ethflow-watcher: real encodings (viem) of EthFlow logs. Used by tests only.
import { encodeAbiParameters, encodeEventTopics, getAddress, keccak256, toHex, type Address, type Hex } from 'viem'
import {
  BALANCE_ERC20,
  EMPTY_APP_DATA_HASH,
  ORDER_KIND_SELL,
  computeUid,
  orderInvalidationEvent,
  orderPlacementEvent,
  orderRefundEvent,
  type BlockRef,
  type GPv2OrderData,
  type ModuleLog,
} from '../../sdk/index.ts'
import { ETH_FLOW } from '../config.ts'

export const CHAIN_ID = 11155111
export const SENDER: Address = getAddress('0x7bf140727d27ea64b607e042f1225680b40eca6a')
export const T0 = 1_700_000_000n
/** Block n has timestamp T0 + 2 n (2 s blocks). */
export const blockAt = (number: bigint): BlockRef => ({ chainId: CHAIN_ID, number, hash: toHex(number, { size: 32 }), parentHash: toHex(number, { size: 32 }), timestamp: T0 + number * 2n })

/** The order an EthFlow placement carries; its UID depends on sellAmount (and receiver), not on quoteId. */
export function ethFlowOrder(sellAmount: bigint, receiver: Address = SENDER): GPv2OrderData {
  return {
    sellToken: getAddress('0xfff9976782d46cc05630d1f6ebab18b2324d6b14'),
    buyToken: getAddress('0x0625afb445c3b6b7b929342a04a22599fd5dbb59'),
    receiver,
    sellAmount,
    buyAmount: 1n,
    validTo: 0xffffffff,
    appData: EMPTY_APP_DATA_HASH,
    feeAmount: 0n,
    kind: ORDER_KIND_SELL,
    partiallyFillable: false,
    sellTokenBalance: BALANCE_ERC20,
    buyTokenBalance: BALANCE_ERC20,
  }
}
export const uidOf = (sellAmount: bigint, receiver: Address = SENDER) => computeUid(CHAIN_ID, ethFlowOrder(sellAmount, receiver), ETH_FLOW)
export function baseLog(blockNumber: bigint, logIndex: number, topics: Hex[], data: Hex): ModuleLog {
  return { chainId: CHAIN_ID, subscription: 'ethflow', address: ETH_FLOW, blockNumber, blockHash: toHex(blockNumber, { size: 32 }), transactionHash: keccak256(toHex(`${blockNumber}:${logIndex}`)), transactionIndex: 0, logIndex, topics, data, removed: false, decoded: null }
}
/** An OrderPlacement by `sender` (the receiver too), as the engine delivers it. */
export function placementLog(sellAmount: bigint, blockNumber: bigint, logIndex = 0, sender: Address = SENDER): ModuleLog {
  const topics = encodeEventTopics({ abi: [orderPlacementEvent], eventName: 'OrderPlacement', args: { sender } }) as Hex[]
  const data = encodeAbiParameters(orderPlacementEvent.inputs.slice(1), [ethFlowOrder(sellAmount, sender), { scheme: 0, data: ETH_FLOW }, '0x0000000000000001ffffffff'])
  return baseLog(blockNumber, logIndex, topics, data)
}
export const invalidationLog = (uid: Hex, blockNumber: bigint) =>
  baseLog(blockNumber, 1, encodeEventTopics({ abi: [orderInvalidationEvent], eventName: 'OrderInvalidation' }) as Hex[], encodeAbiParameters([{ type: 'bytes' }], [uid]))
export const refundLog = (uid: Hex, blockNumber: bigint) =>
  baseLog(blockNumber, 2, encodeEventTopics({ abi: [orderRefundEvent], eventName: 'OrderRefund', args: { refunder: SENDER } }) as Hex[], encodeAbiParameters([{ type: 'bytes' }], [uid]))
