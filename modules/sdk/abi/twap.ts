/**
 * TWAP static input: `abi.encode(TWAPOrder.Data)`. Every field is static, so the struct encodes
 * exactly like these ten parameters in a row (320 bytes).
 */
export const twapStaticInputParameters = [
  { name: 'sellToken', type: 'address' },
  { name: 'buyToken', type: 'address' },
  { name: 'receiver', type: 'address' },
  { name: 'partSellAmount', type: 'uint256' },
  { name: 'minPartLimit', type: 'uint256' },
  { name: 't0', type: 'uint256' },
  { name: 'n', type: 'uint256' },
  { name: 't', type: 'uint256' },
  { name: 'span', type: 'uint256' },
  { name: 'appData', type: 'bytes32' },
] as const
