import { concat, domainSeparator, getTypesForEIP712Domain, hashStruct, keccak256, validateTypedData, type Hex, type TypedDataDomain } from 'viem'

/** cow-sdk's adapter signature: `utils.hashTypedData(domain, types, data)`. */
export type AdapterHashTypedData = (domain: unknown, types: Record<string, unknown>, data: Record<string, unknown>) => string

const separators = new Map<string, Hex>()
const MAX_DOMAINS = 64

/** The domain separator of `domain`, computed by viem once per distinct domain (a handful per process). */
function cachedSeparator(domain: TypedDataDomain): Hex {
  const key = `${domain.name}\u0000${domain.version}\u0000${domain.chainId}\u0000${String(domain.verifyingContract).toLowerCase()}\u0000${domain.salt ?? ''}`
  let separator = separators.get(key)
  if (separator === undefined) {
    separator = domainSeparator({ domain })
    if (separators.size >= MAX_DOMAINS) separators.clear()
    separators.set(key, separator)
  }
  return separator
}

/**
 * viem's `hashTypedData`, step for step (validate, `0x1901 ‖ domainSeparator ‖ hashStruct`), except
 * that the domain separator is computed once per domain: it is constant, and hashing it is four of
 * the ten keccaks of an order digest. Installed as cow-sdk's offline adapter `hashTypedData`, so
 * `computeOrderUid` / `hashOrder` stay cow-sdk's; the orders test cross-checks it against viem.
 *
 * @example
 * cachedHashTypedData(sepoliaDomain, { Order: ORDER_TYPE_FIELDS }, order) // === viem hashTypedData(...)
 */
export const cachedHashTypedData: AdapterHashTypedData = (domain, types, data) => {
  const primaryType = Object.keys(types)[0]
  if (!primaryType) throw new Error('No primary type found in types')
  const typedDomain = (domain ?? {}) as TypedDataDomain
  const allTypes = { EIP712Domain: getTypesForEIP712Domain({ domain: typedDomain }), ...types } as Parameters<typeof hashStruct>[0]['types']
  validateTypedData({ domain: typedDomain, message: data, primaryType, types: allTypes } as Parameters<typeof validateTypedData>[0])
  const parts: Hex[] = ['0x1901', cachedSeparator(typedDomain)]
  if (primaryType !== 'EIP712Domain') parts.push(hashStruct({ data, primaryType, types: allTypes }))
  return keccak256(concat(parts))
}
