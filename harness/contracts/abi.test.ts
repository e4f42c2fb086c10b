import { createRequire } from 'node:module'
import { type Abi, type AbiEvent, type AbiFunction, multicall3Abi, toEventSelector, toFunctionSelector } from 'viem'
import { formatAbiItem } from 'viem/utils'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { chainlinkAggregatorArtifact } from './artifacts/ChainlinkAggregator.ts'
import { coWSwapEthFlowArtifact } from './artifacts/CoWSwapEthFlow.ts'
import { composableCoWArtifact } from './artifacts/ComposableCoW.ts'
import { forwarderOwnerArtifact } from './artifacts/ForwarderOwner.ts'
import { twapArtifact } from './artifacts/TWAP.ts'

// Every hash below is copied from shared/protocol-facts.md. Each test computes the hash from our
// artifacts' ABI items, so a renamed parameter type, a reordered struct field or a missing item fails.

function item(abi: Abi, type: 'function' | 'event' | 'error', name: string, inputCount?: number) {
  const found = abi.filter((x) => x.type === type && 'name' in x && x.name === name)
  const match = inputCount === undefined ? found : found.filter((x) => 'inputs' in x && x.inputs.length === inputCount)
  if (match.length !== 1) throw new Error(`expected one ${type} ${name} in the ABI, found ${match.length}`)
  return match[0]!
}
const selector = (abi: Abi, name: string, inputCount?: number) =>
  toFunctionSelector(item(abi, 'function', name, inputCount) as AbiFunction)
const topic = (abi: Abi, name: string) => toEventSelector(item(abi, 'event', name) as AbiEvent)
const errorSelector = (abi: Abi, name: string) =>
  toFunctionSelector(formatAbiItem(item(abi, 'error', name) as AbiFunction))

const composableCoW = composableCoWArtifact.abi as Abi
const twap = twapArtifact.abi as Abi
const ethFlow = coWSwapEthFlowArtifact.abi as Abi
const chainlink = chainlinkAggregatorArtifact.abi as Abi

describe('protocol-facts selectors against our doubles', () => {
  test('behavior: the EIP-1271 path has the real signatures (ERC1271Forwarder.isValidSignature -> ComposableCoW.isValidSafeSignature)', () => {
    expect(selector(forwarderOwnerArtifact.abi as Abi, 'isValidSignature')).toBe('0x1626ba7e')
    // The original's parameter types (Safe is an address in the ABI), as ISafeSignatureVerifier declares them.
    expect(selector(composableCoW, 'isValidSafeSignature')).toBe(toFunctionSelector('isValidSafeSignature(address,address,bytes32,bytes32,bytes32,bytes,bytes)'))
  })

  test('behavior: ComposableCoW function selectors match the facts table', () => {
    expect(selector(composableCoW, 'getTradeableOrderWithSignature')).toBe('0x26e0a196')
    expect(selector(composableCoW, 'create')).toBe('0x6bfae1ca')
    expect(selector(composableCoW, 'createWithContext')).toBe('0x0d0d9800')
    expect(selector(composableCoW, 'remove')).toBe('0x95bc2673')
    expect(selector(composableCoW, 'singleOrders')).toBe('0x6108c532')
    expect(selector(composableCoW, 'cabinet')).toBe('0x1c7662c8')
    expect(selector(composableCoW, 'hash')).toBe('0x5500079d')
    expect(selector(composableCoW, 'domainSeparator')).toBe('0xf698da25')
  })

  test('behavior: ComposableCoW event topics and auth errors match the facts table', () => {
    expect(topic(composableCoW, 'ConditionalOrderCreated')).toBe(
      '0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361',
    )
    expect(topic(composableCoW, 'MerkleRootSet')).toBe('0x58662f46b4a87d0f96d929b24c37fe25c55d52c0025d0b2bec3936534cc31e57')
    expect(errorSelector(composableCoW, 'ProofNotAuthed')).toBe('0x4a821464')
    expect(errorSelector(composableCoW, 'SingleOrderNotAuthed')).toBe('0x7a933234')
  })

  test('behavior: the TWAP handler selector and the conditional-order errors match the facts table', () => {
    expect(selector(twap, 'getTradeableOrder')).toBe('0xb8296fc4')
    expect(errorSelector(twap, 'OrderNotValid')).toBe('0xc8fc2725')
    expect(errorSelector(twap, 'PollTryNextBlock')).toBe('0xd05f3065')
    expect(errorSelector(twap, 'PollTryAtBlock')).toBe('0x1fe8506e')
    expect(errorSelector(twap, 'PollTryAtEpoch')).toBe('0x7e334637')
    expect(errorSelector(twap, 'PollNever')).toBe('0x981b64cd')
  })

  test('behavior: EthFlow selectors, topics and errors match the facts table', () => {
    expect(selector(ethFlow, 'createOrder')).toBe('0x322bba21')
    expect(selector(ethFlow, 'invalidateOrder')).toBe('0x7bc41b96')
    expect(selector(ethFlow, 'orders')).toBe('0x9c3f1e90')
    expect(topic(ethFlow, 'OrderPlacement')).toBe('0xcf5f9de2984132265203b5c335b25727702ca77262ff622e136baa7362bf1da9')
    expect(topic(ethFlow, 'OrderInvalidation')).toBe('0xb8bad102ac8bbacfef31ff1c906ec6d951c230b4dce750bb0376b812ad35852a')
    expect(topic(ethFlow, 'OrderRefund')).toBe('0x195271068a288191e4b265c641a56b9832919f69e9e7d6c2f31ba40278aeb85a')
    expect(errorSelector(ethFlow, 'OrderIsAlreadyOwned')).toBe('0x56a1d2b2')
    expect(errorSelector(ethFlow, 'IncorrectEthAmount')).toBe('0x8b6ebb4d')
    expect(errorSelector(ethFlow, 'NotAllowedZeroSellAmount')).toBe('0xeaec5c9d')
    expect(errorSelector(ethFlow, 'OrderIsAlreadyExpired')).toBe('0x89bb2601')
  })

  test('behavior: Chainlink selectors and AnswerUpdated topic match the facts table', () => {
    expect(selector(chainlink, 'latestRoundData')).toBe('0xfeaf968c')
    expect(selector(chainlink, 'decimals')).toBe('0x313ce567')
    expect(topic(chainlink, 'AnswerUpdated')).toBe('0x0559884fd3a460db3073b7fc896cc77986f16e378210ded43186175bf646fc5f')
  })
})

describe('protocol-facts selectors of contracts we do not double', () => {
  // The devnet deploys the real settlement and viem's Multicall3: pin the table against those ABIs.
  const deployment = z
    .object({ abi: z.array(z.record(z.string(), z.unknown())) })
    .parse(createRequire(import.meta.url)('@cowprotocol/contracts/deployments/sepolia/GPv2Settlement.json'))
  const settlement = deployment.abi as unknown as Abi

  test('behavior: GPv2Settlement Trade topic and setPreSignature selector match the facts table', () => {
    expect(topic(settlement, 'Trade')).toBe('0xa07a543ab8a018198e99ca0184c93fe9050a79400a0a723441f84de1d972cc17')
    expect(selector(settlement, 'setPreSignature')).toBe('0xec6cb13f')
  })

  test('behavior: Multicall3 aggregate3 selector matches the facts table', () => {
    expect(selector(multicall3Abi, 'aggregate3')).toBe('0x82ad56cb')
  })
})
