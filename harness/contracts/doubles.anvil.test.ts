import {
  type Address,
  type Hex,
  BaseError,
  concat,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeAbiParameters,
  decodeErrorResult,
  encodeAbiParameters,
  hashTypedData,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem'
import { ORDER_TYPE_FIELDS } from '@cowprotocol/cow-sdk'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sepoliaDomain } from '../../modules/sdk/orders/gpv2Domain.ts'
import { decodeTwapStaticInput, encodeTwapStaticInput, pollTwap } from '../twap/model.ts'
import { chainlinkAggregatorArtifact } from './artifacts/ChainlinkAggregator.ts'
import { coWSwapEthFlowArtifact } from './artifacts/CoWSwapEthFlow.ts'
import { composableCoWArtifact } from './artifacts/ComposableCoW.ts'
import { cowTokenArtifact } from './artifacts/CowToken.ts'
import { currentBlockTimestampFactoryArtifact } from './artifacts/CurrentBlockTimestampFactory.ts'
import { logEmitterArtifact } from './artifacts/LogEmitter.ts'
import { twapArtifact } from './artifacts/TWAP.ts'
import { forwarderOwnerArtifact } from './artifacts/ForwarderOwner.ts'
import { type TestAnvil, startTestAnvil } from './startTestAnvil.ts'

// The doubles placed at their real Sepolia addresses with anvil_setCode (as the devnet does), then
// driven through the same calls a watcher and a load generator make.

const A = {
  composableCoW: '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74',
  twap: '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5',
  factory: '0x52eD56Da04309Aca4c3FECC595298d80C2f16BAc',
  ethFlow: '0xba3cb449bd2b4adddbc894d8697f5170800eadec',
  chainlink: '0x694AA1769357215DE4FAC081bf1f309aDC325306',
  cow: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  logEmitter: '0x000000000000000000000000000000000000e111',
} as const satisfies Record<string, Address>
const WETH: Address = '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14'
const SEPOLIA_SEPARATOR: Hex = '0xdaee378bd0eb30ddf479272accf91761e697bc00e067a268f95f1d2732ed230b'
const OWNER: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' // anvil account 0 (unlocked)
const OTHER: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' // anvil account 1

let anvil: TestAnvil
let pub: ReturnType<typeof createPublicClient>
let wallet: ReturnType<typeof createWalletClient>

beforeAll(async () => {
  anvil = await startTestAnvil()
  pub = createPublicClient({ transport: http(anvil.rpcUrl) })
  wallet = createWalletClient({ transport: http(anvil.rpcUrl) })
  const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
  const code: [Address, Hex][] = [
    [A.composableCoW, composableCoWArtifact.deployedBytecode],
    [A.twap, twapArtifact.deployedBytecode],
    [A.factory, currentBlockTimestampFactoryArtifact.deployedBytecode],
    [A.ethFlow, coWSwapEthFlowArtifact.deployedBytecode],
    [A.chainlink, chainlinkAggregatorArtifact.deployedBytecode],
    [A.cow, cowTokenArtifact.deployedBytecode],
    [A.logEmitter, logEmitterArtifact.deployedBytecode],
  ]
  for (const [address, bytecode] of code) await testClient.setCode({ address, bytecode })
})

afterAll(async () => {
  await anvil?.stop()
})

async function send(request: Parameters<typeof wallet.writeContract>[0]) {
  const hash = await wallet.writeContract(request)
  const receipt = await pub.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt
}

/** The custom error name a call reverts with. */
async function revertName(call: () => Promise<unknown>, abi: Parameters<typeof decodeErrorResult>[0]['abi']): Promise<string> {
  try {
    await call()
  } catch (error) {
    const raw = error instanceof BaseError ? error.walk((e) => typeof (e as { data?: unknown }).data === 'string') : undefined
    const data = (raw as { data?: Hex } | undefined)?.data
    if (!data) throw error
    return decodeErrorResult({ abi, data }).errorName
  }
  throw new Error('expected a revert')
}

describe('ComposableCoW and TWAP doubles', () => {
  const staticInput = encodeTwapStaticInput({
    sellToken: WETH,
    buyToken: A.cow,
    receiver: OWNER,
    partSellAmount: 10n ** 15n,
    minPartLimit: 1n,
    t0: 0n,
    n: 4n,
    t: 3_600n,
    span: 0n,
    appData: keccak256(toHex('{}')),
  })
  const params = { handler: A.twap, salt: keccak256(toHex('salt-1')), staticInput } as const

  test('behavior: createWithContext stores the block time, emits the params; polling reverts without data for an EOA owner and returns the model order with a plain signature for a contract owner', async () => {
    const receipt = await send({
      account: OWNER,
      chain: null,
      address: A.composableCoW,
      abi: composableCoWArtifact.abi,
      functionName: 'createWithContext',
      args: [params, A.factory, '0x', true],
    })
    const [created] = parseEventLogs({ abi: composableCoWArtifact.abi, logs: receipt.logs, eventName: 'ConditionalOrderCreated' })
    expect(created?.args).toEqual({ owner: OWNER, params })

    const read = <F extends 'hash' | 'domainSeparator'>(functionName: F, args: F extends 'hash' ? [typeof params] : []) =>
      pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName, args } as never) as Promise<Hex>
    const orderHash = await read('hash', [params])
    expect(orderHash).toBe(keccak256(encodeAbiParameters([{ type: 'tuple', components: [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes' }] }], [[params.handler, params.salt, params.staticInput]])))
    expect(await read('domainSeparator', [])).toBe(SEPOLIA_SEPARATOR)

    const block = await pub.getBlock({ blockNumber: receipt.blockNumber })
    const cabinet = await pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'cabinet', args: [OWNER, orderHash] })
    expect(BigInt(cabinet)).toBe(block.timestamp)

    const poll = () => pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'getTradeableOrderWithSignature', args: [OWNER, params, '0x', []] })
    // An EOA owner (no code): as the deployed contract, a revert without data once a part is due.
    const eoa = await poll().then(() => undefined, (error: unknown) => error)
    expect(eoa).toBeInstanceOf(BaseError)
    const revertData = ((eoa as BaseError).walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null)?.data
    expect(revertData ?? '0x').toBe('0x')
    expect((eoa as BaseError).message).toMatch(/revert/)
    // A contract owner (the ForwarderOwner runtime, as the harness's owners carry): the plain signature.
    const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
    await testClient.setCode({ address: OWNER, bytecode: forwarderOwnerArtifact.deployedBytecode })
    const [order, signature] = await poll().finally(() => testClient.setCode({ address: OWNER, bytecode: '0x' }))
    const expected = pollTwap({ data: decodeTwapStaticInput(staticInput), now: block.timestamp, ctxStart: block.timestamp })
    expect(expected.kind === 'order' && expected.order).toEqual(order)

    const fn = composableCoWArtifact.abi.find((x) => x.type === 'function' && x.name === 'getTradeableOrderWithSignature')
    const orderParam = fn && 'outputs' in fn ? fn.outputs[0] : undefined
    const [sigOrder, payload] = decodeAbiParameters(
      [orderParam!, { type: 'tuple', components: [{ name: 'proof', type: 'bytes32[]' }, { name: 'params', type: 'tuple', components: [{ name: 'handler', type: 'address' }, { name: 'salt', type: 'bytes32' }, { name: 'staticInput', type: 'bytes' }] }, { name: 'offchainInput', type: 'bytes' }] }],
      signature,
    )
    expect(sigOrder).toEqual(order)
    expect(payload).toEqual({ proof: [], params, offchainInput: '0x' })
  })

  test('behavior: an order not created by the owner, or removed, reverts SingleOrderNotAuthed', async () => {
    const poll = (owner: Address) => () =>
      pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'getTradeableOrderWithSignature', args: [owner, params, '0x', []] })
    expect(await revertName(poll(OTHER), composableCoWArtifact.abi)).toBe('SingleOrderNotAuthed')
    const orderHash = await pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'hash', args: [params] })
    await send({ account: OWNER, chain: null, address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'remove', args: [orderHash] })
    expect(await revertName(poll(OWNER), composableCoWArtifact.abi)).toBe('SingleOrderNotAuthed')
  })

  test('behavior: create without dispatch authorises silently', async () => {
    const silent = { ...params, salt: keccak256(toHex('salt-2')) }
    const receipt = await send({ account: OWNER, chain: null, address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'create', args: [silent, false] })
    expect(receipt.logs).toHaveLength(0)
    const orderHash = await pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'hash', args: [silent] })
    expect(await pub.readContract({ address: A.composableCoW, abi: composableCoWArtifact.abi, functionName: 'singleOrders', args: [OWNER, orderHash] })).toBe(true)
  })
})

type EthFlowOrder = {
  buyToken: Address
  receiver: Address
  sellAmount: bigint
  buyAmount: bigint
  appData: Hex
  feeAmount: bigint
  validTo: number
  partiallyFillable: boolean
  quoteId: bigint
}

describe('EthFlow double', () => {
  const order: EthFlowOrder = {
    buyToken: A.cow,
    receiver: OWNER,
    sellAmount: 10n ** 16n,
    buyAmount: 5n,
    appData: keccak256(toHex('{}')),
    feeAmount: 0n,
    validTo: 4_000_000_000,
    partiallyFillable: false,
    quoteId: 42n,
  }
  const create = (o: EthFlowOrder, value: bigint) => async () => {
    const hash = await wallet.writeContract({ account: OWNER, chain: null, address: A.ethFlow, abi: coWSwapEthFlowArtifact.abi, functionName: 'createOrder', args: [o], value })
    const receipt = await pub.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    return receipt
  }
  // Refusals are checked with eth_call, so no reverted transaction is mined.
  const simulate = (o: EthFlowOrder, value: bigint) => () =>
    pub.simulateContract({ account: OWNER, address: A.ethFlow, abi: coWSwapEthFlowArtifact.abi, functionName: 'createOrder', args: [o], value })

  test('behavior: createOrder emits OrderPlacement as the real contract and stores the owner under the EIP-712 digest', async () => {
    const receipt = await create(order, order.sellAmount)()
    const [placement] = parseEventLogs({ abi: coWSwapEthFlowArtifact.abi, logs: receipt.logs, eventName: 'OrderPlacement' })
    const gpv2 = {
      sellToken: WETH,
      buyToken: order.buyToken,
      receiver: order.receiver,
      sellAmount: order.sellAmount,
      buyAmount: order.buyAmount,
      validTo: 0xffffffff,
      appData: order.appData,
      feeAmount: 0n,
      kind: keccak256(toHex('sell')),
      partiallyFillable: false,
      sellTokenBalance: keccak256(toHex('erc20')),
      buyTokenBalance: keccak256(toHex('erc20')),
    }
    expect(placement?.args).toEqual({
      sender: OWNER,
      order: gpv2,
      signature: { scheme: 0, data: A.ethFlow.toLowerCase() },
      data: concat([toHex(order.quoteId, { size: 8 }), toHex(order.validTo, { size: 4 })]),
    })
    // The Solidity double is under test, not the TypeScript: the digest takes cow-sdk's order type and the SDK's domain (what the engine's UIDs use).
    const digest = hashTypedData({
      domain: sepoliaDomain,
      primaryType: 'Order',
      types: { Order: ORDER_TYPE_FIELDS },
      message: { ...gpv2, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' },
    })
    expect(await pub.readContract({ address: A.ethFlow, abi: coWSwapEthFlowArtifact.abi, functionName: 'orders', args: [digest] })).toEqual([OWNER, order.validTo])
  })

  test('behavior: createOrder refuses a repeated UID, a wrong value, a zero amount and an expired order', async () => {
    const abi = coWSwapEthFlowArtifact.abi
    expect(await revertName(simulate({ ...order, quoteId: 7n }, order.sellAmount), abi)).toBe('OrderIsAlreadyOwned')
    expect(await revertName(simulate({ ...order, sellAmount: 2n }, 1n), abi)).toBe('IncorrectEthAmount')
    expect(await revertName(simulate({ ...order, sellAmount: 0n }, 0n), abi)).toBe('NotAllowedZeroSellAmount')
    expect(await revertName(simulate({ ...order, sellAmount: 3n, validTo: 1 }, 3n), abi)).toBe('OrderIsAlreadyExpired')
  })

  test('behavior: the owner invalidates a live order, which emits OrderInvalidation with the UID and refunds the ETH', async () => {
    const before = await pub.getBalance({ address: A.ethFlow })
    const receipt = await send({ account: OWNER, chain: null, address: A.ethFlow, abi: coWSwapEthFlowArtifact.abi, functionName: 'invalidateOrder', args: [order] })
    const [invalidation] = parseEventLogs({ abi: coWSwapEthFlowArtifact.abi, logs: receipt.logs, eventName: 'OrderInvalidation' })
    expect(invalidation?.args.orderUid.slice(66)).toBe(`${A.ethFlow.slice(2).toLowerCase()}ffffffff`)
    expect(before - (await pub.getBalance({ address: A.ethFlow }))).toBe(order.sellAmount)
  })
})

describe('feed, token and log doubles', () => {
  test('behavior: setAnswer starts a round the feed reports, and setUpdatedAt back-dates it', async () => {
    const common = { account: OWNER, chain: null, address: A.chainlink, abi: chainlinkAggregatorArtifact.abi } as const
    const receipt = await send({ ...common, functionName: 'setAnswer', args: [3_000n * 10n ** 8n] })
    const [updated] = parseEventLogs({ abi: chainlinkAggregatorArtifact.abi, logs: receipt.logs, eventName: 'AnswerUpdated' })
    const [roundId, answer, , updatedAt] = await pub.readContract({ address: A.chainlink, abi: chainlinkAggregatorArtifact.abi, functionName: 'latestRoundData' })
    expect([roundId, answer, updated?.args.roundId, updatedAt]).toEqual([1n, 300_000_000_000n, 1n, updated?.args.updatedAt])
    await send({ ...common, functionName: 'setUpdatedAt', args: [123n] })
    const [, , , stale] = await pub.readContract({ address: A.chainlink, abi: chainlinkAggregatorArtifact.abi, functionName: 'latestRoundData' })
    expect(stale).toBe(123n)
    expect(await pub.readContract({ address: A.chainlink, abi: chainlinkAggregatorArtifact.abi, functionName: 'decimals' })).toBe(8)
  })

  test('behavior: the COW double keeps name and symbol under anvil_setCode and mints', async () => {
    const read = (functionName: 'name' | 'symbol' | 'decimals') => pub.readContract({ address: A.cow, abi: cowTokenArtifact.abi, functionName })
    expect([await read('name'), await read('symbol'), await read('decimals')]).toEqual(['CoW Protocol Token', 'COW', 18])
    await send({ account: OWNER, chain: null, address: A.cow, abi: cowTokenArtifact.abi, functionName: 'mint', args: [OTHER, 5n] })
    expect(await pub.readContract({ address: A.cow, abi: cowTokenArtifact.abi, functionName: 'balanceOf', args: [OTHER] })).toBe(5n)
  })

  test('behavior: emitMany numbers Ping logs consecutively across calls', async () => {
    const seqs: bigint[] = []
    for (const n of [3n, 2n]) {
      const receipt = await send({ account: OWNER, chain: null, address: A.logEmitter, abi: logEmitterArtifact.abi, functionName: 'emitMany', args: [n] })
      for (const log of parseEventLogs({ abi: logEmitterArtifact.abi, logs: receipt.logs, eventName: 'Ping' })) seqs.push(log.args.seq)
    }
    expect(seqs).toEqual([0n, 1n, 2n, 3n, 4n])
  })
})
