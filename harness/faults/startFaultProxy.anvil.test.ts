import { afterAll, beforeAll, expect, test } from 'vitest'
import { createWsRpcClient } from '../../engine/chain/createWsRpcClient.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { startFaultProxy } from './startFaultProxy.ts'

let net: Devnet
beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  await net.mine(10)
})
afterAll(async () => {
  await net?.stop()
})

const rpc = async (url: string, method: string, params: unknown[] = []) =>
  (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result?: unknown; error?: { message: string } }

test('behavior: with no knobs the proxy is transparent over http and WebSocket', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl })
  const ws = createWsRpcClient({ url: proxy.wsUrl })
  try {
    const direct = await rpc(net.rpcUrl, 'eth_blockNumber')
    expect(await rpc(proxy.url, 'eth_blockNumber')).toEqual(direct)
    expect(await ws.request('eth_blockNumber')).toBe(direct.result)
    expect(proxy.record.counters.fail ?? 0).toBe(0)
  } finally {
    ws.close()
    await proxy.stop()
  }
})

test('behavior: failRate by method fails about that share, seeded, and counts each one', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl, seed: 3, knobs: { failRate: { eth_blockNumber: 0.3 } } })
  try {
    let failed = 0
    for (let i = 0; i < 200; i++) if ((await rpc(proxy.url, 'eth_blockNumber')).error) failed++
    for (let i = 0; i < 20; i++) expect((await rpc(proxy.url, 'eth_chainId')).error).toBeUndefined()
    expect(failed).toBe(proxy.record.counters['fail:eth_blockNumber'])
    expect(failed).toBeGreaterThan(30)
    expect(failed).toBeLessThan(90)
  } finally {
    await proxy.stop()
  }
})

test('behavior: a lagging head, truncated logs and knobs changed at run time', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl, knobs: { lagBlocks: 4 } })
  try {
    const head = BigInt((await rpc(net.rpcUrl, 'eth_blockNumber')).result as string)
    expect(BigInt((await rpc(proxy.url, 'eth_blockNumber')).result as string)).toBe(head - 4n)
    proxy.setKnobs({ lagBlocks: null })
    expect(BigInt((await rpc(proxy.url, 'eth_blockNumber')).result as string)).toBe(head)
    expect(() => proxy.setKnobs({ failRate: 2 })).toThrow(/failRate must be in \[0, 1\]/)
  } finally {
    await proxy.stop()
  }
})

test('behavior: scheduled WebSocket drops stop by themselves after maxWsDrops, and a reconnecting client keeps answering', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl, knobs: { dropWsEveryMs: 50, maxWsDrops: 3 } })
  let reconnects = 0
  const ws = createWsRpcClient({ url: proxy.wsUrl, minBackoffMs: 10, onReconnect: () => reconnects++ })
  try {
    const deadline = Date.now() + 5_000
    let answered = 0
    while (Date.now() < deadline && (proxy.record.counters.ws_drop_scheduled ?? 0) < 3) {
      await ws.request('eth_blockNumber').then(() => answered++, () => {})
      await new Promise((r) => setTimeout(r, 5))
    }
    await new Promise((r) => setTimeout(r, 300)) // the schedule would have dropped ~6 more by now
    await ws.request('eth_blockNumber')
    expect(proxy.record.counters.ws_drop_scheduled).toBe(3)
    expect(proxy.record.counters.ws_drop).toBeGreaterThanOrEqual(1)
    expect(reconnects).toBeGreaterThanOrEqual(proxy.record.counters.ws_drop!)
    expect(answered).toBeGreaterThan(0)
  } finally {
    ws.close()
    await proxy.stop()
  }
})

test('behavior: a drop counts the requests the client had in flight, and node errors are counted apart from reverts', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl, knobs: { delayRate: { eth_blockNumber: 1 }, delayMs: 500 } })
  const ws = createWsRpcClient({ url: proxy.wsUrl })
  try {
    await ws.request('eth_chainId')
    // Two requests held back by the delay knob: in flight when the socket is dropped, and failed by the client.
    const held = [ws.request('eth_blockNumber'), ws.request('eth_blockNumber')].map((p) => p.then(() => 'answered', () => 'failed'))
    await new Promise((r) => setTimeout(r, 100))
    expect(proxy.pending()).toBe(2)
    // The eth_chainId answer went out more than 50 ms ago: no longer in transit, so not counted.
    expect(proxy.dropWebSockets()).toBe(1)
    expect(await Promise.all(held)).toEqual(['failed', 'failed'])
    expect(proxy.record.counters.ws_drop_pending).toBe(2)
    expect(proxy.pending()).toBe(0)

    proxy.setKnobs({ delayRate: null, delayMs: null })
    // A request made while the client waits to reconnect fails without reaching the proxy: not counted there.
    const requestsBefore = proxy.record.counters.request
    await expect(ws.request('eth_chainId')).rejects.toThrow(/is down; reconnecting/)
    expect(proxy.record.counters.request).toBe(requestsBefore)
    await new Promise((r) => setTimeout(r, 150))
    const revert = await ws.request('eth_call', [{ to: sepoliaAddresses.gpv2Settlement, data: '0xdeadbeef' }, 'latest']).catch((error: { code?: number }) => error)
    expect(revert).toMatchObject({ code: 3 })
    await ws.request('eth_getBlockByNumber', ['latest']).catch(() => undefined) // missing its second parameter: -32602
    expect(proxy.record.counters['node_revert:eth_call']).toBe(1)
    expect(proxy.record.counters['node_error:eth_getBlockByNumber']).toBe(1)
    expect(proxy.record.counters.node_error).toBe(1)
  } finally {
    ws.close()
    await proxy.stop()
  }
})

test('behavior: downForMs resets every connection (HTTP and WebSocket, open and new) for its span, counts them, then serves again by itself', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl })
  const ws = createWsRpcClient({ url: proxy.wsUrl })
  try {
    expect(await ws.request('eth_blockNumber')).toBeDefined()
    proxy.setKnobs({ downForMs: 600 })
    expect(proxy.isDown()).toBe(true)
    expect(proxy.knobs().downForMs).toBe(600)
    // A fresh HTTP request cannot get through: its connection is reset (fetch fails, no JSON-RPC answer).
    await expect(rpc(proxy.url, 'eth_blockNumber')).rejects.toThrow()
    await expect(rpc(proxy.url, 'eth_chainId')).rejects.toThrow()
    // The open WebSocket was cut; a new one is refused.
    await expect(ws.request('eth_blockNumber')).rejects.toThrow()
    expect(proxy.record.counters.down).toBe(1)
    expect(proxy.record.counters.down_cut).toBeGreaterThanOrEqual(1)
    expect(proxy.record.counters.down_refused).toBeGreaterThanOrEqual(2)
    await new Promise((r) => setTimeout(r, 700))
    expect(proxy.isDown()).toBe(false)
    expect(proxy.knobs().downForMs).toBeUndefined()
    expect(await rpc(proxy.url, 'eth_blockNumber')).toEqual(await rpc(net.rpcUrl, 'eth_blockNumber'))
  } finally {
    ws.close()
    await proxy.stop()
  }
})

test('behavior: setKnobs({ downForMs: null }) ends an outage early; a span past the bound is refused', async () => {
  const proxy = await startFaultProxy({ target: net.rpcUrl })
  try {
    proxy.setKnobs({ downForMs: 60_000 })
    await expect(rpc(proxy.url, 'eth_blockNumber')).rejects.toThrow()
    proxy.setKnobs({ downForMs: null })
    expect(proxy.isDown()).toBe(false)
    expect((await rpc(proxy.url, 'eth_blockNumber')).result).toBeDefined()
    expect(() => proxy.setKnobs({ downForMs: 3_600_001 })).toThrow(/at most 3600000 ms/)
  } finally {
    await proxy.stop()
  }
})
