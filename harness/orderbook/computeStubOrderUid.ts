import { computeOrderUid, setGlobalAdapter } from '@cowprotocol/cow-sdk'
// The ESM build by path, as in modules/sdk/orders/ensureCowSdkAdapter.ts (one viem per process).
import { ViemAdapter } from '@cowprotocol/sdk-viem-adapter/dist/index.mjs'
import { createPublicClient, http, type Address, type Hex } from 'viem'
import { fastOrderUid } from './fastOrderUid.ts'
import type { OrderFields } from './parseOrderCreation.ts'

/** The GPv2 EIP-712 domain the UID is computed in. */
export type OrderDomain = { name: 'Gnosis Protocol'; version: 'v2'; chainId: number; verifyingContract: Address }

/** GPv2Settlement, the same address on Sepolia and mainnet. */
export const GPV2_SETTLEMENT: Address = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'

/**
 * The GPv2 domain for a chain.
 *
 * @example
 * orderDomain(11155111) // { name: 'Gnosis Protocol', version: 'v2', chainId: 11155111, verifyingContract: GPV2_SETTLEMENT }
 */
export function orderDomain(chainId: number, verifyingContract: Address = GPV2_SETTLEMENT): OrderDomain {
  return { name: 'Gnosis Protocol', version: 'v2', chainId, verifyingContract }
}

/**
 * The 56-byte order UID (digest ‖ owner ‖ validTo) the stub answers a POST with. Computed by
 * `fastOrderUid` (constant parts hashed once), which `fastOrderUid.test.ts` checks against
 * cow-sdk's `computeOrderUid` (`computeStubOrderUidWithCowSdk`) on random orders.
 *
 * @example
 * const uid = computeStubOrderUid(orderDomain(11155111), fields, appDataHash, owner)
 */
export function computeStubOrderUid(domain: OrderDomain, fields: OrderFields, appDataHash: Hex, owner: Address): Hex {
  return fastOrderUid(domain, fields, appDataHash, owner)
}

/**
 * The same UID computed by cow-sdk (the reference). Hashing is offline,
 * but cow-sdk insists on a global adapter: when none is set we install one whose public client
 * points at an unused 127.0.0.1 port (it is never called; the unit test counts its requests).
 * An adapter set by someone else is left alone.
 *
 * @example
 * const uid = computeStubOrderUidWithCowSdk(orderDomain(11155111), fields, appDataHash, owner)
 */
export function computeStubOrderUidWithCowSdk(domain: OrderDomain, fields: OrderFields, appDataHash: Hex, owner: Address): Hex {
  const order = {
    sellToken: fields.sellToken,
    buyToken: fields.buyToken,
    // cow-sdk refuses an explicit address(0); absent means the same thing in the hash.
    ...(fields.receiver ? { receiver: fields.receiver } : {}),
    sellAmount: fields.sellAmount.toString(),
    buyAmount: fields.buyAmount.toString(),
    validTo: fields.validTo,
    appData: appDataHash,
    feeAmount: fields.feeAmount.toString(),
    kind: fields.kind,
    partiallyFillable: fields.partiallyFillable,
    sellTokenBalance: fields.sellTokenBalance,
    buyTokenBalance: fields.buyTokenBalance,
  }
  // cow-sdk's Order type wants its own enums; the string values are the same.
  const compute = () => computeOrderUid(domain, order as unknown as Parameters<typeof computeOrderUid>[1], owner)
  try {
    return compute().toLowerCase() as Hex
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('adapter')) throw error
    installOfflineAdapter()
    return compute().toLowerCase() as Hex
  }
}

/** Requests the offline adapter's client made; hashing must leave it at 0. */
export let offlineAdapterRequests = 0

function installOfflineAdapter(): void {
  const provider = createPublicClient({
    transport: http('http://127.0.0.1:9/', {
      onFetchRequest: () => {
        offlineAdapterRequests++
      },
    }),
  })
  setGlobalAdapter(new ViemAdapter({ provider }))
}
