import { domainSeparator, stringToHex, type Address, type Hex } from 'viem'
// WebAssembly keccak (falls back to viem's until compiled): the two hashes per order are most of a post's CPU.
import { keccak256 } from '../../modules/sdk/hash/keccak256.ts'
import type { OrderFields } from './parseOrderCreation.ts'

/** The domain fields the digest depends on (a subset of OrderDomain, to avoid an import cycle). */
export type FastUidDomain = { name: string; version: string; chainId: number; verifyingContract: Address }

/** keccak256 of cow-sdk's ORDER_TYPE_FIELDS type string ("Order(address sellToken,...)"). */
const ORDER_TYPE_HASH = '0xd5a25ba2e97094ad7d83dc28a6572da797d6b3e7fc6663bd93efb789fc17e489'
const STRING_HASHES: Record<string, string> = Object.fromEntries(
  ['sell', 'buy', 'erc20', 'external', 'internal'].map((name) => [name, keccak256(stringToHex(name)).slice(2)]),
)
const separators = new Map<string, string>()

const word = (value: bigint | number) => value.toString(16).padStart(64, '0')
const addressWord = (address: string) => address.slice(2).toLowerCase().padStart(64, '0')

function separatorOf(domain: FastUidDomain): string {
  const key = `${domain.name}|${domain.version}|${domain.chainId}|${domain.verifyingContract.toLowerCase()}`
  let separator = separators.get(key)
  if (separator === undefined) {
    separator = domainSeparator({ domain }).slice(2)
    separators.set(key, separator)
  }
  return separator
}

/**
 * The same 56-byte UID as cow-sdk's `computeOrderUid` (EIP-712 `Order` digest ‖ owner ‖ validTo),
 * with the constant parts hashed once: the domain separator, the type hash and the five enum
 * strings. Two keccaks per order instead of ten. The stub is a test double, so it may take this
 * shortcut; `fastOrderUid.test.ts` checks it against cow-sdk on random orders.
 *
 * @example
 * fastOrderUid(orderDomain(11155111), fields, appDataHash, owner) // === computeStubOrderUidWithCowSdk(...)
 */
export function fastOrderUid(domain: FastUidDomain, fields: OrderFields, appDataHash: Hex, owner: Address): Hex {
  const kind = STRING_HASHES[fields.kind]
  const sellBalance = STRING_HASHES[fields.sellTokenBalance ?? 'erc20']
  // cow-sdk's normalizeBuyTokenBalance: "external" buys are paid as erc20.
  const buyBalance = STRING_HASHES[fields.buyTokenBalance === 'internal' ? 'internal' : 'erc20']
  if (kind === undefined || sellBalance === undefined || buyBalance === undefined)
    throw new Error(`invalid order enum: kind ${fields.kind}, sellTokenBalance ${fields.sellTokenBalance}, buyTokenBalance ${fields.buyTokenBalance}`)
  if (!Number.isInteger(fields.validTo) || fields.validTo < 0 || fields.validTo > 0xffffffff) throw new RangeError(`validTo ${fields.validTo} is not a uint32`)
  const struct = keccak256(
    `${ORDER_TYPE_HASH}${addressWord(fields.sellToken)}${addressWord(fields.buyToken)}${addressWord(fields.receiver ?? '0x')}${word(fields.sellAmount)}${word(fields.buyAmount)}${word(fields.validTo)}${appDataHash.slice(2).toLowerCase().padStart(64, '0')}${word(fields.feeAmount)}${kind}${word(fields.partiallyFillable ? 1 : 0)}${sellBalance}${buyBalance}`,
  )
  const digest = keccak256(`0x1901${separatorOf(domain)}${struct.slice(2)}`)
  return `${digest}${owner.slice(2).toLowerCase()}${fields.validTo.toString(16).padStart(8, '0')}` as Hex
}
