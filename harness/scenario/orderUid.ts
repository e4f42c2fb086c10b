import { concat, domainSeparator, hashStruct, keccak256, numberToHex, toHex, type Address, type Hex } from 'viem'
import type { GPv2OrderData } from '../twap/model.ts'

const settlement: Address = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'
const names = new Map<Hex, string>(['sell', 'buy', 'erc20', 'external', 'internal'].map((name) => [keccak256(toHex(name)), name]))

const orderTypes = {
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

const separators = new Map<string, Hex>()
function separatorOf(chainId: number, verifyingContract: Address): Hex {
  const key = `${chainId}:${verifyingContract.toLowerCase()}`
  let separator = separators.get(key)
  if (separator === undefined) separators.set(key, (separator = domainSeparator({ domain: { name: 'Gnosis Protocol', version: 'v2', chainId, verifyingContract } })))
  return separator
}

/**
 * The order UID (digest ‖ owner ‖ validTo) computed with viem's EIP-712 hashing alone, so the
 * scenario's ground truth does not share code with the engine or the modules (which use cow-sdk).
 */
export function groundTruthOrderUid(order: GPv2OrderData, owner: Address, chainId = 11155111, verifyingContract: Address = settlement): Hex {
  const name = (hash: Hex) => {
    const found = names.get(hash.toLowerCase() as Hex)
    if (!found) throw new Error(`Unknown GPv2 enum hash ${hash}`)
    return found
  }
  const structHash = hashStruct({
    types: orderTypes,
    primaryType: 'Order',
    data: {
      ...order,
      kind: name(order.kind),
      sellTokenBalance: name(order.sellTokenBalance),
      buyTokenBalance: name(order.buyTokenBalance),
    },
  })
  // What viem's hashTypedData does, with the domain separator computed once per domain.
  const digest = keccak256(concat(['0x1901', separatorOf(chainId, verifyingContract), structHash]))
  return concat([digest, owner, numberToHex(order.validTo, { size: 4 })]).toLowerCase() as Hex
}
