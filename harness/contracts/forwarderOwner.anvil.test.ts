import { ORDER_TYPE_FIELDS } from '@cowprotocol/cow-sdk'
import { BaseError, createPublicClient, createTestClient, createWalletClient, decodeAbiParameters, decodeErrorResult, encodeAbiParameters, hashTypedData, http, keccak256, toHex, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sepoliaDomain } from '../../modules/sdk/orders/gpv2Domain.ts'
import type { GPv2OrderData } from '../../modules/sdk/orders/gpv2Order.ts'
import { encodeTwapStaticInput } from '../twap/model.ts'
import { composableCoWArtifact } from './artifacts/ComposableCoW.ts'
import { currentBlockTimestampFactoryArtifact } from './artifacts/CurrentBlockTimestampFactory.ts'
import { forwarderOwnerArtifact } from './artifacts/ForwarderOwner.ts'
import { twapArtifact } from './artifacts/TWAP.ts'
import { startTestAnvil, type TestAnvil } from './startTestAnvil.ts'

// ForwarderOwner (an EIP-1271 owner like composable-cow's ERC1271Forwarder) and the ComposableCoW
// double's isValidSafeSignature behind it: what a strict orderbook asks of a TWAP owner.

const COMPOSABLE_COW: Address = '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74'
const TWAP: Address = '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'
const WETH: Address = '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14'
const COW: Address = '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59'
const FACTORY: Address = '0x52eD56Da04309Aca4c3FECC595298d80C2f16BAc'
const SETTLEMENT: Address = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'
const OWNER: Address = '0x00000000000000000000000000000000000c0de1'
const STRANGER: Address = '0x00000000000000000000000000000000000c0de2'
const MAGIC = '0x1626ba7e'

const ownerAbi = [
  ...forwarderOwnerArtifact.abi,
  // What ComposableCoW and the handler may revert with, so a revert through the owner decodes by name.
  ...composableCoWArtifact.abi.filter((x) => x.type === 'error'),
  ...twapArtifact.abi.filter((x) => x.type === 'error'),
] as const

let anvil: TestAnvil
let pub: ReturnType<typeof createPublicClient>
let wallet: ReturnType<typeof createWalletClient>

/**
 * The GPv2 EIP-712 digest, by viem's typed-data hashing over cow-sdk's order type and the SDK's Sepolia
 * domain: the TypeScript side is not under test here (the Solidity is), so it takes the SDK's types
 * rather than a hand-written copy; any of them is independent of the Solidity.
 */
function digestOf(order: GPv2OrderData): Hex {
  return hashTypedData({
    domain: sepoliaDomain,
    primaryType: 'Order',
    types: { Order: ORDER_TYPE_FIELDS },
    message: { ...order, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' },
  })
}

/** isValidSignature as the settlement calls it: the magic value, or the name of the error it reverts with. */
async function isValidSignature(owner: Address, hash: Hex, signature: Hex): Promise<string> {
  try {
    return await pub.readContract({ address: owner, abi: forwarderOwnerArtifact.abi, functionName: 'isValidSignature', args: [hash, signature], account: SETTLEMENT })
  } catch (error) {
    const raw = error instanceof BaseError ? error.walk((e) => typeof (e as { data?: unknown }).data === 'string') : undefined
    const data = (raw as { data?: Hex } | undefined)?.data
    if (!data) throw error
    const decoded = decodeErrorResult({ abi: ownerAbi, data })
    return decoded.args?.length ? `${decoded.errorName}(${decoded.args.join(', ')})` : decoded.errorName
  }
}

const params = {
  handler: TWAP,
  salt: keccak256(toHex('forwarder-owner')),
  staticInput: encodeTwapStaticInput({
    sellToken: WETH, buyToken: COW, receiver: OWNER, partSellAmount: 10n ** 15n, minPartLimit: 1n,
    t0: 0n, n: 4n, t: 3_600n, span: 0n, appData: keccak256(toHex('{}')),
  }),
} as const

beforeAll(async () => {
  anvil = await startTestAnvil()
  pub = createPublicClient({ transport: http(anvil.rpcUrl) })
  wallet = createWalletClient({ transport: http(anvil.rpcUrl) })
  const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
  await testClient.setCode({ address: COMPOSABLE_COW, bytecode: composableCoWArtifact.deployedBytecode })
  await testClient.setCode({ address: TWAP, bytecode: twapArtifact.deployedBytecode })
  await testClient.setCode({ address: FACTORY, bytecode: currentBlockTimestampFactoryArtifact.deployedBytecode })
  // Both owners have the same runtime, as the load gives every sender; only OWNER authorises the order.
  for (const owner of [OWNER, STRANGER]) {
    await testClient.setCode({ address: owner, bytecode: forwarderOwnerArtifact.deployedBytecode })
    await testClient.setBalance({ address: owner, value: 10n ** 18n })
  }
  // An impersonated account with code can still send: the load's senders are such accounts.
  await testClient.impersonateAccount({ address: OWNER })
  const hash = await wallet.writeContract({ account: OWNER, chain: null, address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'createWithContext', args: [params, FACTORY, '0x', true] })
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success')
})

afterAll(async () => {
  await anvil?.stop()
})

describe('ForwarderOwner: EIP-1271 through ComposableCoW', () => {
  async function tradeable(owner: Address = OWNER) {
    return pub.readContract({ address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'getTradeableOrderWithSignature', args: [owner, params, '0x', []] })
  }

  test('behavior: answers the magic value for the order the watcher would post, with the signature ComposableCoW returns', async () => {
    const [order, signature] = await tradeable()
    expect(await isValidSignature(OWNER, digestOf(order), signature)).toBe(MAGIC)
  })

  test('behavior: refuses a digest that is not the signed order (InvalidHash)', async () => {
    const [order, signature] = await tradeable()
    const other = digestOf({ ...order, buyAmount: order.buyAmount + 1n })
    expect(await isValidSignature(OWNER, other, signature)).toBe('InvalidHash')
  })

  test('behavior: refuses an order the conditional order does not generate now (handler verify: OrderNotValid)', async () => {
    const [order, signature] = await tradeable()
    // A consistent (order, digest) pair that the TWAP would never produce: a bigger part.
    const tampered = { ...order, sellAmount: order.sellAmount * 2n }
    const fn = composableCoWArtifact.abi.find((x) => x.type === 'function' && x.name === 'getTradeableOrderWithSignature')
    const orderParam = fn && 'outputs' in fn ? fn.outputs[0]! : undefined
    const payloadParam = { type: 'tuple', components: [{ name: 'proof', type: 'bytes32[]' }, { name: 'params', type: 'tuple', components: [{ name: 'handler', type: 'address' }, { name: 'salt', type: 'bytes32' }, { name: 'staticInput', type: 'bytes' }] }, { name: 'offchainInput', type: 'bytes' }] } as const
    const [, payload] = decodeAbiParameters([orderParam!, payloadParam], signature)
    const forged = encodeAbiParameters([orderParam!, payloadParam], [tampered, payload] as never)
    expect(await isValidSignature(OWNER, digestOf(tampered), forged)).toBe('OrderNotValid(invalid hash)')
  })

  test('behavior: refuses at an owner that did not authorise the conditional order (SingleOrderNotAuthed)', async () => {
    const [order, signature] = await tradeable()
    expect(await isValidSignature(STRANGER, digestOf(order), signature)).toBe('SingleOrderNotAuthed')
  })

  test('behavior: refuses once the owner removed the conditional order', async () => {
    const [order, signature] = await tradeable()
    const orderHash = await pub.readContract({ address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'hash', args: [params] })
    const hash = await wallet.writeContract({ account: OWNER, chain: null, address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'remove', args: [orderHash] })
    expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await isValidSignature(OWNER, digestOf(order), signature)).toBe('SingleOrderNotAuthed')
    // Put it back (remove also cleared its start time in the cabinet) for any later test.
    const again = await wallet.writeContract({ account: OWNER, chain: null, address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'createWithContext', args: [params, FACTORY, '0x', false] })
    await pub.waitForTransactionReceipt({ hash: again })
  })
})

describe('ForwarderOwner.createMany: an owner batching its own creates', () => {
  const batch = [1, 2, 3].map((i) => ({ ...params, salt: keccak256(toHex(`forwarder-owner-many-${i}`)) }))

  test('behavior: one transaction from the owner to itself creates each order, with a ConditionalOrderCreated naming the owner', async () => {
    const hash = await wallet.writeContract({ account: OWNER, chain: null, address: OWNER, abi: forwarderOwnerArtifact.abi, functionName: 'createMany', args: [batch] })
    const receipt = await pub.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    const created = receipt.logs.filter((log) => log.address.toLowerCase() === COMPOSABLE_COW.toLowerCase())
    expect(created).toHaveLength(batch.length)
    for (const log of created) expect(`0x${log.topics[1]!.slice(26)}`).toBe(OWNER.toLowerCase())
    for (const p of batch) {
      const orderHash = await pub.readContract({ address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'hash', args: [p] })
      expect(await pub.readContract({ address: COMPOSABLE_COW, abi: composableCoWArtifact.abi, functionName: 'singleOrders', args: [OWNER, orderHash] })).toBe(true)
    }
  })

  test('behavior: anyone but the owner itself is refused (NotSelf), so nobody creates orders for another owner', async () => {
    await expect(pub.simulateContract({ account: STRANGER, address: OWNER, abi: ownerAbi, functionName: 'createMany', args: [batch] })).rejects.toThrow(/NotSelf/)
  })
})
