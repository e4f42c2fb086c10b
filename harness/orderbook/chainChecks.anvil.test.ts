import { slice, zeroAddress, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { computeStubOrderUid } from './computeStubOrderUid.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import type { OrderChecks } from './orderChecks.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { parseOrderCreation } from './parseOrderCreation.ts'
import { serveOrderbookStub, type ServedOrderbookStub } from './serveOrderbookStub.ts'

// Runtime code placed with anvil_setCode: an EIP-1271 owner that accepts every signature (returns
// 0x1626ba7e), one that refuses every signature (returns 0xffffffff), and a token whose balanceOf
// and allowance answer a huge amount but whose transferFrom always reverts.
const ACCEPTING_1271: Hex = '0x631626ba7e60e01b60005260206000f3'
const REFUSING_1271: Hex = '0x63ffffffff60e01b60005260206000f3'
const UNTRANSFERABLE_TOKEN: Hex = '0x60003560e01c6323b872dd14601a5760011960005260206000f35b600080fd'

const alice = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const mallory = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a')
const unfunded = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6')
const unapproved = privateKeyToAccount('0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a')
const goodContract: Address = '0x0000000000000000000000000000000000c0de01'
const badContract: Address = '0x0000000000000000000000000000000000c0de02'
const badToken: Address = '0x0000000000000000000000000000000000c0de03'

let net: Devnet
let stub: OrderbookStub
let server: ServedOrderbookStub

beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  for (const owner of [alice.address, goodContract]) {
    await net.fund(owner, 10n ** 18n)
    await net.wrapWeth(owner, 10n ** 17n, { mine: true })
    await net.approveVaultRelayer(owner, net.addresses.weth, undefined, { mine: true })
  }
  await net.fund(unapproved.address, 10n ** 18n)
  await net.wrapWeth(unapproved.address, 10n ** 17n, { mine: true })
  // Code after the funding: the owners above sent their own transactions as plain accounts.
  await net.client.setCode({ address: goodContract, bytecode: ACCEPTING_1271 })
  await net.client.setCode({ address: badContract, bytecode: REFUSING_1271 })
  await net.client.setCode({ address: badToken, bytecode: UNTRANSFERABLE_TOKEN })
  stub = createOrderbookStub({ chain: net.rpcUrl })
  server = await serveOrderbookStub(stub, { port: 0 })
})
afterAll(async () => {
  await server?.close()
  await net?.stop()
})

const headTime = async () => Number((await net.client.getBlock()).timestamp)

/** An order body, signed by `signer` over its digest (eip712) unless it is an on-chain scheme. */
async function order(fields: Record<string, unknown> & { owner?: Address }, signer = alice): Promise<Record<string, unknown>> {
  const body = exampleOrderCreation({ owner: signer.address, validTo: (await headTime()) + 3600, signingScheme: 'eip712', ...fields })
  if (body.signingScheme !== 'eip712') return body
  const parsed = parseOrderCreation({ ...body, signature: `0x${'00'.repeat(65)}` })
  if (!parsed.ok) throw new Error(parsed.description)
  const appData = (parsed.value.appData as { hash: Hex }).hash
  const digest = slice(computeStubOrderUid(stub.domain, parsed.value, appData, zeroAddress), 0, 32)
  return { ...body, signature: await signer.sign({ hash: digest }) }
}

async function post(body: Record<string, unknown>): Promise<{ status: number; body: { errorType?: string; description?: string } | string }> {
  const response = await fetch(`${server.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as never }
}

/** Posts with the given checks, restoring strict checks after. */
async function postWith(checks: OrderChecks, body: Record<string, unknown>) {
  stub.setKnobs({ checks })
  try {
    return await post(body)
  } finally {
    stub.setKnobs({ checks: null })
  }
}

const refused = (errorType: string) => expect.objectContaining({ status: 400, body: expect.objectContaining({ errorType }) })

describe('orderbook stub checks that read the chain (strict by default, each a knob)', () => {
  test('behavior: a funded, approved, correctly signed order inside the window is accepted (eip712 and eip1271)', async () => {
    expect(await post(await order({ sellAmount: '11' }))).toMatchObject({ status: 201 })
    expect(await post(await order({ owner: goodContract, signingScheme: 'eip1271', signature: '0x1234', sellAmount: '12' }))).toMatchObject({ status: 201 })
    expect(stub.chainChecks()).toMatchObject({ chain: net.rpcUrl, unchecked: [] })
  })

  test('behavior: signature: an eip712 signature by someone other than `from` is WrongOwner; off, it passes', async () => {
    const body = { ...(await order({ sellAmount: '21' }, mallory)), from: alice.address }
    const answer = await post(body)
    expect(answer).toEqual(refused('WrongOwner'))
    expect((answer.body as { description: string }).description).toMatch(new RegExp(`^recovered signer ${mallory.address} from signing hash 0x[0-9a-f]{64} does not match from address$`))
    expect(await postWith({ signature: false }, body)).toMatchObject({ status: 201 })
  })

  test('behavior: eip1271: isValidSignature that does not answer the magic value is InvalidEip1271Signature naming the digest; an EOA owner too; off, it passes', async () => {
    const body = await order({ owner: badContract, signingScheme: 'eip1271', signature: '0x1234', sellAmount: '31' })
    const answer = await post(body)
    expect(answer).toEqual(refused('InvalidEip1271Signature'))
    expect((answer.body as { description: string }).description).toMatch(/^signature for computed order hash 0x[0-9a-f]{64} is not valid$/)
    expect(await post(await order({ owner: alice.address, signingScheme: 'eip1271', signature: '0x1234', sellAmount: '32' }))).toEqual(refused('InvalidEip1271Signature'))
    // badContract holds no WETH: with the signature check off the next check speaks.
    expect(await postWith({ eip1271: false }, body)).toEqual(refused('InsufficientBalance'))
    expect(await postWith({ eip1271: false, balance: false, allowance: false, transferSimulation: false }, body)).toMatchObject({ status: 201 })
  })

  test('behavior: validTo is judged against the head block, not the wall clock: too close, expired and past the horizon are refused; off, they pass', async () => {
    const now = await headTime()
    expect(await post(await order({ validTo: now + 30, sellAmount: '41' }))).toEqual(refused('InsufficientValidTo'))
    expect(await post(await order({ validTo: now - 1, sellAmount: '42' }))).toEqual(refused('InsufficientValidTo'))
    expect(await post(await order({ validTo: now + 31_557_600 + 10, sellAmount: '43' }))).toEqual(refused('ExcessiveValidTo'))
    expect(await post(await order({ validTo: now + 31_557_600 - 10, sellAmount: '44' }))).toMatchObject({ status: 201 })
    expect(await postWith({ validTo: false }, await order({ validTo: now - 1, sellAmount: '45' }))).toMatchObject({ status: 201 })
    // Warp the chain a day ahead: an order valid for an hour of wall-clock time has expired on chain.
    await net.warp(86_400)
    await net.mine(1)
    const wallClockHour = Math.floor(Date.now() / 1000) + 3600
    expect(await post(await order({ validTo: wallClockHour, sellAmount: '46' }))).toEqual(refused('InsufficientValidTo'))
    expect(await post(await order({ validTo: (await headTime()) + 3600, sellAmount: '47' }))).toMatchObject({ status: 201 })
  })

  test('behavior: balance: an owner without sell tokens is InsufficientBalance; off, it passes', async () => {
    const body = await order({ sellAmount: '51' }, unfunded)
    expect(await post(body)).toEqual(refused('InsufficientBalance'))
    // Without balance, allowance and transfer checks, nothing else refuses it.
    expect(await postWith({ balance: false, allowance: false, transferSimulation: false }, body)).toMatchObject({ status: 201 })
  })

  test('behavior: allowance: an owner with WETH but no approval of the vault relayer is InsufficientAllowance; off, the transfer simulation still fails; both off, it passes', async () => {
    const body = await order({ sellAmount: '61' }, unapproved)
    expect(await post(body)).toEqual(refused('InsufficientAllowance'))
    expect(await postWith({ allowance: false }, body)).toEqual(refused('TransferSimulationFailed'))
    expect(await postWith({ allowance: false, transferSimulation: false }, body)).toMatchObject({ status: 201 })
  })

  test('behavior: transferSimulation: a sell token whose transferFrom reverts is TransferSimulationFailed; off, it passes', async () => {
    const body = await order({ sellToken: badToken, sellAmount: '71' })
    const answer = await post(body)
    expect(answer).toEqual(refused('TransferSimulationFailed'))
    expect(answer.body).toEqual({ errorType: 'TransferSimulationFailed', description: 'sell token cannot be transferred' })
    expect(await postWith({ transferSimulation: false }, body)).toMatchObject({ status: 201 })
  })

  test('behavior: presign: accepted without funds, presignaturePending until preSignature(uid) is set on chain, then open; off, the chain is not asked', async () => {
    const body = await order({ owner: unfunded.address, signingScheme: 'presign', signature: '0x', sellAmount: '81' })
    const accepted = await post(body)
    expect(accepted.status).toBe(201)
    const uid = accepted.body as Hex
    const status = async () => ((await (await fetch(`${server.baseUrl}/api/v1/orders/${uid}`)).json()) as { status: string }).status
    expect(await status()).toBe('presignaturePending')
    await net.setPreSignature(unfunded.address, uid, true, { mine: true })
    stub.setKnobs({ checks: { presign: false } })
    expect(await status()).toBe('presignaturePending')
    stub.setKnobs({ checks: null })
    expect(await status()).toBe('open')
    // The override still wins over the chain.
    stub.setPresignature(uid, false)
    expect(await status()).toBe('presignaturePending')
  })

  test('behavior: an EthFlow order posted to the API (owner = the EthFlow contract, validTo = u32::MAX) is ExcessiveValidTo, as the real service answers it', async () => {
    const sender = unapproved.address
    const userValidTo = (await headTime()) + 3600
    const ethFlowOrder = { buyToken: net.addresses.cowToken, receiver: sender, sellAmount: 10n ** 15n, buyAmount: 1n, appData: exampleOrderCreation().appData as Hex, feeAmount: 0n, validTo: userValidTo, partiallyFillable: false, quoteId: 1n }
    await net.placeEthFlowOrder({ sender, order: ethFlowOrder, mine: true })
    const body = exampleOrderCreation({
      owner: net.addresses.ethFlow,
      sellToken: net.addresses.weth,
      buyToken: ethFlowOrder.buyToken,
      receiver: sender,
      sellAmount: ethFlowOrder.sellAmount.toString(),
      buyAmount: '1',
      validTo: 0xffffffff,
      signingScheme: 'eip1271',
      signature: net.addresses.ethFlow.toLowerCase(),
    })
    expect(await post(body)).toEqual(refused('ExcessiveValidTo'))
  })

  test('behavior: a node that fails during validation answers 500, never a pass', async () => {
    const dead = createOrderbookStub({ chain: 'http://127.0.0.1:9/' })
    const served = await serveOrderbookStub(dead, { port: 0 })
    try {
      const response = await fetch(`${served.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await order({ sellAmount: '91' })) })
      expect(response.status).toBe(500)
      expect(dead.record.accepted()).toHaveLength(0)
    } finally {
      await served.close()
    }
  })
})
