import { decodeEventLog, getAddress, hexToBigInt, hexToNumber, keccak256, parseAbiItem, size, slice, stringToBytes, type Address, type Hex, type RpcLog } from 'viem'
import { computeStubOrderUid, type OrderDomain } from './computeStubOrderUid.ts'
import type { StoredOrder } from './orderbookStubTypes.ts'
import type { OrderFields } from './parseOrderCreation.ts'

/** The EthFlow `OrderPlacement` event (GPv2Order.Data inlined as a tuple). */
export const orderPlacementEvent = parseAbiItem(
  'event OrderPlacement(address indexed sender, (address sellToken, address buyToken, address receiver, uint256 sellAmount, uint256 buyAmount, uint32 validTo, bytes32 appData, uint256 feeAmount, bytes32 kind, bool partiallyFillable, bytes32 sellTokenBalance, bytes32 buyTokenBalance) order, (uint8 scheme, bytes data) signature, bytes data)',
)

/** topic0 of `OrderPlacement` (protocol-facts.md). */
export const ORDER_PLACEMENT_TOPIC: Hex = '0xcf5f9de2984132265203b5c335b25727702ca77262ff622e136baa7362bf1da9'

/** The production CoWSwapEthFlow address (Sepolia and mainnet). */
export const ETH_FLOW_ADDRESS: Address = '0xba3cb449bd2b4adddbc894d8697f5170800eadec'

const hashOf = (name: string) => keccak256(stringToBytes(name))
const KINDS = new Map<Hex, OrderFields['kind']>([[hashOf('sell'), 'sell'], [hashOf('buy'), 'buy']])
const SELL_BALANCES = new Map<Hex, OrderFields['sellTokenBalance']>([[hashOf('erc20'), 'erc20'], [hashOf('external'), 'external'], [hashOf('internal'), 'internal']])
const BUY_BALANCES = new Map<Hex, OrderFields['buyTokenBalance']>([[hashOf('erc20'), 'erc20'], [hashOf('internal'), 'internal']])

/**
 * The fields of an `eth_getLogs` answer the decoder reads, in the wire form (hex-encoded numbers,
 * null while pending): viem's `RpcLog`, not redeclared. The parsed form is the SDK's `RawLog`.
 *
 * @example
 * const logs = (await client.request({ method: 'eth_getLogs', params: [filter] })) as PlacementRpcLog[]
 */
export type PlacementRpcLog = Pick<RpcLog, 'address' | 'topics' | 'data' | 'blockNumber' | 'transactionHash' | 'logIndex'>

export type EthFlowPlacement = {
  uid: Hex
  /** The EthFlow contract: the order's owner. */
  owner: Address
  /** The user who placed the order (`onchainUser`). */
  sender: Address
  fields: OrderFields
  appData: Hex
  signingScheme: 'eip1271' | 'presign'
  signature: Hex
  quoteId: bigint
  userValidTo: number
  blockNumber: bigint
  transactionHash: Hex
  logIndex: number
}

/**
 * Decodes an `OrderPlacement` log and computes the order UID as the orderbook does: the order
 * from the event, owner = the emitting EthFlow contract. `data` is
 * `abi.encodePacked(int64 quoteId, uint32 userValidTo)`. Throws on a log it cannot read.
 *
 * @example
 * const placement = decodeEthFlowPlacement(log, orderDomain(11155111))
 * placement.uid
 */
export function decodeEthFlowPlacement(log: PlacementRpcLog, domain: OrderDomain): EthFlowPlacement {
  const { args } = decodeEventLog({ abi: [orderPlacementEvent], topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true })
  const { order, signature, data } = args
  const kind = KINDS.get(order.kind)
  const sellTokenBalance = SELL_BALANCES.get(order.sellTokenBalance)
  const buyTokenBalance = BUY_BALANCES.get(order.buyTokenBalance)
  if (!kind || !sellTokenBalance || !buyTokenBalance) throw new Error(`OrderPlacement: unknown kind or balance marker in ${log.transactionHash ?? 'log'}`)
  if (size(data) < 12) throw new Error(`OrderPlacement: data must hold int64 quoteId and uint32 userValidTo, got ${size(data)} bytes`)
  const receiver = getAddress(order.receiver)
  const fields: OrderFields = {
    sellToken: getAddress(order.sellToken),
    buyToken: getAddress(order.buyToken),
    receiver: receiver === '0x0000000000000000000000000000000000000000' ? null : receiver,
    sellAmount: order.sellAmount,
    buyAmount: order.buyAmount,
    validTo: order.validTo,
    feeAmount: order.feeAmount,
    kind,
    partiallyFillable: order.partiallyFillable,
    sellTokenBalance,
    buyTokenBalance,
  }
  const owner = getAddress(log.address)
  const appData = order.appData.toLowerCase() as Hex
  return {
    uid: computeStubOrderUid(domain, fields, appData, owner),
    owner,
    sender: getAddress(args.sender),
    fields,
    appData,
    signingScheme: signature.scheme === 1 ? 'presign' : 'eip1271',
    signature: signature.data,
    quoteId: hexToBigInt(slice(data, 0, 8), { signed: true }),
    userValidTo: hexToNumber(slice(data, 8, 12)),
    blockNumber: log.blockNumber ? hexToBigInt(log.blockNumber) : 0n,
    transactionHash: log.transactionHash ?? '0x',
    logIndex: log.logIndex ? hexToNumber(log.logIndex) : 0,
  }
}

/**
 * The order as the orderbook shows an indexed EthFlow order (class market, eip1271, with
 * `ethflow` details for `onchainUser` / `ethflowData` / `onchainOrderData`).
 *
 * @example
 * stub.putOrder(ethFlowStoredOrder(placement, new Date().toISOString(), stub.getAppData(placement.appData) ?? null))
 */
export function ethFlowStoredOrder(placement: EthFlowPlacement, creationDate: string, fullAppData: string | null): StoredOrder {
  return {
    ...placement.fields,
    uid: placement.uid,
    owner: placement.owner,
    creationDate,
    appData: placement.appData,
    fullAppData,
    signingScheme: placement.signingScheme,
    signature: placement.signature,
    quoteId: Number(placement.quoteId),
    class: 'market',
    ethflow: {
      sender: placement.sender,
      userValidTo: placement.userValidTo,
      quoteId: placement.quoteId,
      transactionHash: placement.transactionHash,
      blockNumber: placement.blockNumber,
    },
  }
}
