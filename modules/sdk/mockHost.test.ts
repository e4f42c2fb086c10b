import { afterEach, describe, expect, test } from 'vitest'
import { CowApiError } from './errors/cowApi.ts'
import { ChainCallError, ChainRequestError } from './errors/chain.ts'
import type { Host } from './module/types.ts'
import { buildOrderCreation } from './orders/buildOrderCreation.ts'
import { computeUid } from './orders/computeUid.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL, type GPv2OrderData } from './orders/gpv2Order.ts'
import { createMockHost, type MockHost } from './mockHost.ts'
import { createMockStoreBackend } from './mockHost/mockStore.ts'

const A = '0x1111111111111111111111111111111111111111'
const B = '0x2222222222222222222222222222222222222222'
const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
let mock: MockHost
afterEach(() => mock?.dispose())

const order: GPv2OrderData = {
  sellToken: A, buyToken: B, receiver: owner, sellAmount: 100n, buyAmount: 1n, validTo: 1_700_000_999,
  appData: `0x${'00'.repeat(32)}`, feeAmount: 0n, kind: ORDER_KIND_SELL, partiallyFillable: false,
  sellTokenBalance: BALANCE_ERC20, buyTokenBalance: BALANCE_ERC20,
}

describe('MockHost chain', () => {
  test('behavior: answers eth_call by target and selector, newest answer first, one-shot answers expire', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.onCall({ to: A }, '0x01')
    mock.chain.onCall({ to: A, selector: '0xaabbccdd' }, '0x02')
    mock.chain.onCall({ data: '0xaabbccdd99' }, '0x03', { times: 1 })
    expect(await mock.chain.call(1, { to: A, data: '0x12345678' })).toBe('0x01')
    expect(await mock.chain.call(1, { to: A.toUpperCase().replace('0X', '0x') as `0x${string}`, data: '0xaabbccdd00' })).toBe('0x02')
    expect(await mock.chain.call(1, { to: A, data: '0xaabbccdd99' })).toBe('0x03')
    expect(await mock.chain.call(1, { to: A, data: '0xaabbccdd99' })).toBe('0x02')
  })

  test('behavior: a revert answer rejects with ChainCallError carrying the revert data', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.onCall((call) => call.blockNumber === 5n, { revert: '0xdeadbeef' })
    const error = await mock.chain.call(1, { to: A, data: '0x' }, { blockNumber: 5n }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainCallError)
    expect((error as ChainCallError).data).toBe('0xdeadbeef')
    expect(mock.chain.calls[0]).toMatchObject({ to: A, blockNumber: 5n, outcome: 'revert' })
  })

  test('behavior: an unprogrammed call rejects with a MockHostError naming target and selector', async () => {
    mock = createMockHost({ module: 'm' })
    await expect(mock.chain.call(1, { to: A, data: '0xcafebabe' })).rejects.toThrow(/no answer for this eth_call[\s\S]*selector: 0xcafebabe/)
    await expect(mock.chain.request(1, 'eth_blockNumber')).rejects.toThrow(/onRequest\('eth_blockNumber'/)
  })

  test('behavior: multicall answers each inner call independently and records them', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.onCall({ to: A }, '0xaa')
    mock.chain.onMulticall({ to: B }, { revert: '0xbb' })
    mock.chain.onMulticall({ selector: '0x00000001' }, (call) => (call.to === A ? '0x0a' : '0x0b'))
    const results = await mock.chain.multicall(1, [
      { target: A, callData: '0x00000000' },
      { target: B, callData: '0x00000000' },
      { target: A, callData: '0x00000001' },
    ])
    expect(results).toEqual([
      { success: true, returnData: '0xaa' },
      { success: false, returnData: '0xbb' },
      { success: true, returnData: '0x0a' },
    ])
    expect(mock.chain.multicalls[0]?.calls).toHaveLength(3)
    expect(mock.chain.multicalls[0]?.results).toEqual(results)
    await expect(mock.chain.multicall(1, [{ target: B, callData: '0x', allowFailure: false }])).rejects.toBeInstanceOf(ChainCallError)
  })

  test('behavior: balances are per block and per chain when asked', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.setBalance(A, 10n)
    mock.chain.setBalance(A, 20n, { fromBlock: 100n })
    mock.chain.setBalance(A, 7n, { chainId: 5 })
    expect(await mock.chain.getBalance(1, A, { blockNumber: 99n })).toBe(10n)
    expect(await mock.chain.getBalance(1, A, { blockNumber: 100n })).toBe(20n)
    expect(await mock.chain.getBalance(1, A)).toBe(20n)
    expect(await mock.chain.getBalance(5, A)).toBe(7n)
    expect(await mock.chain.getBalance(1, B)).toBe(0n)
    mock.chain.onRequest('eth_chainId', (params, chainId) => `0x${chainId.toString(16)}:${params.length}`)
    expect(await mock.chain.request(11155111, 'eth_chainId')).toBe('0xaa36a7:0')
  })
})

describe('MockHost orderbook', () => {
  test('behavior: by default accepts with the computed UID, serves it back, and answers a repeat with DuplicatedOrder', async () => {
    mock = createMockHost({ module: 'm' })
    const body = buildOrderCreation({ order, owner, signingScheme: 'eip1271', signature: '0x01' })
    const uid = await mock.cowApi.submitOrder(11155111, body)
    expect(uid).toBe(computeUid(11155111, order, owner))
    expect(await mock.cowApi.getOrder(11155111, uid)).toMatchObject({ uid, owner, status: 'open' })
    expect(await mock.cowApi.getOrder(11155111, '0x1234')).toBeNull()
    const error = await mock.cowApi.submitOrder(11155111, body).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 400, errorType: 'DuplicatedOrder' })
    expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['ok', 'error'])
    expect(mock.cowApi.submissions[0]?.order).toEqual(body)
  })

  test('behavior: programmed submit answers reject with CowApiError or accept with a given UID', async () => {
    mock = createMockHost({ module: 'm' })
    mock.cowApi.onSubmit('0xabc')
    mock.cowApi.onSubmit(new CowApiError({ status: 429, retryAfter: 3 }), { times: 1 })
    const body = buildOrderCreation({ order, owner, signingScheme: 'presign' })
    await expect(mock.cowApi.submitOrder(1, body)).rejects.toMatchObject({ status: 429, retryAfter: 3 })
    expect(await mock.cowApi.submitOrder(1, body)).toBe('0xabc')
  })

  test('behavior: app data documents, 404 as null, and custom paths', async () => {
    mock = createMockHost({ module: 'm' })
    const hash = mock.cowApi.addAppData('{"appCode":"x"}')
    expect(await mock.cowApi.getAppData(1, hash)).toEqual({ fullAppData: '{"appCode":"x"}' })
    expect(await mock.cowApi.getAppData(1, `0x${'11'.repeat(32)}`)).toBeNull()
    mock.cowApi.onRequest({ method: 'GET', path: /^\/api\/v1\/version/ }, { status: 200, body: '1.0' })
    expect(await mock.cowApi.request(1, 'get', '/api/v1/version')).toEqual({ status: 200, body: '1.0' })
    await expect(mock.cowApi.request(1, 'GET', '/api/v1/other')).rejects.toThrow(/no answer for orderbook GET \/api\/v1\/other/)
  })

  test('behavior: a raw GET of an order answers from the in-memory orderbook, 404 with the orderbook\'s NotFound body', async () => {
    mock = createMockHost({ module: 'm' })
    expect(await mock.cowApi.request(1, 'GET', '/api/v1/orders/0xab')).toEqual({ status: 404, body: { errorType: 'NotFound', description: 'Order was not found' } })
    mock.cowApi.orders.set('0xab', { uid: '0xAB' })
    expect(await mock.cowApi.request(1, 'GET', '/api/v1/orders/0xAB')).toEqual({ status: 200, body: { uid: '0xAB' } })
  })
})

describe('MockHost store, logs, clock', () => {
  test('behavior: values round-trip through JSON-with-bigint and come back as copies', async () => {
    mock = createMockHost({ module: 'm' })
    const value = { next: 5n, parts: [1n, 2n], nested: { ok: true } }
    await mock.store.set('watch:1', value)
    value.parts.push(3n)
    expect(await mock.store.get('watch:1')).toEqual({ next: 5n, parts: [1n, 2n], nested: { ok: true } })
  })

  test('behavior: non-serializable values are refused at set, naming the path', async () => {
    mock = createMockHost({ module: 'm' })
    await expect(mock.store.set('x', { seen: new Set() })).rejects.toThrow(/\$\.seen .*Set/)
    await expect(mock.store.set('x', { at: new Date() })).rejects.toThrow(/Date/)
    await expect(mock.store.set('x', [1, undefined])).rejects.toThrow(/\$\[1\]/)
    await expect(mock.store.set('x', { f: () => 1 })).rejects.toThrow(/function/)
    await expect(mock.store.set('x', Number.NaN)).rejects.toThrow(/NaN/)
  })

  test('behavior: one namespace per module name; list is in key order with a limit', async () => {
    const backend = createMockStoreBackend()
    mock = createMockHost({ module: 'a', storeBackend: backend })
    const other = createMockHost({ module: 'b', storeBackend: backend })
    const again = createMockHost({ module: { name: 'a' }, storeBackend: backend })
    await mock.store.set('watch:2', 2)
    await mock.store.set('watch:1', 1)
    await mock.store.set('submitted:1', true)
    expect(await other.store.get('watch:1')).toBeUndefined()
    expect(await again.store.list('watch:')).toEqual([['watch:1', 1], ['watch:2', 2]])
    expect(await again.store.list('watch:', { limit: 1 })).toEqual([['watch:1', 1]])
    await again.store.delete('watch:1')
    expect(mock.store.entries()).toEqual([['submitted:1', true], ['watch:2', 2]])
  })

  test('behavior: logs and alerts are captured; an alert is also a warn log', () => {
    mock = createMockHost({ module: 'm' })
    mock.host.log.info('hello', { a: 1 })
    mock.host.metrics.alert('price-below', 'fell', { price: 1n })
    expect(mock.logs).toEqual([
      { level: 'info', message: 'hello', fields: { a: 1 } },
      { level: 'warn', message: 'fell', fields: { price: 1n, alert: 'price-below' } },
    ])
    expect(mock.alerts).toEqual([{ kind: 'price-below', message: 'fell', fields: { price: 1n } }])
  })

  test('behavior: the clock is set and advanced by the test', () => {
    mock = createMockHost({ module: 'm', now: 1000 })
    expect(mock.host.clock.now()).toBe(1000)
    mock.clock.advance(500)
    expect(mock.host.clock.now()).toBe(1500)
    mock.clock.set(42)
    expect(mock.clock.now()).toBe(42)
    expect(() => mock.clock.advance(-1)).toThrow(/>= 0/)
  })

  test('behavior: host holds exactly the Host members', () => {
    mock = createMockHost({ module: 'm' })
    const host: Host = mock.host
    expect(Object.keys(host).sort()).toEqual(['chain', 'clock', 'cowApi', 'health', 'log', 'metrics', 'module', 'store'])
    expect(Object.keys(host.metrics).sort()).toEqual(['alert', 'error'])
    expect(Object.keys(host.health).sort()).toEqual(['degraded', 'ok'])
    expect(Object.keys(host.chain).sort()).toEqual(['call', 'getBalance', 'multicall', 'request'])
    expect(Object.keys(host.cowApi).sort()).toEqual(['getAppData', 'getOrder', 'request', 'submitOrder'])
    expect(Object.keys(host.store).sort()).toEqual(['delete', 'get', 'list', 'set'])
  })
})

describe('MockHost faults', () => {
  test('behavior: the next N calls throw the transport error, then answers resume', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.onCall({}, '0x01')
    const handle = mock.faults.throwNext('chain.call', 2)
    await expect(mock.chain.call(1, { to: A, data: '0x' })).rejects.toBeInstanceOf(ChainRequestError)
    await expect(mock.chain.call(1, { to: A, data: '0x' })).rejects.toBeInstanceOf(ChainRequestError)
    expect(handle.remaining()).toBe(0)
    expect(await mock.chain.call(1, { to: A, data: '0x' })).toBe('0x01')
    expect(mock.chain.calls.map((c) => [c.outcome, c.fault])).toEqual([['error', 'throw'], ['error', 'throw'], ['ok', undefined]])
  })

  test('behavior: a matching fault hits only the matching operations; cowApi faults are status-0 CowApiErrors', async () => {
    mock = createMockHost({ module: 'm' })
    mock.chain.onCall({}, '0x01')
    mock.faults.inject({ on: 'chain', times: Infinity, fault: { kind: 'throw', error: new Error('boom') }, match: (r) => r.op === 'chain.call' && r.to === B })
    expect(await mock.chain.call(1, { to: A, data: '0x' })).toBe('0x01')
    await expect(mock.chain.call(1, { to: B, data: '0x' })).rejects.toThrow('boom')
    mock.faults.throwNext('cowApi')
    await expect(mock.cowApi.getOrder(1, '0x')).rejects.toMatchObject({ name: 'CowApiError', status: 0 })
  })

  test('behavior: timeout rejects after the delay; hang stays pending until dispose', async () => {
    mock = createMockHost({ module: 'm' })
    mock.faults.timeoutNext('cowApi.submitOrder', 1, 1)
    await expect(mock.cowApi.submitOrder(1, {} as never)).rejects.toMatchObject({ status: 0, description: expect.stringMatching(/timeout/) })
    mock.faults.hangNext('chain.getBalance')
    let settled = false
    const pending = mock.chain.getBalance(1, A).finally(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    expect(mock.records.at(-1)?.outcome).toBe('pending')
    mock.dispose()
    await expect(pending).rejects.toThrow(/disposed while an operation hung/)
  })

  test('behavior: garbage is reproducible from the seed and has the wrong shape', async () => {
    const run = async (seed: number) => {
      const host = createMockHost({ module: 'm', seed })
      host.faults.garbageNext('chain.call', 20)
      const out: unknown[] = []
      for (let i = 0; i < 20; i++) out.push(await host.chain.call(1, { to: A, data: '0x' }))
      return out
    }
    mock = createMockHost({ module: 'm' })
    const first = await run(7)
    expect(await run(7)).toEqual(first)
    expect(first.some((value) => !/^0x([0-9a-f]{2})*$/.test(String(value)) || String(value).length < 66)).toBe(true)
    mock.faults.inject({ on: 'chain.multicall', fault: { kind: 'garbage', value: 'not an array' } })
    expect(await mock.chain.multicall(1, [])).toBe('not an array')
  })
})
