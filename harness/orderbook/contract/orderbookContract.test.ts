import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hashTypedData, keccak256, stringToBytes, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createOrderbookStub } from '../createOrderbookStub.ts'
import { serveOrderbookStub, type ServedOrderbookStub } from '../serveOrderbookStub.ts'
import { stubRoutes } from '../stubRoutes.ts'
import { exampleOrderCreation, SEPOLIA_COW, SEPOLIA_WETH } from '../exampleOrderCreation.ts'
import { ORDER_CANCELLATIONS_TYPES } from '../cancelRoutes.ts'
import { decodeEthFlowPlacement, ethFlowStoredOrder } from '../decodeEthFlowPlacement.ts'
import { placementLog } from '../ethFlowTestVectors.ts'
import { EMPTY_APP_DATA_HASH } from '../../../modules/sdk/appData.ts'
import { createAnswerValidator } from './createAnswerValidator.ts'
import { orderbookRouteContract } from './orderbookRouteContract.ts'

// Every route of the stub gets valid and invalid requests over real HTTP; each answer's status and
// body must be what the published API documents (createAnswerValidator), so the stub cannot drift
// from the API silently. The last test proves every route of the stub was exercised.

const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const stranger = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a')
const unknownUid = `0x${'ab'.repeat(56)}` as Hex
const validate = createAnswerValidator()
// The signature check off: the order cancelled below is an eip712 order with a placeholder
// signature (only ECDSA orders can be cancelled off-chain), owned by `from`.
const stub = createOrderbookStub({ knobs: { checks: { signature: false } } })
const exercised = new Map<string, Set<number>>()
let server: ServedOrderbookStub

beforeAll(async () => {
  server = await serveOrderbookStub(stub, { port: 0 })
})
afterAll(async () => {
  await server?.close()
})

type Send = { body?: unknown; raw?: string; contentType?: string }

/** Sends one request, requires `status`, and validates the answer against the route's contract. */
async function expectAnswer(route: string, path: string, status: number, send: Send = {}): Promise<unknown> {
  const method = route.split(' ')[0]!
  const hasBody = send.body !== undefined || send.raw !== undefined
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: hasBody ? { 'content-type': send.contentType ?? 'application/json' } : {},
    ...(hasBody ? { body: send.raw ?? JSON.stringify(send.body) } : {}),
  })
  const bodyText = await response.text()
  const verdict = validate(route, { status: response.status, contentType: response.headers.get('content-type'), bodyText })
  expect({ route, path, status: response.status, problems: verdict.problems, body: verdict.ok ? undefined : bodyText }).toEqual({ route, path, status, problems: [], body: undefined })
  exercised.set(route, (exercised.get(route) ?? new Set()).add(status))
  return (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(bodyText) as unknown) : bodyText
}

const order = (overrides: Record<string, unknown> = {}) => exampleOrderCreation({ owner: owner.address, ...overrides })
const cancellation = (orderUids: Hex[]) => ({ domain: stub.domain, types: ORDER_CANCELLATIONS_TYPES, primaryType: 'OrderCancellations', message: { orderUids } }) as const

describe('orderbook stub contract: every answer matches the published API', () => {
  const POST_ORDER = 'POST /api/v1/orders'
  let uid: Hex
  let presignUid: Hex
  let cancelledUid: Hex

  test('POST /api/v1/orders: created, refused by validation, and bodies it cannot read', async () => {
    uid = (await expectAnswer(POST_ORDER, '/api/v1/orders', 201, { body: order() })) as Hex
    presignUid = (await expectAnswer(POST_ORDER, '/api/v1/orders', 201, { body: order({ signingScheme: 'presign', signature: '0x', sellAmount: '11' }) })) as Hex
    cancelledUid = (await expectAnswer(POST_ORDER, '/api/v1/orders', 201, { body: order({ sellAmount: '12', appData: '{"appCode":"contract"}', signingScheme: 'eip712', signature: `0x${'00'.repeat(65)}` }) })) as Hex
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order() })).toMatchObject({ errorType: 'DuplicatedOrder' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ feeAmount: '1' }) })).toMatchObject({ errorType: 'NonZeroFee' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ sellTokenBalance: 'external' }) })).toMatchObject({ errorType: 'UnsupportedSellTokenSource' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ buyTokenBalance: 'internal' }) })).toMatchObject({ errorType: 'UnsupportedBuyTokenDestination' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ buyToken: SEPOLIA_WETH }) })).toMatchObject({ errorType: 'SameBuyAndSellToken' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ sellAmount: '0' }) })).toMatchObject({ errorType: 'ZeroAmount' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ from: undefined }) })).toMatchObject({ errorType: 'MissingFrom' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ appData: keccak256(stringToBytes('{"x":1}')) }) })).toMatchObject({ errorType: 'InvalidAppData' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ appData: '{"a":1}', appDataHash: EMPTY_APP_DATA_HASH }) })).toMatchObject({ errorType: 'AppDataHashMismatch' })
    // The policy checks (banned users, deny-listed tokens, appData signer, hooks gas); TooManyLimitOrders needs chain time and is proven in policyChecks.test.ts.
    const denied = '0x3333333333333333333333333333333333333333'
    stub.setKnobs({ policy: { bannedUsers: [stranger.address], unsupportedTokens: [denied] } })
    try {
      expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 403, { body: order({ owner: stranger.address, sellAmount: '21' }) })).toMatchObject({ errorType: 'Forbidden' })
      expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ buyToken: denied, sellAmount: '22' }) })).toMatchObject({ errorType: 'UnsupportedToken' })
    } finally {
      stub.setKnobs({ policy: null })
    }
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ appData: JSON.stringify({ metadata: { signer: stranger.address } }), sellAmount: '23' }) })).toMatchObject({ errorType: 'AppdataFromMismatch' })
    const heavyHooks = { metadata: { hooks: { pre: [{ target: denied, callData: '0x', gasLimit: '8000000' }] } } }
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { body: order({ appData: JSON.stringify(heavyHooks), sellAmount: '24' }) })).toMatchObject({ errorType: 'TooMuchGas' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 422, { body: order({ sellAmount: 5 }) })).toMatchObject({ errorType: 'InvalidJson' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 422, { body: order({ kind: undefined }) })).toMatchObject({ errorType: 'InvalidJson' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 400, { raw: '{"sellToken":' })).toMatchObject({ errorType: 'InvalidJson' })
    expect(await expectAnswer(POST_ORDER, '/api/v1/orders', 415, { raw: JSON.stringify(order({ sellAmount: '13' })), contentType: 'text/plain' })).toMatchObject({ errorType: 'InvalidJson' })
  })

  test('GET /api/v1/orders/{UID}: open, presignaturePending, an EthFlow order, unknown, malformed', async () => {
    const route = 'GET /api/v1/orders/:uid'
    expect(await expectAnswer(route, `/api/v1/orders/${uid}`, 200)).toMatchObject({ uid, status: 'open' })
    expect(await expectAnswer(route, `/api/v1/orders/${presignUid}`, 200)).toMatchObject({ status: 'presignaturePending' })
    const placement = decodeEthFlowPlacement(placementLog(), stub.domain)
    stub.putOrder(ethFlowStoredOrder(placement, new Date(0).toISOString(), null))
    expect(await expectAnswer(route, `/api/v1/orders/${placement.uid}`, 200)).toMatchObject({ onchainOrderData: { placementError: null }, ethflowData: { refundTxHash: null } })
    await expectAnswer(route, `/api/v1/orders/${unknownUid}`, 404)
    await expectAnswer(route, '/api/v1/orders/0x1234', 400)
  })

  test('DELETE /api/v1/orders: cancelled by the owner; wrong owner, unknown order, bad signature, unreadable body', async () => {
    const route = 'DELETE /api/v1/orders'
    const body = async (signer: typeof owner, uids: Hex[]) => ({ orderUids: uids, signature: await signer.signTypedData(cancellation(uids)), signingScheme: 'eip712' })
    await expectAnswer(route, '/api/v1/orders', 401, { body: await body(stranger, [cancelledUid]) })
    await expectAnswer(route, '/api/v1/orders', 404, { body: await body(owner, [unknownUid]) })
    await expectAnswer(route, '/api/v1/orders', 400, { body: { orderUids: [cancelledUid], signature: `0x${'00'.repeat(64)}1b`, signingScheme: 'eip712' } })
    await expectAnswer(route, '/api/v1/orders', 422, { body: { orderUids: [cancelledUid], signature: '0x12', signingScheme: 'eip712' } })
    await expectAnswer(route, '/api/v1/orders', 415, { raw: '{}', contentType: 'text/plain' })
    const ethSigned = { orderUids: [cancelledUid], signature: await owner.signMessage({ message: { raw: hashTypedData(cancellation([cancelledUid])) } }), signingScheme: 'ethsign' }
    await expectAnswer(route, '/api/v1/orders', 200, { body: ethSigned })
    expect(await expectAnswer(route, '/api/v1/orders', 400, { body: ethSigned })).toMatchObject({ errorType: 'AlreadyCancelled' })
    expect(await expectAnswer(route, '/api/v1/orders', 400, { body: await body(owner, [uid]) })).toMatchObject({ errorType: 'OnChainOrder' })
    await expectAnswer(route, '/api/v1/orders', 500, { body: await body(owner, Array.from({ length: 129 }, () => cancelledUid)) })
    expect(await expectAnswer('GET /api/v1/orders/:uid', `/api/v1/orders/${cancelledUid}`, 200)).toMatchObject({ status: 'cancelled', invalidated: true })
  })

  test('POST /api/v1/orders/by_uids', async () => {
    const route = 'POST /api/v1/orders/by_uids'
    expect(await expectAnswer(route, '/api/v1/orders/by_uids', 200, { body: [uid, unknownUid, cancelledUid] })).toHaveLength(2)
    await expectAnswer(route, '/api/v1/orders/by_uids', 422, { body: ['0x12'] })
    await expectAnswer(route, '/api/v1/orders/by_uids', 400, { body: Array.from({ length: 129 }, () => unknownUid) })
    await expectAnswer(route, '/api/v1/orders/by_uids', 400, { raw: '[' })
    await expectAnswer(route, '/api/v1/orders/by_uids', 415, { raw: '[]', contentType: 'text/plain' })
  })

  test('GET /api/v1/orders/{UID}/status', async () => {
    const route = 'GET /api/v1/orders/:uid/status'
    expect(await expectAnswer(route, `/api/v1/orders/${uid}/status`, 200)).toEqual({ type: 'open' })
    expect(await expectAnswer(route, `/api/v1/orders/${cancelledUid}/status`, 200)).toEqual({ type: 'cancelled' })
    await expectAnswer(route, `/api/v1/orders/${unknownUid}/status`, 404)
    await expectAnswer(route, '/api/v1/orders/0x12/status', 400)
  })

  test('account orders, trades, transactions, native price, total surplus', async () => {
    expect(await expectAnswer('GET /api/v1/account/:owner/orders', `/api/v1/account/${owner.address}/orders?limit=100`, 200)).toHaveLength(3)
    await expectAnswer('GET /api/v1/account/:owner/orders', `/api/v1/account/${owner.address}/orders?limit=5000`, 400)
    await expectAnswer('GET /api/v1/account/:owner/orders', '/api/v1/account/0x12/orders', 400)
    await expectAnswer('GET /api/v1/trades', `/api/v1/trades?owner=${owner.address}`, 200)
    await expectAnswer('GET /api/v1/trades', '/api/v1/trades', 400)
    await expectAnswer('GET /api/v2/trades', `/api/v2/trades?orderUid=${uid}&limit=5`, 200)
    await expectAnswer('GET /api/v2/trades', `/api/v2/trades?owner=${owner.address}&limit=0`, 400)
    await expectAnswer('GET /api/v1/transactions/:txHash/orders', `/api/v1/transactions/0x${'cd'.repeat(32)}/orders`, 200)
    await expectAnswer('GET /api/v1/transactions/:txHash/orders', '/api/v1/transactions/0x12/orders', 400)
    await expectAnswer('GET /api/v1/token/:token/native_price', `/api/v1/token/${SEPOLIA_COW}/native_price`, 200)
    await expectAnswer('GET /api/v1/token/:token/native_price', '/api/v1/token/nope/native_price', 400)
    await expectAnswer('GET /api/v1/users/:address/total_surplus', `/api/v1/users/${owner.address}/total_surplus`, 200)
    await expectAnswer('GET /api/v1/users/:address/total_surplus', '/api/v1/users/nope/total_surplus', 400)
  })

  test('POST /api/v1/quote', async () => {
    const route = 'POST /api/v1/quote'
    const request = { sellToken: SEPOLIA_WETH, buyToken: SEPOLIA_COW, from: owner.address, kind: 'sell', sellAmountBeforeFee: '1000' }
    expect(await expectAnswer(route, '/api/v1/quote', 200, { body: { ...request, appData: '{"appCode":"q"}' } })).toMatchObject({ quote: { appDataHash: keccak256(stringToBytes('{"appCode":"q"}')) } })
    expect(await expectAnswer(route, '/api/v1/quote', 200, { body: { ...request, kind: 'buy', sellAmountBeforeFee: undefined, buyAmountAfterFee: '5', appData: EMPTY_APP_DATA_HASH } })).not.toHaveProperty('quote.appDataHash')
    await expectAnswer(route, '/api/v1/quote', 400, { body: { ...request, buyToken: SEPOLIA_WETH } })
    await expectAnswer(route, '/api/v1/quote', 400, { body: { ...request, appData: '{"a":1}', appDataHash: EMPTY_APP_DATA_HASH } })
    await expectAnswer(route, '/api/v1/quote', 422, { body: { ...request, sellAmountBeforeFee: '0' } })
    await expectAnswer(route, '/api/v1/quote', 422, { body: { ...request, from: undefined } })
    await expectAnswer(route, '/api/v1/quote', 400, { raw: '{' })
    await expectAnswer(route, '/api/v1/quote', 415, { raw: JSON.stringify(request), contentType: 'text/plain' })
  })

  test('app data and version', async () => {
    const document = '{"appCode":"contract-put","metadata":{},"version":"1.15.0"}'
    const hash = keccak256(stringToBytes(document))
    await expectAnswer('PUT /api/v1/app_data/:hash', `/api/v1/app_data/${hash}`, 201, { body: { fullAppData: document } })
    await expectAnswer('PUT /api/v1/app_data/:hash', `/api/v1/app_data/${hash}`, 200, { body: { fullAppData: document } })
    await expectAnswer('PUT /api/v1/app_data/:hash', `/api/v1/app_data/${EMPTY_APP_DATA_HASH}`, 400, { body: { fullAppData: document } })
    await expectAnswer('PUT /api/v1/app_data/:hash', `/api/v1/app_data/${hash}`, 422, { body: { appData: document } })
    await expectAnswer('PUT /api/v1/app_data/:hash', `/api/v1/app_data/${hash}`, 415, { raw: document, contentType: 'text/plain' })
    await expectAnswer('PUT /api/v1/app_data', '/api/v1/app_data', 201, { body: { fullAppData: '{"appCode":"other","metadata":{},"version":"1.15.0"}' } })
    await expectAnswer('PUT /api/v1/app_data', '/api/v1/app_data', 400, { body: { fullAppData: 'not json' } })
    await expectAnswer('PUT /api/v1/app_data', '/api/v1/app_data', 422, { body: [] })
    expect(await expectAnswer('GET /api/v1/app_data/:hash', `/api/v1/app_data/${hash}`, 200)).toEqual({ fullAppData: document })
    await expectAnswer('GET /api/v1/app_data/:hash', `/api/v1/app_data/${keccak256(stringToBytes('{"unknown":1}'))}`, 404)
    await expectAnswer('GET /api/v1/app_data/:hash', '/api/v1/app_data/0x12', 400)
    await expectAnswer('GET /api/v1/version', '/api/v1/version', 200)
  })

  test('behavior: every route of the stub is in the contract and was exercised, with a success and a refusal where it has one', () => {
    const routes = stubRoutes.map((route) => `${route.method} ${route.path}`)
    expect(routes.filter((route) => !(route in orderbookRouteContract))).toEqual([])
    // The deprecated v1 trades route shares v2's code; version has no refusal.
    const missing = routes.filter((route) => {
      const statuses = [...(exercised.get(route) ?? [])]
      return !statuses.some((s) => s < 300) || (route !== 'GET /api/v1/version' && !statuses.some((s) => s >= 400))
    })
    expect(missing).toEqual([])
  })
})
