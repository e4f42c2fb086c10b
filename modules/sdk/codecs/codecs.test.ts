import fc from 'fast-check'
import { encodeAbiParameters, encodeErrorResult, encodeEventTopics, encodeFunctionResult, keccak256, stringToHex, toEventSelector, toFunctionSelector, type AbiEvent, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { answerUpdatedEvent } from '../abi/chainlink.ts'
import { conditionalOrderCreatedEvent, getTradeableOrderWithSignatureFunction, merkleRootSetEvent, pollErrorsAbi } from '../abi/composableCow.ts'
import { orderInvalidationEvent, orderPlacementEvent, orderRefundEvent } from '../abi/ethFlow.ts'
import { tradeEvent } from '../abi/gpv2.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL, type GPv2OrderData } from '../orders/gpv2Order.ts'
import { decodeAnswerUpdated } from './decodeAnswerUpdated.ts'
import { decodeConditionalOrderCreated } from './decodeConditionalOrderCreated.ts'
import { decodeEthFlowPlacementData, decodeOrderInvalidation, decodeOrderPlacement, decodeOrderRefund } from './decodeEthFlowLogs.ts'
import { decodePollResult, decodePollReturn, decodePollRevert, encodeGetTradeableOrderWithSignature, pollOutcomeFromError } from './pollOutcome.ts'
import { decodeTwapStaticInput, encodeTwapStaticInput, type TwapStaticInput } from './twapStaticInput.ts'
import { ChainCallError } from '../errors/chain.ts'

const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
const weth = '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14'
const cow = '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59'
const twapHandler = '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'

/** Builds a raw log the way a node would: indexed args in topics, the rest abi-encoded in data. */
function rawLog(event: AbiEvent, args: Record<string, unknown>): { topics: Hex[]; data: Hex } {
  const indexed = event.inputs.filter((input) => input.indexed)
  const rest = event.inputs.filter((input) => !input.indexed)
  const topics = encodeEventTopics({ abi: [event], args: Object.fromEntries(indexed.map((i) => [i.name!, args[i.name!]])) } as never) as Hex[]
  const data = encodeAbiParameters(rest, rest.map((i) => args[i.name!]))
  return { topics, data }
}

const order: GPv2OrderData = {
  sellToken: weth,
  buyToken: cow,
  receiver: owner,
  sellAmount: 10n ** 18n,
  buyAmount: 5n,
  validTo: 1_700_000_000,
  appData: keccak256(stringToHex('{}')),
  feeAmount: 0n,
  kind: ORDER_KIND_SELL,
  partiallyFillable: false,
  sellTokenBalance: BALANCE_ERC20,
  buyTokenBalance: BALANCE_ERC20,
}

const twap: TwapStaticInput = {
  sellToken: weth,
  buyToken: cow,
  receiver: owner,
  partSellAmount: 10n ** 17n,
  minPartLimit: 1n,
  t0: 1_700_000_000n,
  n: 10n,
  t: 3600n,
  span: 0n,
  appData: keccak256(stringToHex('{}')),
}

describe('ABI items', () => {
  test('behavior: event topics match the protocol-facts table', () => {
    expect(toEventSelector(conditionalOrderCreatedEvent)).toBe('0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361')
    expect(toEventSelector(merkleRootSetEvent)).toBe('0x58662f46b4a87d0f96d929b24c37fe25c55d52c0025d0b2bec3936534cc31e57')
    expect(toEventSelector(orderPlacementEvent)).toBe('0xcf5f9de2984132265203b5c335b25727702ca77262ff622e136baa7362bf1da9')
    expect(toEventSelector(orderInvalidationEvent)).toBe('0xb8bad102ac8bbacfef31ff1c906ec6d951c230b4dce750bb0376b812ad35852a')
    expect(toEventSelector(orderRefundEvent)).toBe('0x195271068a288191e4b265c641a56b9832919f69e9e7d6c2f31ba40278aeb85a')
    expect(toEventSelector(tradeEvent)).toBe('0xa07a543ab8a018198e99ca0184c93fe9050a79400a0a723441f84de1d972cc17')
    expect(toEventSelector(answerUpdatedEvent)).toBe('0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f')
  })

  test('behavior: function and error selectors match the protocol-facts table', () => {
    expect(toFunctionSelector(getTradeableOrderWithSignatureFunction)).toBe('0x26e0a196')
    const errors = Object.fromEntries(pollErrorsAbi.map((e) => [e.name, toFunctionSelector(e as never)]))
    expect(errors).toEqual({
      OrderNotValid: '0xc8fc2725',
      PollTryNextBlock: '0xd05f3065',
      PollTryAtBlock: '0x1fe8506e',
      PollTryAtEpoch: '0x7e334637',
      PollNever: '0x981b64cd',
      ProofNotAuthed: '0x4a821464',
      SingleOrderNotAuthed: '0x7a933234',
    })
  })
})

describe('log decoders', () => {
  test('behavior: ConditionalOrderCreated decodes owner and params', () => {
    const params = { handler: twapHandler, salt: keccak256('0x01'), staticInput: encodeTwapStaticInput(twap) }
    const result = decodeConditionalOrderCreated(rawLog(conditionalOrderCreatedEvent, { owner, params }))
    expect(result).toEqual({ ok: true, value: { owner, params } })
  })

  test('behavior: OrderPlacement, OrderInvalidation and OrderRefund decode', () => {
    const data = '0x000000000000002a6553f100' as Hex
    const placement = decodeOrderPlacement(rawLog(orderPlacementEvent, { sender: owner, order, signature: { scheme: 0, data: weth }, data }))
    expect(placement).toEqual({ ok: true, value: { sender: owner, order, signature: { scheme: 0, data: weth.toLowerCase() }, data } })
    expect(decodeEthFlowPlacementData(data)).toEqual({ ok: true, value: { quoteId: 42n, userValidTo: 0x6553f100 } })
    const uid = `0x${'ab'.repeat(56)}` as Hex
    expect(decodeOrderInvalidation(rawLog(orderInvalidationEvent, { orderUid: uid }))).toEqual({ ok: true, value: { orderUid: uid } })
    expect(decodeOrderRefund(rawLog(orderRefundEvent, { orderUid: uid, refunder: owner }))).toEqual({ ok: true, value: { orderUid: uid, refunder: owner } })
  })

  test('behavior: EthFlow placement data that is not 12 bytes is an AbiDecodeError', () => {
    const result = decodeEthFlowPlacementData('0x1234')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.name).toBe('AbiDecodeError')
  })

  test('behavior: AnswerUpdated decodes a negative indexed answer', () => {
    const result = decodeAnswerUpdated(rawLog(answerUpdatedEvent, { current: -5n, roundId: 7n, updatedAt: 1_700_000_000n }))
    expect(result).toEqual({ ok: true, value: { current: -5n, roundId: 7n, updatedAt: 1_700_000_000n } })
  })

  test('behavior: a log of another event is a topic0-mismatch error, not a throw', () => {
    const result = decodeConditionalOrderCreated(rawLog(answerUpdatedEvent, { current: 1n, roundId: 1n, updatedAt: 1n }))
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.name).toBe('LogDecodeError')
      expect(result.error.reason).toBe('topic0-mismatch')
      expect(result.error.event).toBe('ConditionalOrderCreated')
    }
  })

  test('behavior: truncated data and missing topics are typed errors', () => {
    const log = rawLog(conditionalOrderCreatedEvent, { owner, params: { handler: twapHandler, salt: keccak256('0x01'), staticInput: '0x' } })
    const truncated = decodeConditionalOrderCreated({ topics: log.topics, data: log.data.slice(0, 66) as Hex })
    expect(truncated.ok === false && truncated.error.reason).toBe('bad-data')
    const noOwner = decodeConditionalOrderCreated({ topics: log.topics.slice(0, 1), data: log.data })
    expect(noOwner.ok === false && noOwner.error.reason).toBe('bad-topics')
    expect(decodeAnswerUpdated({ topics: [], data: '0x' }).ok).toBe(false)
  })

  test('property: log decoders never throw on arbitrary topics and data', () => {
    const decoders = [decodeConditionalOrderCreated, decodeOrderPlacement, decodeOrderInvalidation, decodeOrderRefund, decodeAnswerUpdated]
    const topic0s = [conditionalOrderCreatedEvent, orderPlacementEvent, orderInvalidationEvent, orderRefundEvent, answerUpdatedEvent].map((e) => toEventSelector(e))
    const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`)
    const topic = fc.oneof(hex32, fc.constantFrom(...topic0s), fc.string(), fc.anything())
    const data = fc.oneof(fc.uint8Array({ maxLength: 700 }).map((b) => `0x${Buffer.from(b).toString('hex')}`), fc.string(), fc.anything())
    fc.assert(
      fc.property(fc.array(topic, { maxLength: 5 }), data, (topics, d) => {
        for (const decode of decoders) {
          const result = decode({ topics, data: d })
          expect(typeof result.ok).toBe('boolean')
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('TWAP static input', () => {
  test('behavior: encodes to 320 bytes and decodes back', () => {
    const encoded = encodeTwapStaticInput(twap)
    expect((encoded.length - 2) / 2).toBe(320)
    expect(decodeTwapStaticInput(encoded)).toEqual({ ok: true, value: twap })
  })

  test('behavior: short input is an AbiDecodeError naming the size', () => {
    const result = decodeTwapStaticInput(encodeTwapStaticInput(twap).slice(0, 100) as Hex)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toContain('expected 320 bytes')
  })

  test('property: encode/decode round-trips any valid static input', () => {
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex)
    const uint = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex)
    const input = fc.record({ sellToken: address, buyToken: address, receiver: address, partSellAmount: uint, minPartLimit: uint, t0: uint, n: uint, t: uint, span: uint, appData: bytes32 })
    fc.assert(
      fc.property(input, (value) => {
        const decoded = decodeTwapStaticInput(encodeTwapStaticInput(value))
        expect(decoded.ok).toBe(true)
        if (decoded.ok) {
          expect({ ...decoded.value, sellToken: decoded.value.sellToken.toLowerCase(), buyToken: decoded.value.buyToken.toLowerCase(), receiver: decoded.value.receiver.toLowerCase() }).toEqual(value)
        }
      }),
      { numRuns: 200 },
    )
  })

  test('property: decoding arbitrary bytes never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }).map((b) => `0x${Buffer.from(b).toString('hex')}`), fc.string()), (data) => {
        expect(typeof decodeTwapStaticInput(data as Hex).ok).toBe('boolean')
      }),
      { numRuns: 300 },
    )
  })
})

describe('poll outcome', () => {
  const revert = (errorName: string, args: readonly unknown[] = []) => encodeErrorResult({ abi: pollErrorsAbi, errorName, args } as never)

  test('behavior: each custom error maps to its scheduling hint', () => {
    expect(decodePollRevert(revert('PollTryNextBlock', ['wait']))).toEqual({ kind: 'tryNextBlock', reason: 'wait' })
    expect(decodePollRevert(revert('PollTryAtBlock', [123n, 'later']))).toEqual({ kind: 'tryAtBlock', block: 123n, reason: 'later' })
    expect(decodePollRevert(revert('PollTryAtEpoch', [1_700_000_000n, 'before twap start']))).toEqual({ kind: 'tryAtEpoch', epoch: 1_700_000_000n, reason: 'before twap start' })
    expect(decodePollRevert(revert('PollNever', ['done']))).toEqual({ kind: 'never', reason: 'done' })
    expect(decodePollRevert(revert('OrderNotValid', ['after twap finish']))).toEqual({ kind: 'notValid', reason: 'after twap finish' })
    expect(decodePollRevert(revert('ProofNotAuthed'))).toEqual({ kind: 'never', reason: 'ProofNotAuthed' })
    expect(decodePollRevert(revert('SingleOrderNotAuthed'))).toEqual({ kind: 'never', reason: 'SingleOrderNotAuthed' })
  })

  test('behavior: Error(string), truncated args and garbage are unknown', () => {
    const errorString = '0x08c379a0' + encodeAbiParameters([{ type: 'string' }], ['nope']).slice(2)
    expect(decodePollRevert(errorString)).toEqual({ kind: 'unknown', data: errorString })
    const truncated = revert('PollTryAtBlock', [1n, 'x']).slice(0, 20)
    expect(decodePollRevert(truncated)).toEqual({ kind: 'unknown', data: truncated })
    expect(decodePollRevert('0xzz')).toEqual({ kind: 'unknown', data: '0xzz' })
    expect(decodePollRevert(undefined)).toEqual({ kind: 'unknown', data: undefined })
  })

  test('behavior: return data decodes to the order and signature', () => {
    const data = encodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', result: [order, '0xdeadbeef'] })
    expect(decodePollReturn(data)).toEqual({ kind: 'order', order, signature: '0xdeadbeef' })
    expect(decodePollResult({ success: true, returnData: data }).kind).toBe('order')
    expect(decodePollResult({ success: false, returnData: revert('PollNever', ['x']) })).toEqual({ kind: 'never', reason: 'x' })
    expect(decodePollReturn('0x1234')).toEqual({ kind: 'unknown', data: '0x1234' })
  })

  test('behavior: calldata starts with the 0x26e0a196 selector and round-trips the arguments', () => {
    const params = { handler: twapHandler, salt: keccak256('0x01'), staticInput: encodeTwapStaticInput(twap) } as const
    const data = encodeGetTradeableOrderWithSignature(owner, params, '0x', [])
    expect(data.slice(0, 10)).toBe('0x26e0a196')
    expect(data).toContain(params.staticInput.slice(2))
  })

  test('behavior: pollOutcomeFromError decodes a ChainCallError and rethrows a transport error', () => {
    const error = new ChainCallError({ chainId: 1, to: owner, data: revert('PollTryNextBlock', ['x']) })
    expect(pollOutcomeFromError(error)).toEqual({ kind: 'tryNextBlock', reason: 'x' })
    const transport = new TypeError('fetch failed')
    expect(() => pollOutcomeFromError(transport)).toThrow(transport)
  })

  test('property: revert and return decoders never throw on arbitrary bytes', () => {
    const selectors = ['0xc8fc2725', '0xd05f3065', '0x1fe8506e', '0x7e334637', '0x981b64cd', '0x4a821464', '0x7a933234', '0x26e0a196']
    const bytes = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('hex'))
    const data = fc.oneof(
      fc.tuple(fc.constantFrom(...selectors), bytes).map(([s, b]) => `${s}${b}`),
      bytes.map((b) => `0x${b}`),
      fc.anything(),
    )
    fc.assert(
      fc.property(data, (d) => {
        expect(typeof decodePollRevert(d).kind).toBe('string')
        expect(typeof decodePollReturn(d).kind).toBe('string')
      }),
      { numRuns: 400 },
    )
  })
})
