import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, test } from 'vitest'
import { startBlockClock, type BlockClock } from './startBlockClock.ts'

// A fake node in its own thread: it answers the subscription, then on 'go' sends head 0x11 and,
// skipping 0x12, head 0x13, and reports when it sent them.
const fakeNode = `
const { parentPort, workerData } = require('node:worker_threads')
const { WebSocketServer } = require(workerData.ws)
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
let client
server.on('listening', () => parentPort.postMessage({ port: server.address().port }))
server.on('connection', (socket) => {
  client = socket
  socket.on('message', (data) => {
    const request = JSON.parse(data.toString())
    const result = request.method === 'eth_subscribe' ? '0xabc' : '0x10'
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }))
  })
})
const head = (n) => client.send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: '0xabc', result: { number: '0x' + n.toString(16), timestamp: '0x' + (1000 + n).toString(16) } } }))
parentPort.on('message', (message) => {
  if (message === 'go') {
    const sentAt = Date.now()
    head(0x11)
    head(0x13)
    parentPort.postMessage({ sentAt })
  }
  if (message === 'stop') { server.close(); parentPort.close() }
})
`

let node: Worker | undefined
let clock: BlockClock | undefined
afterEach(async () => {
  await clock?.stop()
  node?.postMessage('stop')
  await node?.terminate()
  clock = node = undefined
})

describe('startBlockClock', () => {
  test('behavior: a block is stamped when the node announces it, even while the main thread is blocked, and a skipped block is named', async () => {
    node = new Worker(fakeNode, { eval: true, workerData: { ws: createRequire(import.meta.url).resolve('ws') } })
    const { port } = await new Promise<{ port: number }>((resolve) => node!.once('message', resolve))
    clock = startBlockClock(`ws://127.0.0.1:${port}`)
    const deadline = Date.now() + 5_000
    while (clock.head() !== 0x10n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(clock.head()).toBe(0x10n)
    const sent = new Promise<{ sentAt: number }>((resolve) => node!.once('message', resolve))
    node.postMessage('go')
    // Block this thread for 400 ms, as a busy load generator would: the stamp must not wait for it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400)
    await clock.waitFor(0x13n, 5_000)
    const { sentAt } = await sent
    expect(clock.seenAt.get(0x11n)! - sentAt).toBeLessThan(200)
    expect(clock.seenAt.get(0x11n)! - sentAt).toBeGreaterThanOrEqual(0)
    expect(clock.timestamps.get(0x11n)).toBe(1000n + 0x11n)
    expect(clock.gaps()).toEqual([0x12n])
    expect(clock.source).toMatch(/worker thread.*newHeads/)
  })

  test('behavior: an http URL is refused, naming what it needs', () => {
    expect(() => startBlockClock('http://127.0.0.1:8545')).toThrow(/WebSocket URL/)
  })
})
