import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { hashTypedData, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createOrderbookStub, createOrderbookStub as createLaxStub } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { ORDER_CANCELLATIONS_TYPES } from './cancelRoutes.ts'

const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const stranger = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a')

async function call(stub: OrderbookStub, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }
  const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test${path}`, init))
  if (!response) throw new Error(`no handler for ${method} ${path}`)
  const text = await response.text()
  return { status: response.status, json: (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text }
}

const postAnyOrder = (stub: OrderbookStub, overrides: Record<string, unknown> = {}) => postOrder(stub, overrides)

async function postOrder(stub: OrderbookStub, overrides: Record<string, unknown> = {}): Promise<Hex> {
  const answer = await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ owner: owner.address, ...overrides }))
  expect(answer.status).toBe(201)
  return answer.json as Hex
}

const typed = (stub: OrderbookStub, orderUids: Hex[]) => ({ domain: stub.domain, types: ORDER_CANCELLATIONS_TYPES, primaryType: 'OrderCancellations', message: { orderUids } }) as const

describe('presignature', () => {
  test('behavior: a presign order is presignaturePending until the stub is told of its presignature, then open; revoking makes it pending again', async () => {
    const stub = createOrderbookStub()
    const uid = await postOrder(stub, { signingScheme: 'presign', signature: '0x' })
    expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ status: 200, json: { status: 'presignaturePending', signingScheme: 'presign' } })
    stub.setPresignature(uid.toUpperCase().replace('0X', '0x'), true)
    expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ json: { status: 'open' } })
    stub.setPresignature(uid, false)
    expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ json: { status: 'presignaturePending' } })
    // An eip1271 order needs no presignature.
    const other = await postOrder(stub, { sellAmount: '7' })
    expect(await call(stub, 'GET', `/api/v1/orders/${other}`)).toMatchObject({ json: { status: 'open' } })
  })

  test('behavior: a presignature seen before the order is posted counts', async () => {
    const stub = createOrderbookStub()
    const probe = createOrderbookStub()
    const uid = await postOrder(probe, { signingScheme: 'presign', signature: '0x' })
    stub.setPresignature(uid, true)
    expect(await postOrder(stub, { signingScheme: 'presign', signature: '0x' })).toBe(uid)
    expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ json: { status: 'open' } })
  })
})

describe('POST /api/v1/orders/by_uids', () => {
  test('behavior: answers { order } for each held UID and leaves unknown ones out', async () => {
    const stub = createOrderbookStub()
    const first = await postOrder(stub)
    const second = await postOrder(stub, { sellAmount: '9' })
    const unknown = `0x${'ab'.repeat(56)}`
    const answer = await call(stub, 'POST', '/api/v1/orders/by_uids', [second, unknown, first])
    expect(answer.status).toBe(200)
    expect((answer.json as Array<{ order: { uid: string; status: string } }>).map((e) => [e.order.uid, e.order.status])).toEqual([
      [second, 'open'],
      [first, 'open'],
    ])
  })

  test('behavior: a value that is not a UID is 422, more than 128 UIDs 400 TooManyOrders', async () => {
    const stub = createOrderbookStub()
    expect(await call(stub, 'POST', '/api/v1/orders/by_uids', ['0x12'])).toMatchObject({ status: 422, json: { errorType: 'InvalidJson', description: expect.stringMatching(/\[0\]: expected 56 bytes/) } })
    expect(await call(stub, 'POST', '/api/v1/orders/by_uids', { uids: [] })).toMatchObject({ status: 422 })
    const many = Array.from({ length: 129 }, () => `0x${'ab'.repeat(56)}`)
    expect(await call(stub, 'POST', '/api/v1/orders/by_uids', many)).toMatchObject({ status: 400, json: { errorType: 'TooManyOrders' } })
  })
})

describe('DELETE /api/v1/orders', () => {
  // Only ECDSA orders can be cancelled off-chain. The signature check is off so that an eip712
  // order with a placeholder signature is `from`'s; cancellation is what these tests look at.
  const createOrderbookStub = () => createLaxStub({ knobs: { checks: { signature: false } } })
  const postOrder = (stub: OrderbookStub, overrides: Record<string, unknown> = {}) => postAnyOrder(stub, { signingScheme: 'eip712', signature: `0x${'00'.repeat(65)}`, ...overrides })

  test('behavior: the owner\'s EIP-712 OrderCancellations cancels the orders: status cancelled, invalidated, /status cancelled', async () => {
    const stub = createOrderbookStub()
    const uids = [await postOrder(stub), await postOrder(stub, { sellAmount: '3' })]
    const kept = await postOrder(stub, { sellAmount: '4' })
    const signature = await owner.signTypedData(typed(stub, uids))
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: uids, signature, signingScheme: 'eip712' })).toEqual({ status: 200, json: 'Cancelled' })
    for (const uid of uids) {
      expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ json: { status: 'cancelled', invalidated: true } })
      expect(await call(stub, 'GET', `/api/v1/orders/${uid}/status`)).toEqual({ status: 200, json: { type: 'cancelled' } })
    }
    expect(await call(stub, 'GET', `/api/v1/orders/${kept}/status`)).toEqual({ status: 200, json: { type: 'open' } })
    const listed = (await call(stub, 'GET', `/api/v1/account/${owner.address}/orders`)).json as Array<{ uid: string; status: string }>
    expect(listed.map((o) => o.status).sort()).toEqual(['cancelled', 'cancelled', 'open'])
  })

  test('behavior: eth_sign of the same EIP-712 digest is accepted too', async () => {
    const stub = createOrderbookStub()
    const uid = await postOrder(stub)
    const signature = await owner.signMessage({ message: { raw: hashTypedData(typed(stub, [uid])) } })
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature, signingScheme: 'ethsign' })).toEqual({ status: 200, json: 'Cancelled' })
    expect(stub.isCancelled(uid)).toBe(true)
  })

  test('behavior: another signer is 401 WrongOwner, an unknown UID 404 OrderNotFound, a bad signature 400, and nothing is cancelled', async () => {
    const stub = createOrderbookStub()
    const uid = await postOrder(stub)
    const unknown = `0x${'ab'.repeat(56)}` as Hex
    const wrong = await stranger.signTypedData(typed(stub, [uid]))
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature: wrong, signingScheme: 'eip712' })).toMatchObject({ status: 401, json: { errorType: 'WrongOwner' } })
    const withUnknown = await owner.signTypedData(typed(stub, [uid, unknown]))
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid, unknown], signature: withUnknown, signingScheme: 'eip712' })).toMatchObject({ status: 404, json: { errorType: 'OrderNotFound' } })
    // Signed for other UIDs: recovers some other address, so it is not the owner's.
    const forOther = await owner.signTypedData(typed(stub, [unknown]))
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature: forOther, signingScheme: 'eip712' })).toMatchObject({ status: 401 })
    const unrecoverable = `0x${'00'.repeat(64)}1b`
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature: unrecoverable, signingScheme: 'eip712' })).toMatchObject({ status: 400, json: { errorType: 'InvalidSignature' } })
    expect(stub.isCancelled(uid)).toBe(false)
    expect(await call(stub, 'GET', `/api/v1/orders/${uid}`)).toMatchObject({ json: { status: 'open', invalidated: false } })
  })

  test('behavior: a body that does not deserialize is 422 InvalidJson', async () => {
    const stub = createOrderbookStub()
    const uid = await postOrder(stub)
    for (const body of [{ orderUids: [uid], signature: '0x12', signingScheme: 'eip712' }, { orderUids: [uid], signature: `0x${'00'.repeat(65)}`, signingScheme: 'presign' }, { signature: `0x${'00'.repeat(65)}`, signingScheme: 'eip712' }]) {
      expect(await call(stub, 'DELETE', '/api/v1/orders', body)).toMatchObject({ status: 422, json: { errorType: 'InvalidJson' } })
    }
  })

  test('behavior: cancelling a cancelled order is 400 AlreadyCancelled, an EIP-1271 or presign order 400 OnChainOrder, more than 128 UIDs 500; nothing else is cancelled', async () => {
    const stub = createOrderbookStub()
    const uid = await postOrder(stub)
    const sign = (uids: Hex[]) => owner.signTypedData(typed(stub, uids))
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature: await sign([uid]), signingScheme: 'eip712' })).toMatchObject({ status: 200 })
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [uid], signature: await sign([uid]), signingScheme: 'eip712' })).toMatchObject({ status: 400, json: { errorType: 'AlreadyCancelled', description: 'Order is already cancelled' } })
    const contractOrder = await postAnyOrder(stub, { sellAmount: '5' })
    const presignOrder = await postAnyOrder(stub, { sellAmount: '6', signingScheme: 'presign', signature: '0x' })
    const open = await postOrder(stub, { sellAmount: '7' })
    for (const onChain of [contractOrder, presignOrder]) {
      expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: [open, onChain], signature: await sign([open, onChain]), signingScheme: 'eip712' })).toMatchObject({ status: 400, json: { errorType: 'OnChainOrder' } })
    }
    const many = Array.from({ length: 129 }, () => open)
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: many, signature: await sign(many), signingScheme: 'eip712' })).toMatchObject({ status: 500, json: { errorType: 'InternalServerError' } })
    const exactly = Array.from({ length: 128 }, () => open)
    expect(await call(stub, 'DELETE', '/api/v1/orders', { orderUids: exactly, signature: await sign(exactly), signingScheme: 'eip712' })).toMatchObject({ status: 200 })
    expect([contractOrder, presignOrder].map((u) => stub.isCancelled(u))).toEqual([false, false])
  })
})
