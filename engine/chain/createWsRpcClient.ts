import WebSocket from 'ws'
import { ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import type { RequestSizeLimit } from './createRequestSizeLimit.ts'

export type CreateWsRpcClientParameters = {
  url: string
  /** Per-request timeout, ms. */
  timeoutMs?: number
  /** First reconnect delay after a drop, ms; doubles per failed attempt. */
  minBackoffMs?: number
  /** Reconnect delay cap, ms. */
  maxBackoffMs?: number
  /** Called each time a new socket opens after the previous one dropped. */
  onReconnect?: () => void
  /** Called when the socket drops (before any reconnect). */
  onDrop?: (reason: string) => void
  /** For errors: the chain this socket serves. */
  chainId?: number
  /** The chain's request size budget, lowered when the node closes the socket for a message too big. */
  limit?: RequestSizeLimit
}

/** WebSocket close code 1009: the peer refuses a message this big (geth: over 15 MB by default). */
const MESSAGE_TOO_BIG = 1009

/** A JSON-RPC error answer, with its code kept (so "too many results" -32005 can be recognised). */
export class WsRpcError extends Error {
  override name = 'WsRpcError'
  constructor(message: string, readonly code: number | undefined, readonly data?: unknown) {
    super(message)
  }
}

type Pending = { method: string; bytes: number; resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }

/**
 * A JSON-RPC client over one WebSocket that survives drops: when the socket closes, every pending
 * request fails at once (nobody waits on a dead socket), and a new socket is opened with
 * exponential backoff. A request made while the socket is down opens it (or fails fast during a
 * backoff pause), so a polling caller keeps working. Head subscriptions are renewed on every new
 * socket.
 *
 * @example
 * const ws = createWsRpcClient({ url: 'ws://127.0.0.1:8545', onReconnect: () => backfill() })
 * const head = await ws.request('eth_blockNumber', [])
 */
export function createWsRpcClient({ url, timeoutMs = 10_000, minBackoffMs = 100, maxBackoffMs = 5_000, onReconnect, onDrop, chainId = 0, limit }: CreateWsRpcClientParameters) {
  let socket: WebSocket | undefined
  let opening: Promise<WebSocket> | undefined
  let failures = 0
  let retryAt = 0
  let everOpened = false
  let closed = false
  let reconnectTimer: NodeJS.Timeout | undefined
  let nextId = 1
  const pending = new Map<number, Pending>()
  const headListeners = new Set<{ onHead: (n: bigint) => void; onError: (e: unknown) => void }>()
  const subscriptionIds = new Set<string>()

  function failAll(error: Error) {
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      pending.delete(id)
      p.reject(error)
    }
  }

  // The node closed the socket for a message too big: which one is not said, so the largest pending
  // one lowers the limit, and every pending message above the new limit fails as too large (its
  // caller splits it); the others fail as any drop does.
  function failTooBig(reason: string) {
    let largest = 0
    for (const p of pending.values()) largest = Math.max(largest, p.bytes)
    const bytesNow = limit?.shrink(largest) ?? largest - 1
    for (const [id, p] of pending)
      if (p.bytes > bytesNow) {
        clearTimeout(p.timer)
        pending.delete(id)
        p.reject(new ChainRequestTooLargeError({ chainId, method: p.method, bytes: p.bytes, answer: reason, limitBytes: limit?.bytes }))
      }
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer || headListeners.size === 0) return
    const delay = Math.max(0, retryAt - Date.now())
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      open().catch(() => scheduleReconnect())
    }, delay)
    reconnectTimer.unref()
  }

  function onMessage(data: WebSocket.RawData) {
    let message: unknown
    try {
      message = JSON.parse(data.toString())
    } catch {
      return // Not JSON: nothing can be matched to it; the request times out and is retried.
    }
    for (const m of Array.isArray(message) ? message : [message]) {
      if (m === null || typeof m !== 'object') continue
      const msg = m as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown }; method?: unknown; params?: { subscription?: unknown; result?: { number?: unknown } } }
      if (msg.method === 'eth_subscription') {
        const n = msg.params?.result?.number
        if (typeof msg.params?.subscription === 'string' && subscriptionIds.has(msg.params.subscription) && typeof n === 'string' && /^0x[0-9a-f]+$/i.test(n))
          for (const l of headListeners) l.onHead(BigInt(n))
        continue
      }
      if (typeof msg.id !== 'number') continue
      const p = pending.get(msg.id)
      if (!p) continue
      pending.delete(msg.id)
      clearTimeout(p.timer)
      limit?.answered(p.bytes)
      if (msg.error) p.reject(new WsRpcError(String(msg.error.message ?? 'RPC error'), typeof msg.error.code === 'number' ? msg.error.code : undefined, msg.error.data))
      else p.resolve(msg.result)
    }
  }

  function send(ws: WebSocket, method: string, params: unknown[]): Promise<unknown> {
    const id = nextId++
    const message = JSON.stringify({ jsonrpc: '2.0', id, method, params })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new WsRpcError(`${method} timed out after ${timeoutMs} ms`, undefined))
      }, timeoutMs)
      // Characters, not bytes: equal for JSON-RPC hex and cheap on multi-megabyte messages.
      pending.set(id, { method, bytes: message.length, resolve, reject, timer })
      ws.send(message, (error) => {
        if (!error) return
        pending.delete(id)
        clearTimeout(timer)
        reject(error)
      })
    })
  }

  async function subscribeHeads(ws: WebSocket) {
    subscriptionIds.clear()
    try {
      const id = await send(ws, 'eth_subscribe', ['newHeads'])
      if (typeof id === 'string') subscriptionIds.add(id)
    } catch (error) {
      for (const l of headListeners) l.onError(error)
    }
  }

  function open(): Promise<WebSocket> {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket)
    if (opening) return opening
    if (closed) return Promise.reject(new WsRpcError(`WebSocket client for ${url} is closed`, undefined))
    if (Date.now() < retryAt) return Promise.reject(new WsRpcError(`WebSocket to ${url} is down; reconnecting in ${retryAt - Date.now()} ms`, undefined))
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs })
      ws.once('open', () => {
        opening = undefined
        failures = 0
        retryAt = 0
        socket = ws
        if (everOpened) onReconnect?.()
        everOpened = true
        if (headListeners.size) void subscribeHeads(ws)
        resolve(ws)
      })
      ws.on('message', onMessage)
      ws.on('error', () => {}) // 'close' follows and carries the handling
      ws.once('close', (code) => {
        const wasOpen = socket === ws
        if (wasOpen) socket = undefined
        if (opening && !wasOpen) opening = undefined
        const reason = `WebSocket to ${url} closed (code ${code})`
        // A message too big says nothing about the node's health: reopen at once, so the smaller
        // requests its callers split it into go out now, not after a backoff pause.
        if (code === MESSAGE_TOO_BIG && wasOpen) failTooBig(`${reason}: message too big`)
        else {
          failures++
          retryAt = Date.now() + Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(failures - 1, 10))
        }
        failAll(new WsRpcError(reason, undefined))
        if (wasOpen) {
          onDrop?.(reason)
          for (const l of headListeners) l.onError(new WsRpcError(reason, undefined))
        }
        if (!wasOpen) reject(new WsRpcError(`WebSocket to ${url} could not open`, undefined))
        scheduleReconnect()
      })
    })
    return opening
  }

  return {
    /** Sends one JSON-RPC request; rejects at once if the socket drops or is in a backoff pause. */
    async request(method: string, params: readonly unknown[] = []): Promise<unknown> {
      return send(await open(), method, [...params])
    },
    /** Pushes new head numbers; the subscription is renewed on every new socket. */
    watchHeads(onHead: (n: bigint) => void, onError: (e: unknown) => void): () => void {
      const listener = { onHead, onError }
      headListeners.add(listener)
      if (socket?.readyState === WebSocket.OPEN) {
        if (headListeners.size === 1) void subscribeHeads(socket)
      } else open().catch(() => scheduleReconnect())
      return () => void headListeners.delete(listener)
    },
    close() {
      closed = true
      if (reconnectTimer) clearTimeout(reconnectTimer)
      failAll(new WsRpcError('WebSocket client closed', undefined))
      socket?.close()
      socket = undefined
    },
  }
}

export type WsRpcClient = ReturnType<typeof createWsRpcClient>
