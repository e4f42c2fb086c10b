import { encodeAbiParameters, encodeFunctionData, getAddress, slice, toHex, type Address, type Hex } from 'viem'
import { keccak256 } from '../../modules/sdk/hash/keccak256.ts'
import { composableCowAbi, ethFlowAbi } from '../devnet/abis.ts'
import type { ConditionalOrderParams } from '../devnet/helpers/createTwap.ts'
import { ethFlowOrderUid, type EthFlowOrder } from '../devnet/helpers/placeEthFlowOrder.ts'
import { encodeTwapStaticInput, type TwapData } from '../twap/model.ts'
import type { LoadAddresses, LoadTwapShape } from './loadOptions.ts'

/** keccak256("{}"): the appData hash of the empty document, which needs no orderbook lookup. */
export const emptyAppDataHash: Hex = keccak256(toHex('{}'))

/**
 * How long a generated EthFlow order stays valid: 30 minutes from the block that triggered it, as
 * CoW Swap's default. The real orderbook refuses an on-chain order valid for longer than its limit
 * horizon (`max-limit-order-validity-period`, 1 year by default): the old fixed 4,000,000,000 (2096)
 * was beyond it.
 */
export const ethFlowValiditySeconds = 1800

/**
 * Sender `i` of a run: the last 20 bytes of keccak256("shepherd-load:<seed>:<i>"). Deterministic,
 * so a run can be repeated, and distinct per seed, so two runs never share a nonce sequence.
 *
 * @example
 * const [first] = deriveSenders('ci-42', 1)
 */
export function deriveSenders(seed: string, count: number): Address[] {
  return Array.from({ length: count }, (_, i) => getAddress(slice(keccak256(toHex(`shepherd-load:${seed}:${i}`)), 12)))
}

/** What one `ComposableCoW.create(params, true)` call carries, for sending and for ground truth. */
export type TwapCreateTx = { data: Hex; params: ConditionalOrderParams; twap: TwapData }

export type BuildTwapCreateParameters = {
  sender: Address
  nonce: number
  seed: string
  /** Timestamp of the latest block; t0 = this minus `shape.t0LagSeconds`. */
  blockTimestamp: bigint
  shape: LoadTwapShape
  addresses: LoadAddresses
  /** The appData hash the TWAP's parts carry (its document registered beforehand). Default: the empty document's. */
  appData?: Hex
}

/**
 * A TWAP selling WETH for COW to the sender itself (cow-sdk refuses receiver 0), starting just
 * before now, with a salt unique per (seed, sender, nonce).
 *
 * @example
 * const { data, params } = buildTwapCreate({ sender, nonce: 0, seed: 's', blockTimestamp: 1_700_000_000n, shape, addresses })
 */
export function buildTwapCreate({ sender, nonce, seed, blockTimestamp, shape, addresses, appData = emptyAppDataHash }: BuildTwapCreateParameters): TwapCreateTx {
  const t0 = blockTimestamp - BigInt(shape.t0LagSeconds)
  const twap: TwapData = {
    sellToken: addresses.weth,
    buyToken: addresses.cowToken,
    receiver: sender,
    // + nonce: without it, part k+1 of one TWAP and part k of a TWAP created one interval later
    // are the same GPv2 order (same UID), which the orderbook accepts once.
    partSellAmount: shape.partSellAmount + BigInt(nonce),
    minPartLimit: shape.minPartLimit,
    t0: t0 > 0n ? t0 : 1n,
    n: BigInt(shape.n),
    t: BigInt(shape.t),
    span: BigInt(shape.span),
    appData,
  }
  const salt = twapSalt(seed, sender, nonce)
  const params: ConditionalOrderParams = { handler: addresses.twap, salt, staticInput: encodeTwapStaticInput(twap) }
  return { data: encodeFunctionData({ abi: composableCowAbi, functionName: 'create', args: [params, true] }), params, twap }
}

/** keccak256(abi.encode("shepherd-load", seed, sender, nonce)): one salt per transaction. */
export function twapSalt(seed: string, sender: Address, nonce: number): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'string' }, { type: 'string' }, { type: 'address' }, { type: 'uint256' }], ['shepherd-load', seed, sender, BigInt(nonce)]),
  )
}

/** What one `EthFlow.createOrder` call carries. */
export type EthFlowCreateTx = { data: Hex; value: bigint; order: EthFlowOrder; orderUid: Hex }

export type BuildEthFlowCreateParameters = {
  sender: Address
  senderIndex: number
  nonce: number
  baseAmount: bigint
  addresses: LoadAddresses
  /** The user's validTo (unix seconds): the triggering block's timestamp + `ethFlowValiditySeconds` in `runLoad`. */
  validTo: number
  /** The order's appData hash (its document registered beforehand). Default: the empty document's. */
  appData?: Hex
}

/** Room per sender in the sellAmount space: a sender would need 10^9 transactions to reach the next one. */
export const ethFlowAmountStride = 1_000_000_000n

/**
 * An EthFlow order selling `baseAmount + senderIndex * 1e9 + nonce` wei of ETH for COW to the
 * sender. The UID ignores quoteId, so the amount is what makes it unique: unique per order in a
 * run, and the nonce never repeats for a sender, so a rerun with the same seed does not collide
 * either (OrderIsAlreadyOwned otherwise). msg.value = sellAmount + feeAmount (fee 0).
 *
 * @example
 * const { data, value, orderUid } = buildEthFlowCreate({ sender, senderIndex: 0, nonce: 7, baseAmount: 10n ** 15n, addresses, validTo: 1_700_001_800 })
 */
export function buildEthFlowCreate({ sender, senderIndex, nonce, baseAmount, addresses, validTo, appData = emptyAppDataHash }: BuildEthFlowCreateParameters): EthFlowCreateTx {
  const order: EthFlowOrder = {
    buyToken: addresses.cowToken,
    receiver: sender,
    sellAmount: baseAmount + BigInt(senderIndex) * ethFlowAmountStride + BigInt(nonce),
    buyAmount: 1n,
    appData,
    feeAmount: 0n,
    // Not part of the UID (EthFlow orders carry validTo 0xffffffff), so uniqueness is unchanged.
    validTo,
    partiallyFillable: false,
    quoteId: BigInt(nonce),
  }
  return {
    data: encodeFunctionData({ abi: ethFlowAbi, functionName: 'createOrder', args: [order] }),
    value: order.sellAmount + order.feeAmount,
    order,
    orderUid: ethFlowOrderUid(order, addresses.ethFlow).orderUid,
  }
}
