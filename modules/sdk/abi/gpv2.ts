/**
 * GPv2Order.Data as the settlement contract and every CoW contract encode it. `kind` and the two
 * balance fields are bytes32 hashes (keccak256 of "sell"/"buy", "erc20"/"external"/"internal").
 *
 * @example
 * import { decodeAbiParameters } from 'viem'
 * const [order] = decodeAbiParameters([{ type: 'tuple', components: gpv2OrderComponents }], data)
 */
export const gpv2OrderComponents = [
  { name: 'sellToken', type: 'address' },
  { name: 'buyToken', type: 'address' },
  { name: 'receiver', type: 'address' },
  { name: 'sellAmount', type: 'uint256' },
  { name: 'buyAmount', type: 'uint256' },
  { name: 'validTo', type: 'uint32' },
  { name: 'appData', type: 'bytes32' },
  { name: 'feeAmount', type: 'uint256' },
  { name: 'kind', type: 'bytes32' },
  { name: 'partiallyFillable', type: 'bool' },
  { name: 'sellTokenBalance', type: 'bytes32' },
  { name: 'buyTokenBalance', type: 'bytes32' },
] as const

/** GPv2Settlement `Trade` event: one per settled order. */
export const tradeEvent = {
  type: 'event',
  name: 'Trade',
  inputs: [
    { name: 'owner', type: 'address', indexed: true },
    { name: 'sellToken', type: 'address', indexed: false },
    { name: 'buyToken', type: 'address', indexed: false },
    { name: 'sellAmount', type: 'uint256', indexed: false },
    { name: 'buyAmount', type: 'uint256', indexed: false },
    { name: 'feeAmount', type: 'uint256', indexed: false },
    { name: 'orderUid', type: 'bytes', indexed: false },
  ],
} as const

/** GPv2Settlement `setPreSignature(bytes orderUid, bool signed)`. */
export const setPreSignatureFunction = {
  type: 'function',
  name: 'setPreSignature',
  stateMutability: 'nonpayable',
  inputs: [
    { name: 'orderUid', type: 'bytes' },
    { name: 'signed', type: 'bool' },
  ],
  outputs: [],
} as const
