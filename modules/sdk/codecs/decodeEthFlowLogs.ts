import { hexToBigInt, hexToNumber, isHex, sliceHex, type Address, type Hex } from 'viem'
import { orderInvalidationEvent, orderPlacementEvent, orderRefundEvent } from '../abi/ethFlow.ts'
import { AbiDecodeError, type DecodeResult } from '../errors/decode.ts'
import type { GPv2OrderData } from '../orders/gpv2Order.ts'
import { decodeLogWith, type LogParts } from './decodeEventLog.ts'

export type OrderPlacement = {
  sender: Address
  order: GPv2OrderData
  /** scheme 0 = eip1271 (data = the EthFlow contract address), 1 = presign. */
  signature: { scheme: number; data: Hex }
  /** abi.encodePacked(int64 quoteId, uint32 userValidTo); see `decodeEthFlowPlacementData`. */
  data: Hex
}
export type OrderInvalidation = { orderUid: Hex }
export type OrderRefund = { orderUid: Hex; refunder: Address }

/**
 * Decodes a CoWSwapEthFlow `OrderPlacement` log. Never throws.
 *
 * @example
 * const result = decodeOrderPlacement(log)
 * if (result.ok) computeUid(log.chainId, result.value.order, log.address)
 */
export function decodeOrderPlacement(log: LogParts): DecodeResult<OrderPlacement> {
  const result = decodeLogWith(orderPlacementEvent, log)
  if (!result.ok) return result
  const { sender, order, signature, data } = result.value
  return { ok: true, value: { sender, order: { ...order }, signature: { scheme: signature.scheme, data: signature.data }, data } }
}

/**
 * Decodes a CoWSwapEthFlow `OrderInvalidation` log. Never throws.
 *
 * @example
 * const result = decodeOrderInvalidation(log)
 * if (result.ok) await host.store.set(`dropped:${result.value.orderUid}`, 'invalidated')
 */
export function decodeOrderInvalidation(log: LogParts): DecodeResult<OrderInvalidation> {
  const result = decodeLogWith(orderInvalidationEvent, log)
  if (!result.ok) return result
  return { ok: true, value: { orderUid: result.value.orderUid } }
}

/**
 * Decodes a CoWSwapEthFlow `OrderRefund` log. Never throws.
 *
 * @example
 * const result = decodeOrderRefund(log)
 * if (result.ok) host.log.info('refunded', { uid: result.value.orderUid })
 */
export function decodeOrderRefund(log: LogParts): DecodeResult<OrderRefund> {
  const result = decodeLogWith(orderRefundEvent, log)
  if (!result.ok) return result
  return { ok: true, value: { orderUid: result.value.orderUid, refunder: result.value.refunder } }
}

export type EthFlowPlacementData = { quoteId: bigint; userValidTo: number }

/**
 * Decodes the `data` of an `OrderPlacement`: abi.encodePacked(int64 quoteId, uint32 userValidTo),
 * exactly 12 bytes. Never throws.
 *
 * @example
 * const extra = decodeEthFlowPlacementData(placement.data)
 * if (extra.ok && extra.value.userValidTo < now) host.log.info('expired')
 */
export function decodeEthFlowPlacementData(data: Hex): DecodeResult<EthFlowPlacementData, AbiDecodeError> {
  if (typeof data !== 'string' || !isHex(data, { strict: true }) || data.length !== 2 + 24)
    return { ok: false, error: new AbiDecodeError({ what: 'EthFlow placement data', detail: `expected 12 bytes, found ${String(data).slice(0, 40)}` }) }
  return {
    ok: true,
    value: { quoteId: hexToBigInt(sliceHex(data, 0, 8), { signed: true }), userValidTo: hexToNumber(sliceHex(data, 8, 12)) },
  }
}
