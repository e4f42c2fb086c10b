// Arbitraries of the chain events modules subscribe to, as the raw logs the engine delivers
// (`ModuleLog`), with the values the SDK's decoders must read from them. Not for module code.
import fc from 'fast-check'
import { concatHex, decodeEventLog, encodeAbiParameters, encodeEventTopics, numberToHex, type AbiEvent, type Address, type Hex } from 'viem'
import { conditionalOrderCreatedEvent } from '../abi/composableCow.ts'
import { orderPlacementEvent } from '../abi/ethFlow.ts'
import { tradeEvent } from '../abi/gpv2.ts'
import { encodeTwapStaticInput, type TwapStaticInput } from '../codecs/twapStaticInput.ts'
import type { ConditionalOrderCreated } from '../codecs/decodeConditionalOrderCreated.ts'
import type { EthFlowPlacementData, OrderPlacement } from '../codecs/decodeEthFlowLogs.ts'
import type { ModuleLog } from '../module/types.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL } from '../orders/gpv2Order.ts'
import { addresses, decodedOrders, hexBytes, uint256 } from './orderArbitraries.ts'
import { protocolAddresses, SEPOLIA_CHAIN_ID } from './protocolAddresses.ts'
import { twapStaticInputs } from './twapArbitraries.ts'

/** A generated log and what decoding it must give. */
export type LogSample<value> = { log: ModuleLog; expected: value }

/** Where the generated logs sit: chain, emitting contract, and the block range. */
export type LogPlacementParameters = { chainId?: number; address?: Address; blocks?: { min: bigint; max: bigint } }

/** Trade(owner, sellToken, buyToken, sellAmount, buyAmount, feeAmount, orderUid). */
export type Trade = { owner: Address; sellToken: Address; buyToken: Address; sellAmount: bigint; buyAmount: bigint; feeAmount: bigint; orderUid: Hex }

/**
 * Encodes one event as the node returns it and wraps it in the engine's `ModuleLog`, with a random
 * position in the chain. `decoded` is viem's reading of it, as the engine fills it in.
 */
function toModuleLogs<const event extends AbiEvent>(event: event, args: fc.Arbitrary<Record<string, unknown>>, placement: LogPlacementParameters, defaultAddress: Address): fc.Arbitrary<ModuleLog> {
  const { chainId = SEPOLIA_CHAIN_ID, address = defaultAddress, blocks = { min: 1n, max: 50_000_000n } } = placement
  const indexed = event.inputs.filter((input) => input.indexed)
  const body = event.inputs.filter((input) => !input.indexed)
  return fc
    .record({
      args,
      blockNumber: fc.bigInt(blocks),
      blockHash: hexBytes(32),
      transactionHash: hexBytes(32),
      transactionIndex: fc.nat({ max: 500 }),
      logIndex: fc.nat({ max: 5_000 }),
    })
    .map(({ args, ...position }) => {
      const topics = encodeEventTopics({ abi: [event] as AbiEvent[], eventName: event.name, args: Object.fromEntries(indexed.map((input) => [input.name!, args[input.name!]])) } as never) as Hex[]
      const data = encodeAbiParameters(body, body.map((input) => args[input.name!]))
      const decoded = decodeEventLog({ abi: [event] as AbiEvent[], topics: topics as [Hex], data })
      return { chainId, subscription: `${address}:${event.name}`, address, ...position, topics, data, removed: false, decoded: { eventName: decoded.eventName as string, args: decoded.args as unknown as Record<string, unknown> } }
    })
}

/** What `conditionalOrderCreatedLogs` draws the event's fields from. */
export type ConditionalOrderCreatedLogsParameters = LogPlacementParameters & { owner?: fc.Arbitrary<Address>; handler?: fc.Arbitrary<Address>; salt?: fc.Arbitrary<Hex>; staticInput?: fc.Arbitrary<Hex> }

/**
 * ComposableCoW `ConditionalOrderCreated` logs from ComposableCoW's Sepolia address, with any
 * handler and static input by default; `decodeConditionalOrderCreated(log)` must give `expected`.
 *
 * @example
 * fc.assert(fc.property(conditionalOrderCreatedLogs(), ({ log, expected }) => {
 *   expect(decodeConditionalOrderCreated(log)).toEqual({ ok: true, value: expected })
 * }))
 */
export function conditionalOrderCreatedLogs(parameters: ConditionalOrderCreatedLogsParameters = {}): fc.Arbitrary<LogSample<ConditionalOrderCreated>> {
  const expected = fc.record({
    owner: parameters.owner ?? addresses(),
    params: fc.record({ handler: parameters.handler ?? addresses(), salt: parameters.salt ?? hexBytes(32), staticInput: parameters.staticInput ?? hexBytes(0, 400) }),
  })
  return expected.chain((value) => toModuleLogs(conditionalOrderCreatedEvent, fc.constant(value), parameters, protocolAddresses.composableCow).map((log) => ({ log, expected: value })))
}

/**
 * A TWAP created on ComposableCoW: a `ConditionalOrderCreated` log whose handler is the TWAP
 * handler and whose static input is a valid TWAP (`twapStaticInputs`, or `twap` if given), with both
 * the event and the TWAP it carries.
 *
 * @example
 * fc.assert(fc.property(twapCreatedLogs(), ({ log, twap }) => {
 *   const created = decodeConditionalOrderCreated(log)
 *   expect(created.ok && decodeTwapStaticInput(created.value.params.staticInput)).toEqual({ ok: true, value: twap })
 * }))
 */
export function twapCreatedLogs(parameters: LogPlacementParameters & { owner?: fc.Arbitrary<Address>; twap?: fc.Arbitrary<TwapStaticInput> } = {}): fc.Arbitrary<LogSample<ConditionalOrderCreated> & { twap: TwapStaticInput }> {
  return (parameters.twap ?? twapStaticInputs()).chain((twap) =>
    conditionalOrderCreatedLogs({ ...parameters, handler: fc.constant(protocolAddresses.twapHandler), staticInput: fc.constant(encodeTwapStaticInput(twap)) }).map((sample) => ({ ...sample, twap })),
  )
}

/**
 * CoWSwapEthFlow `OrderPlacement` logs as the contract emits them (protocol-facts.md, "EthFlow
 * semantics"): sell WETH, validTo 0xffffffff, kind sell, erc20 balances, no fee, an eip1271
 * signature whose data is the EthFlow address, and `data` = abi.encodePacked(int64 quoteId,
 * uint32 userValidTo). `decodeOrderPlacement(log)` must give `expected`, and
 * `decodeEthFlowPlacementData(expected.data)` must give `placement`.
 *
 * @example
 * fc.assert(fc.property(ethFlowPlacementLogs(), ({ log, expected, placement }) => {
 *   expect(decodeOrderPlacement(log)).toEqual({ ok: true, value: expected })
 *   expect(decodeEthFlowPlacementData(expected.data)).toEqual({ ok: true, value: placement })
 * }))
 */
export function ethFlowPlacementLogs(parameters: LogPlacementParameters & { sender?: fc.Arbitrary<Address> } = {}): fc.Arbitrary<LogSample<OrderPlacement> & { placement: EthFlowPlacementData }> {
  const ethFlow = parameters.address ?? protocolAddresses.ethFlow
  const value = fc.record({
    sender: parameters.sender ?? addresses(),
    order: decodedOrders({
      sellToken: fc.constant(protocolAddresses.weth),
      sellAmount: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
      validTo: fc.constant(0xffffffff),
      feeAmount: fc.constant(0n),
      kind: fc.constant(ORDER_KIND_SELL),
      sellTokenBalance: fc.constant(BALANCE_ERC20),
      buyTokenBalance: fc.constant(BALANCE_ERC20),
    }),
    placement: fc.record({ quoteId: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), userValidTo: fc.integer({ min: 0, max: 0xffffffff }) }),
  })
  return value.chain(({ sender, order, placement }) => {
    const expected: OrderPlacement = {
      sender,
      order,
      signature: { scheme: 0, data: ethFlow.toLowerCase() as Hex },
      data: concatHex([numberToHex(placement.quoteId, { size: 8, signed: true }), numberToHex(placement.userValidTo, { size: 4 })]),
    }
    return toModuleLogs(orderPlacementEvent, fc.constant(expected), { ...parameters, address: ethFlow }, ethFlow).map((log) => ({ log, expected, placement }))
  })
}

/**
 * GPv2Settlement `Trade` logs from the settlement's address, with a 56-byte order UID;
 * `decodeLogWith(tradeEvent, log)` must give `expected`.
 *
 * @example
 * fc.assert(fc.property(tradeLogs(), ({ log, expected }) => {
 *   expect(decodeLogWith(tradeEvent, log)).toEqual({ ok: true, value: expected })
 * }))
 */
export function tradeLogs(parameters: LogPlacementParameters & { owner?: fc.Arbitrary<Address>; orderUid?: fc.Arbitrary<Hex> } = {}): fc.Arbitrary<LogSample<Trade>> {
  const value = fc.record({
    owner: parameters.owner ?? addresses(),
    sellToken: addresses(),
    buyToken: addresses(),
    sellAmount: uint256,
    buyAmount: uint256,
    feeAmount: uint256,
    orderUid: parameters.orderUid ?? hexBytes(56),
  })
  return value.chain((expected) => toModuleLogs(tradeEvent, fc.constant(expected), parameters, protocolAddresses.gpv2Settlement).map((log) => ({ log, expected })))
}
