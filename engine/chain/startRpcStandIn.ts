import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

/** One JSON-RPC request as the stand-in received it. */
export type StandInRequest = { method: string; params: unknown[] }
/** What the stand-in answers for one request: a result, or a JSON-RPC error object as a node words it. */
export type StandInAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } }

export type StartRpcStandInParameters = {
  /** Answers one request (over HTTP, alone or in a batch, and over WebSocket). */
  answer: (request: StandInRequest, transport: 'http' | 'ws') => StandInAnswer
  /**
   * HTTP bodies over this many bytes are refused as a node does: `anvil` answers HTTP 200
   * `{"id":null,"error":{"code":-32600,"message":"Invalid request"}}` (Anvil 1.7.1, over 2 MiB),
   * `geth` answers HTTP 413 "content length too large (N>M)", `hangup` closes the connection
   * before reading the body (what a sender of a large body sees from Anvil now and then).
   */
  maxBodyBytes?: number
  refuseAs?: 'anvil' | 'geth' | 'hangup'
  /** WebSocket messages over this many bytes close the socket with 1009 (geth's read limit does so). */
  maxWsMessageBytes?: number
  /**
   * Breaks the connection before reading an HTTP body when this says so (`index`: 0 for the first
   * body received): a stale keep-alive socket, a load balancer's idle close or a flaky proxy, for a
   * body of any size the node would take.
   */
  breakConnection?: (body: { bytes: number; index: number }) => boolean
}

export type RpcStandIn = {
  httpUrl: string
  wsUrl: string
  /** Bytes of every HTTP body received, in order (refused ones included). */
  readonly bodies: number[]
  /** Every request answered (not the refused bodies), in order. */
  readonly requests: StandInRequest[]
  stop(): Promise<void>
}

/**
 * A JSON-RPC node stand-in on 127.0.0.1 (node:http, and ws on the same port) that answers as the
 * test says: a node's revert dialects, its body limits and the way it refuses an oversized body.
 * It drives the engine's real transports (`createRpcChainSource`, `createChainHost`) where Anvil
 * cannot show another node's behaviour.
 *
 * @example
 * const node = await startRpcStandIn({ answer: ({ method }) => (method === 'eth_chainId' ? { result: '0x1' } : { error: { code: -32601, message: 'Method not found' } }) })
 * // ... createRpcChainSource({ chainId: 1, rpcUrl: node.httpUrl }) ...
 * await node.stop()
 */
export async function startRpcStandIn({ answer, maxBodyBytes, refuseAs = 'anvil', maxWsMessageBytes, breakConnection }: StartRpcStandInParameters): Promise<RpcStandIn> {
  const bodies: number[] = []
  const requests: StandInRequest[] = []
  const reply = (message: unknown, transport: 'http' | 'ws'): unknown => {
    const { id, method, params } = message as { id?: unknown; method?: unknown; params?: unknown }
    const request = { method: String(method), params: Array.isArray(params) ? params : [] }
    requests.push(request)
    return { jsonrpc: '2.0', id, ...answer(request, transport) }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if ((refuseAs === 'hangup' && maxBodyBytes !== undefined && declared > maxBodyBytes) || breakConnection?.({ bytes: declared, index: bodies.length })) {
      bodies.push(declared)
      req.socket.destroy()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      bodies.push(body.length)
      if (maxBodyBytes !== undefined && body.length > maxBodyBytes) {
        if (refuseAs === 'geth') {
          res.writeHead(413, { 'content-type': 'text/plain' })
          res.end(`content length too large (${body.length}>${maxBodyBytes})\n`)
        } else {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } }))
        }
        return
      }
      const parsed = JSON.parse(body.toString('utf8')) as unknown
      const out = Array.isArray(parsed) ? parsed.map((m) => reply(m, 'http')) : reply(parsed, 'http')
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(out))
    })
  })
  const wss = new WebSocketServer({ server, ...(maxWsMessageBytes !== undefined ? { maxPayload: maxWsMessageBytes } : {}) })
  wss.on('connection', (socket) => {
    socket.on('message', (data) => socket.send(JSON.stringify(reply(JSON.parse(data.toString()), 'ws'))))
    socket.on('error', () => {}) // ws closes with 1009 itself for a message over maxPayload
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    bodies,
    requests,
    async stop() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
