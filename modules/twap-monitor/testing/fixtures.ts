// Test inputs for twap-monitor: real encodings (viem) of ConditionalOrderCreated logs and of
// getTradeableOrderWithSignature answers, driven by the TWAP reference model. Used by tests only.
// It lives under testing/ because it imports the harness's independent TWAP model
// (harness/twap/model.ts), an oracle written apart from the module: test code may reach across the
// layers for it, runtime code never (docs/architecture.md, .dependency-cruiser.mjs).
import {
  decodeFunctionData,
  encodeAbiParameters,
  encodeErrorResult,
  encodeEventTopics,
  encodeFunctionResult,
  getAddress,
  keccak256,
  toHex,
  type Address,
  type Hex,
} from 'viem'
import { decodeTwapStaticInput, encodeTwapStaticInput, pollTwap, type TwapData } from '../../../harness/twap/model.ts'
import {
  EMPTY_APP_DATA_HASH,
  conditionalOrderCreatedEvent,
  conditionalOrderParamsComponents,
  getTradeableOrderWithSignatureFunction,
  pollErrorsAbi,
  type BlockRef,
  type ConditionalOrderParams,
  type GPv2OrderData,
  type MockCall,
  type ModuleLog,
} from '../../sdk/index.ts'
import { COMPOSABLE_COW, TWAP_HANDLER } from '../config.ts'

export const CHAIN_ID = 11155111
export const OWNER: Address = getAddress('0x7bf140727d27ea64b607e042f1225680b40eca6a')
export const GENESIS_TIME = 1_700_000_000n
export const BLOCK_SECONDS = 12n
export const SIGNATURE: Hex = '0xc0ffee'

/** Block n has timestamp GENESIS_TIME + n * 12. */
export const timeOf = (number: bigint) => GENESIS_TIME + number * BLOCK_SECONDS
export function blockAt(number: bigint): BlockRef {
  return { chainId: CHAIN_ID, number, hash: toHex(number, { size: 32 }), parentHash: toHex(number > 0n ? number - 1n : 0n, { size: 32 }), timestamp: timeOf(number) }
}

export function twapData(overrides: Partial<TwapData> = {}): TwapData {
  return {
    sellToken: getAddress('0xfff9976782d46cc05630d1f6ebab18b2324d6b14'),
    buyToken: getAddress('0x0625afb445c3b6b7b929342a04a22599fd5dbb59'),
    receiver: OWNER,
    partSellAmount: 10n ** 17n,
    minPartLimit: 1n,
    t0: timeOf(10n),
    n: 4n,
    t: 120n,
    span: 0n,
    appData: EMPTY_APP_DATA_HASH,
    ...overrides,
  }
}

export function twapParams(data: TwapData = twapData(), salt: Hex = keccak256(toHex('salt')), handler: Address = TWAP_HANDLER): ConditionalOrderParams {
  return { handler, salt, staticInput: encodeTwapStaticInput(data) }
}

/** A ConditionalOrderCreated log as the engine delivers it. */
export function createdLog(params: ConditionalOrderParams, blockNumber: bigint, options: { owner?: Address; logIndex?: number; address?: Address } = {}): ModuleLog {
  return {
    chainId: CHAIN_ID,
    subscription: 'composable-cow:ConditionalOrderCreated',
    address: options.address ?? COMPOSABLE_COW,
    blockNumber,
    blockHash: toHex(blockNumber, { size: 32 }),
    transactionHash: keccak256(toHex(`tx${blockNumber}:${options.logIndex ?? 0}`)),
    transactionIndex: 0,
    logIndex: options.logIndex ?? 0,
    topics: encodeEventTopics({ abi: [conditionalOrderCreatedEvent], eventName: 'ConditionalOrderCreated', args: { owner: options.owner ?? OWNER } }) as Hex[],
    data: encodeAbiParameters([{ type: 'tuple', components: conditionalOrderParamsComponents }], [params]),
    removed: false,
    decoded: null,
  }
}

export const orderResult = (order: GPv2OrderData, signature: Hex = SIGNATURE): Hex =>
  encodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', result: [order, signature] })

type PollError = (typeof pollErrorsAbi)[number]['name']
export const pollRevert = (errorName: PollError, args: readonly unknown[] = []): { revert: Hex } => ({
  revert: encodeErrorResult({ abi: pollErrorsAbi, errorName, args } as Parameters<typeof encodeErrorResult>[0]),
})

/** The static input of a polled call (the watch it belongs to). */
export function polledStaticInput(call: MockCall): Hex {
  const { args } = decodeFunctionData({ abi: [getTradeableOrderWithSignatureFunction], data: call.data })
  return args[1].staticInput
}

/** Answers polls like the TWAP handler would at the polled block's time (reference model). */
export function modelAnswer(call: MockCall): Hex | { revert: Hex } {
  const staticInput = polledStaticInput(call)
  const result = pollTwap({ data: decodeTwapStaticInput(staticInput), now: timeOf(call.blockNumber ?? 0n) })
  switch (result.kind) {
    case 'order':
      return orderResult(result.order)
    case 'tryAtEpoch':
      return pollRevert('PollTryAtEpoch', [result.epoch, result.reason])
    case 'notValid':
      return pollRevert('OrderNotValid', [result.reason])
    case 'revert':
      return { revert: '0x08c379a0' }
  }
}
