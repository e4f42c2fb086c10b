import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { createPrng } from '../orderbook/createPrng.ts'
import { assertFaultKnobs, neverFailed, rateFor, type FaultKnobs } from './faultKnobs.ts'
import { createFaultRecord, type FaultRecord } from './faultRecord.ts'

export type StartFaultProxyParameters = {
  /** The node behind the proxy, http(s); its WebSocket is the same host and port (Anvil serves both). */
  target: string
  /** Port to listen on, on 127.0.0.1; 0 picks a free one. */
  port?: number
  /** Seed for the fault draws, so a run is reproducible when requests arrive in the same order. */
  seed?: number
  knobs?: FaultKnobs
}

export type FaultProxy = {
  url: string
  wsUrl: string
  knobs(): FaultKnobs
  /** Replaces the knobs given (others stay); `null` clears one. */
  setKnobs(knobs: { [K in keyof FaultKnobs]?: FaultKnobs[K] | null }): void
  /** True while `downForMs` holds the node down. */
  isDown(): boolean
  /** Drops every WebSocket connection now; returns how many. */
  dropWebSockets(): number
  /** Requests forwarded to the node and not answered yet, over every connection: what a client has in flight now. */
  pending(): number
  /**
   * Counters by kind (and `kind:method`): `request`, `fail` (injected), `ws_drop` (one per drop of
   * all connections), `ws_drop_pending` (requests in flight on a dropped socket, or answered in the
   * 50 ms before it: the client fails them when its socket closes), `node_error` (the node answered
   * with an error that is not a revert), `node_revert`, `delay`, `lag`, `truncate`, `down` (one per
   * outage span), `down_cut` (connections cut when it began), `down_refused` (connections reset
   * while down).
   */
  record: FaultRecord
  stop(): Promise<void>
}

type RpcRequest = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown }
type RpcAnswer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string } }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/** An answer sent this recently may still be in transit when its socket is dropped: the client may fail it. */
const IN_TRANSIT_MS = 50

/** A node error that is a revert (EIP-1474 code 3, or a message that says so, as geth's -32000 does): the node's answer, not a failure. */
const isRevert = (error: { code?: unknown; message?: unknown }) => error.code === 3 || /revert/i.test(String(error.message ?? ''))

/**
 * A JSON-RPC and WebSocket proxy on 127.0.0.1 between the engine and a node, that injects faults:
 * WebSocket drops on a schedule (bounded by `maxWsDrops`), failed or delayed requests by method
 * (seeded draws), a lagging `eth_blockNumber`, ranged `eth_getLogs` answers cut short, and the
 * node down for a bounded span (every connection reset, `downForMs`). Knobs
 * change at run time; `record` counts every fault injected.
 *
 * @example
 * const proxy = await startFaultProxy({ target: devnet.rpcUrl, knobs: { failRate: 0.1, dropWsEveryMs: 10_000, maxWsDrops: 12 } })
 * // point the engine at proxy.wsUrl ... then
 * proxy.setKnobs({ downForMs: 60_000 }) // the node is unreachable for a minute, then back by itself
 * await proxy.stop()
 */
export async function startFaultProxy({ target, port = 0, seed = 1, knobs: initial = {} }: StartFaultProxyParameters): Promise<FaultProxy> {
  assertFaultKnobs(initial)
  let knobs: FaultKnobs = { ...initial }
  const random = createPrng(seed)
  const { record, count } = createFaultRecord()
  const targetWs = target.replace(/^http/, 'ws')
  const clients = new Set<WebSocket>()
  // Per client: requests forwarded and not answered, and when answers were last sent (for a drop).
  const connections = new Map<WebSocket, { inFlight: Map<unknown, RpcRequest>; answeredAt: number[] }>()
  let dropTimer: NodeJS.Timeout | undefined
  let stopped = false
  // The outage: until when every connection is reset, and the timer that ends it (so the knob clears itself).
  let downUntil = 0
  let downTimer: NodeJS.Timeout | undefined
  const isDown = () => Date.now() < downUntil

  function decide(request: RpcRequest): { fail: boolean; delay: boolean } {
    const method = String(request.method)
    const fail = !neverFailed.has(method) && random() < rateFor(knobs.failRate, method)
    const delay = !fail && (knobs.delayMs ?? 0) > 0 && random() < rateFor(knobs.delayRate, method)
    return { fail, delay }
  }

  /** Counts a node's error answer (a revert apart), then rewrites the answer: a lagging head, a short logs answer. */
  function rewrite(request: RpcRequest, answer: RpcAnswer): RpcAnswer {
    const method = String(request.method)
    if (answer.error) count(isRevert(answer.error) ? 'node_revert' : 'node_error', method)
    if (method === 'eth_blockNumber' && (knobs.lagBlocks ?? 0) > 0 && typeof answer.result === 'string') {
      const head = BigInt(answer.result)
      const lagged = head > BigInt(knobs.lagBlocks!) ? head - BigInt(knobs.lagBlocks!) : 0n
      count('lag', method)
      return { ...answer, result: `0x${lagged.toString(16)}` }
    }
    if (method === 'eth_getLogs' && Array.isArray(answer.result) && answer.result.length && (knobs.truncateLogsRate ?? 0) > 0) {
      const filter = Array.isArray(request.params) ? (request.params[0] as { blockHash?: unknown } | undefined) : undefined
      if (filter?.blockHash === undefined && random() < knobs.truncateLogsRate!) {
        const blocks = [...new Set(answer.result.map((l) => String((l as { blockNumber?: unknown }).blockNumber)))]
        const kept = new Set(blocks.slice(0, Math.floor(blocks.length / 2)))
        const result = answer.result.filter((l) => kept.has(String((l as { blockNumber?: unknown }).blockNumber)))
        count('truncate', method, `${answer.result.length - result.length} of ${answer.result.length} logs dropped`)
        return { ...answer, result }
      }
    }
    return answer
  }

  const injectedError = (request: RpcRequest): RpcAnswer => ({ jsonrpc: '2.0', id: request.id ?? null, error: { code: -32603, message: 'injected fault (harness/faults)' } })

  async function forwardHttp(request: RpcRequest): Promise<RpcAnswer> {
    count('request', String(request.method))
    const { fail, delay } = decide(request)
    if (fail) {
      count('fail', String(request.method))
      return injectedError(request)
    }
    if (delay) {
      count('delay', String(request.method))
      await sleep(knobs.delayMs!)
    }
    const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })
    return rewrite(request, (await response.json()) as RpcAnswer)
  }

  async function onHttp(req: IncomingMessage, res: import('node:http').ServerResponse) {
    try {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const body = JSON.parse(Buffer.concat(chunks).toString()) as RpcRequest | RpcRequest[]
      const answer = Array.isArray(body) ? await Promise.all(body.map(forwardHttp)) : await forwardHttp(body)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: `proxy: ${String(error)}` } }))
    }
  }

  function onWsConnection(client: WebSocket) {
    clients.add(client)
    count('ws_connection')
    const upstream = new WebSocket(targetWs)
    const queue: string[] = []
    const inFlight = new Map<unknown, RpcRequest>()
    const answeredAt: number[] = []
    connections.set(client, { inFlight, answeredAt })
    const answered = () => {
      const now = Date.now()
      answeredAt.push(now)
      while (answeredAt.length && answeredAt[0]! < now - IN_TRANSIT_MS) answeredAt.shift()
    }
    const close = () => {
      clients.delete(client)
      connections.delete(client)
      if (client.readyState !== WebSocket.CLOSED) client.terminate()
      if (upstream.readyState !== WebSocket.CLOSED) upstream.terminate()
    }
    upstream.on('open', () => {
      for (const text of queue.splice(0)) upstream.send(text)
    })
    upstream.on('message', (data) => {
      let message: RpcAnswer
      try {
        message = JSON.parse(data.toString()) as RpcAnswer
      } catch {
        return
      }
      const request = message && typeof message === 'object' && 'id' in message ? inFlight.get(message.id) : undefined
      if (request) inFlight.delete(message.id)
      if (client.readyState === WebSocket.OPEN) {
        client.send(JSON.stringify(request ? rewrite(request, message) : message))
        if (request) answered()
      }
    })
    upstream.on('error', close)
    upstream.on('close', close)
    client.on('error', close)
    client.on('close', close)
    client.on('message', async (data) => {
      let request: RpcRequest
      try {
        request = JSON.parse(data.toString()) as RpcRequest
      } catch {
        return
      }
      if (Array.isArray(request) || typeof request !== 'object' || request === null) return void send(data.toString())
      count('request', String(request.method))
      const { fail, delay } = decide(request)
      if (fail) {
        count('fail', String(request.method))
        if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify(injectedError(request)))
        answered()
        return
      }
      // In flight from here: a request held back by the delay knob is one the client is waiting for.
      inFlight.set(request.id, request)
      if (delay) {
        count('delay', String(request.method))
        await sleep(knobs.delayMs!)
      }
      send(JSON.stringify(request))
    })
    function send(text: string) {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text)
      else if (upstream.readyState === WebSocket.CONNECTING) queue.push(text)
      else close() // never swallow a request: the client sees its socket close and fails at once
    }
  }

  function dropWebSockets(): number {
    const n = clients.size
    const now = Date.now()
    for (const client of [...clients]) {
      const connection = connections.get(client)
      // What the client fails when its socket closes: its requests in flight, and answers perhaps still in transit.
      const lost = (connection?.inFlight.size ?? 0) + (connection?.answeredAt.filter((at) => at >= now - IN_TRANSIT_MS).length ?? 0)
      if (lost) count('ws_drop_pending', undefined, `${lost} requests`, lost)
      connections.delete(client)
      client.terminate()
    }
    if (n) count('ws_drop', undefined, `${n} connections`)
    return n
  }

  function schedule() {
    if (dropTimer) clearInterval(dropTimer)
    dropTimer = undefined
    if (!knobs.dropWsEveryMs || stopped) return
    const max = knobs.maxWsDrops ?? 100
    let drops = 0
    dropTimer = setInterval(() => {
      // Bounded: the schedule stops itself after `maxWsDrops`.
      if (++drops > max || stopped) return void clearInterval(dropTimer)
      count('ws_drop_scheduled')
      dropWebSockets()
    }, knobs.dropWsEveryMs)
    dropTimer.unref()
  }

  /** Starts (or ends, for 0 / null) an outage of `ms` from now: cuts every open connection; new ones are reset until it ends. */
  function setDown(ms: number | undefined) {
    if (downTimer) clearTimeout(downTimer)
    downTimer = undefined
    if (!ms || stopped) {
      downUntil = 0
      return
    }
    downUntil = Date.now() + ms
    count('down', undefined, `${ms} ms`)
    let cut = 0
    for (const client of [...clients]) {
      connections.delete(client)
      clients.delete(client)
      client.terminate()
      cut++
    }
    for (const socket of [...sockets]) {
      socket.destroy()
      cut++
    }
    if (cut) count('down_cut', undefined, `${cut} connections`, cut)
    downTimer = setTimeout(() => {
      downUntil = 0
      const { downForMs: _over, ...rest } = knobs
      knobs = rest
    }, ms)
    downTimer.unref()
  }

  const server: Server = createServer((req, res) => void onHttp(req, res))
  // Every accepted socket, so an outage can cut keep-alive and upgraded ones too.
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (socket) => {
    if (isDown()) {
      count('down_refused')
      socket.destroy()
      return
    }
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onWsConnection(ws)))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actualPort = (server.address() as AddressInfo).port
  schedule()
  setDown(knobs.downForMs)

  return {
    url: `http://127.0.0.1:${actualPort}`,
    wsUrl: `ws://127.0.0.1:${actualPort}`,
    knobs: () => ({ ...knobs }),
    setKnobs(changes) {
      const next = { ...knobs } as Record<string, unknown>
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) delete next[key]
        else next[key] = value
      }
      assertFaultKnobs(next as FaultKnobs)
      knobs = next as FaultKnobs
      if ('dropWsEveryMs' in changes || 'maxWsDrops' in changes) schedule()
      if ('downForMs' in changes) setDown(knobs.downForMs)
    },
    isDown,
    dropWebSockets,
    pending: () => [...connections.values()].reduce((sum, c) => sum + c.inFlight.size, 0),
    record,
    async stop() {
      stopped = true
      if (dropTimer) clearInterval(dropTimer)
      if (downTimer) clearTimeout(downTimer)
      for (const client of [...clients]) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
