import { concatHex, encodeFunctionData, keccak256, numberToHex, stringToHex, type Address, type Hex } from 'viem'
import { cachedHashTypedData } from '../../../modules/sdk/orders/cachedHashTypedData.ts'
import { ethFlowAbi } from '../abis.ts'
import { devnetChainId, sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

/** The order a user gives `CoWSwapEthFlow.createOrder`. */
export type EthFlowOrder = {
  buyToken: Address
  receiver: Address
  sellAmount: bigint
  buyAmount: bigint
  appData: Hex
  feeAmount: bigint
  /** The user's validTo; the GPv2 order itself always has 0xffffffff. */
  validTo: number
  partiallyFillable: boolean
  quoteId: bigint
}

export type PlaceEthFlowOrderParameters = WriteOptions & { sender: Address; order: EthFlowOrder; ethFlow?: Address }

export type PlaceEthFlowOrderReturnType = WriteResult & {
  /** EIP-712 digest of the GPv2 order: the key of `orders(hash)`. */
  orderHash: Hex
  /** 56 bytes: digest ‖ EthFlow contract (the owner) ‖ 0xffffffff. */
  orderUid: Hex
}

const gpv2OrderTypes = {
  Order: [
    { name: 'sellToken', type: 'address' },
    { name: 'buyToken', type: 'address' },
    { name: 'receiver', type: 'address' },
    { name: 'sellAmount', type: 'uint256' },
    { name: 'buyAmount', type: 'uint256' },
    { name: 'validTo', type: 'uint32' },
    { name: 'appData', type: 'bytes32' },
    { name: 'feeAmount', type: 'uint256' },
    { name: 'kind', type: 'string' },
    { name: 'partiallyFillable', type: 'bool' },
    { name: 'sellTokenBalance', type: 'string' },
    { name: 'buyTokenBalance', type: 'string' },
  ],
} as const

/**
 * The GPv2 order an EthFlow order becomes, its digest and UID, computed locally (so a manual-mining
 * devnet gets the UID before the block exists).
 *
 * @example
 * const { orderUid } = ethFlowOrderUid(order)
 */
export function ethFlowOrderUid(order: EthFlowOrder, ethFlow: Address = sepoliaAddresses.ethFlow): { orderHash: Hex; orderUid: Hex } {
  const validTo = 0xffffffff
  // viem's hashTypedData with the domain separator and the type and enum hashes computed once
  // (the SDK's cachedHashTypedData, cross-checked against viem): the load generator calls this for
  // every EthFlow order it sends, while the engine under test shares the CPU.
  const orderHash = cachedHashTypedData(
    { name: 'Gnosis Protocol', version: 'v2', chainId: devnetChainId, verifyingContract: sepoliaAddresses.gpv2Settlement },
    gpv2OrderTypes,
    {
      sellToken: sepoliaAddresses.weth,
      buyToken: order.buyToken,
      receiver: order.receiver,
      sellAmount: order.sellAmount,
      buyAmount: order.buyAmount,
      validTo,
      appData: order.appData,
      feeAmount: order.feeAmount,
      kind: 'sell',
      partiallyFillable: order.partiallyFillable,
      sellTokenBalance: 'erc20',
      buyTokenBalance: 'erc20',
    },
  ) as Hex
  return { orderHash, orderUid: concatHex([orderHash, ethFlow, numberToHex(validTo, { size: 4 })]) }
}

/**
 * Places an EthFlow order as `sender` (impersonated), paying sellAmount + feeAmount in ETH. The
 * UID ignores quoteId: vary sellAmount between orders, or the second one reverts OrderIsAlreadyOwned.
 *
 * @example
 * const { orderUid } = await placeEthFlowOrder(client, { sender, order: { buyToken: cow, receiver: sender, sellAmount: 10n ** 17n, buyAmount: 1n, appData, feeAmount: 0n, validTo, partiallyFillable: false, quoteId: 1n } })
 */
export async function placeEthFlowOrder(client: DevnetClient, parameters: PlaceEthFlowOrderParameters): Promise<PlaceEthFlowOrderReturnType> {
  const { sender, order, ethFlow = sepoliaAddresses.ethFlow, ...write } = parameters
  const result = await sendAs(client, {
    ...write,
    from: sender,
    to: ethFlow,
    value: order.sellAmount + order.feeAmount,
    data: encodeFunctionData({ abi: ethFlowAbi, functionName: 'createOrder', args: [order] }),
    label: 'placeEthFlowOrder',
  })
  return { ...result, ...ethFlowOrderUid(order, ethFlow) }
}

/** keccak256("sell"): the GPv2 kind marker, exported for tests that read orders back. */
export const orderKindSell = keccak256(stringToHex('sell'))
