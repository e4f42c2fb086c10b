// Test vector: the GPv2 Order's EIP-712 types, written out by hand from GPv2Order.sol (its TYPE_HASH
// string), neither taken from cow-sdk's ORDER_TYPE_FIELDS nor from any code of ours. Tests that check
// a digest or UID we compute (our own hashing, or our use of cow-sdk) compare it with viem's
// hashTypedData over these types: the expected value must not come from what is under test.
import { hashTypedData, type Address, type Hex } from 'viem'

/** GPv2Order.sol: `Order(address sellToken,address buyToken,address receiver,uint256 sellAmount,...)`, in field order. */
export const GPV2_ORDER_TYPES = {
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

/** keccak256 of GPv2Order.sol's type string, as the contract declares it (`GPv2Order.TYPE_HASH`). */
export const GPV2_ORDER_TYPE_HASH: Hex = '0xd5a25ba2e97094ad7d83dc28a6572da797d6b3e7fc6663bd93efb789fc17e489'

/** The Sepolia (and mainnet) GPv2Settlement: the `verifyingContract` of the GPv2 domain. */
const GPV2_SETTLEMENT: Address = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'

/** An order as EIP-712 signs it: `kind` and the balances by name ("sell", "erc20"), not by hash. */
export type ReferenceOrderMessage = {
  sellToken: Address
  buyToken: Address
  receiver: Address
  sellAmount: bigint
  buyAmount: bigint
  validTo: number
  appData: Hex
  feeAmount: bigint
  kind: string
  partiallyFillable: boolean
  sellTokenBalance: string
  buyTokenBalance: string
}

/**
 * viem's EIP-712 digest of an order over GPV2_ORDER_TYPES, on the GPv2 domain ("Gnosis Protocol",
 * "v2", `chainId`, `verifyingContract`; Sepolia's settlement by default).
 *
 * @example
 * const digest = referenceOrderDigest({ ...order, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' })
 * expect(gpv2OrderDigest(order, sepoliaDomainSeparator)).toBe(digest)
 */
export function referenceOrderDigest(message: ReferenceOrderMessage, domain: { chainId: number; verifyingContract: Address } = { chainId: 11155111, verifyingContract: GPV2_SETTLEMENT }): Hex {
  return hashTypedData({
    domain: { name: 'Gnosis Protocol', version: 'v2', chainId: domain.chainId, verifyingContract: domain.verifyingContract },
    types: GPV2_ORDER_TYPES,
    primaryType: 'Order',
    message,
  })
}
