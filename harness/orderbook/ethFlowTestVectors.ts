// Test vectors for EthFlow indexing: a hand-built OrderPlacement log and its UID computed without cow-sdk.
import { concat, encodeAbiParameters, encodeEventTopics, encodePacked, keccak256, numberToHex, stringToBytes, type Address, type Hex } from 'viem'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { orderPlacementEvent, type PlacementRpcLog } from './decodeEthFlowPlacement.ts'
import { SEPOLIA_COW, SEPOLIA_WETH } from './exampleOrderCreation.ts'
import { referenceOrderDigest } from './gpv2OrderTestVectors.ts'

export const USER: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
export const ETH_FLOW: Address = '0xbA3cB449bD2B4ADddBc894D8697F5170800EAdeC'
export const order = {
  sellToken: SEPOLIA_WETH,
  buyToken: SEPOLIA_COW,
  receiver: USER,
  sellAmount: 5n * 10n ** 17n,
  buyAmount: 10n ** 18n,
  validTo: 0xffffffff,
  appData: EMPTY_APP_DATA_HASH,
  feeAmount: 0n,
  kind: keccak256(stringToBytes('sell')),
  partiallyFillable: false,
  sellTokenBalance: keccak256(stringToBytes('erc20')),
  buyTokenBalance: keccak256(stringToBytes('erc20')),
} as const

/** A hand-built OrderPlacement log, encoded the way the contract emits it. */
export function placementLog(sellAmount = order.sellAmount, blockNumber = 5): PlacementRpcLog {
  const [, ...dataParams] = orderPlacementEvent.inputs
  return {
    address: ETH_FLOW.toLowerCase() as Hex,
    topics: encodeEventTopics({ abi: [orderPlacementEvent], eventName: 'OrderPlacement', args: { sender: USER } }) as [Hex, ...Hex[]],
    data: encodeAbiParameters(dataParams, [
      { ...order, sellAmount },
      { scheme: 0, data: ETH_FLOW },
      encodePacked(['int64', 'uint32'], [-7n, 1_900_000_123]),
    ]),
    blockNumber: numberToHex(blockNumber),
    transactionHash: `0x${'11'.repeat(32)}`,
    logIndex: '0x0',
  }
}

/**
 * The UID computed without cow-sdk (the indexing under test uses it): EIP-712 digest of the event's
 * order over the hand-written GPv2 types (Sepolia domain), owner = EthFlow, validTo = 0xffffffff.
 */
export function expectedUid(sellAmount = order.sellAmount): Hex {
  const digest = referenceOrderDigest({ ...order, sellAmount, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' })
  return concat([digest, ETH_FLOW, '0xffffffff']).toLowerCase() as Hex
}

