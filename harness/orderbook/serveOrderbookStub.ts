import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { keccakReady } from '../../modules/sdk/hash/keccak256.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { answerRoute } from './answerRoute.ts'
import { createRouteMatcher } from './createRouteMatcher.ts'
import { stubRoutes } from './stubRoutes.ts'
import { toWhatwgRequest, type StubRequest } from './stubExchange.ts'
import { JSON_LINES_CONTENT_TYPE, RECORD_ROUTE, recordSince, recordToJsonLines } from './recordJsonLines.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type ServeOrderbookStubParameters = {
  /** Port on 127.0.0.1; 0 picks a free one (read it back from the result). Default 0. */
  port?: number
}

export type ServedOrderbookStub = { baseUrl: string; port: number; close(): Promise<void> }

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Lower-case header names (node:http already lower-cases them); repeats joined as `Headers` does. */
function plainHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers[key] = value
    else if (Array.isArray(value)) headers[key] = value.join(', ')
  }
  return headers
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Serves the stub's routes as a real HTTP server on 127.0.0.1, for clients in other processes
 * (the engine CLI, a user's own bot), and its record as JSON lines on
 * `GET /__shepherd/record[?since=<seq>]` (not recorded itself). Routes are matched here and answered by the same `answerRoute` the MSW
 * handlers use, on plain objects: no `Request`, `Response`, `Headers` or web stream per request
 * (under load those cost this process as much CPU as the routes themselves). Requests with no
 * route get a JSON 404 without an errorType (not the API's NotFound, which means "no such order"); an injected transport fault (status 0) destroys the socket.
 *
 * @example
 * const server = await serveOrderbookStub(stub, { port: 0 })
 * await fetch(`${server.baseUrl}/api/v1/version`)
 * await server.close()
 */
export async function serveOrderbookStub(stub: OrderbookStub, parameters: ServeOrderbookStubParameters = {}): Promise<ServedOrderbookStub> {
  const match = createRouteMatcher(stubRoutes)
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errorType: 'InternalServerError', description: errorMessage(error) })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = req.url ?? '/'
    const mark = url.indexOf('?')
    const path = mark === -1 ? url : url.slice(0, mark)
    if (method === 'GET' && path === RECORD_ROUTE) {
      req.resume()
      sendRecord(res, mark === -1 ? '' : url.slice(mark + 1))
      return
    }
    const matched = match(method, path)
    if (!matched) {
      // Drain the body so the keep-alive connection can carry the next request.
      req.resume()
      // JSON, but no errorType: the API's NotFound means "no such order", and a client must not
      // read a wrong path (a misconfigured orderbook_url) as an order that does not exist.
      sendJson(res, 404, { description: `no route for ${method} ${url}` })
      return
    }
    const hasBody = method !== 'GET' && method !== 'HEAD'
    const request: StubRequest = {
      method,
      path,
      query: mark === -1 ? '' : url.slice(mark + 1),
      headers: plainHeaders(req),
      bodyText: hasBody ? await readAll(req) : '',
    }
    if (!hasBody) req.resume()
    const answer = await answerRoute(stub, matched.route, request, matched.params, () => toWhatwgRequest(request, baseUrl))
    if (answer.status === 0) {
      res.destroy()
      return
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.bodyText) })
    res.end(answer.bodyText)
  }

  // The record is served, not recorded: reading the evidence must not change it.
  function sendRecord(res: ServerResponse, query: string): void {
    const since = recordSince(query)
    if (since === undefined) {
      sendJson(res, 400, { description: `since: expected a record sequence number, got "${new URLSearchParams(query).get('since')}"` })
      return
    }
    const text = recordToJsonLines(stub.record.entries, since)
    res.writeHead(200, { 'content-type': JSON_LINES_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }

  // Order UIDs hash on the WebAssembly keccak from the first request on (not viem's, ~20x slower).
  await keccakReady
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const baseUrl = `http://127.0.0.1:${port}`
  return {
    baseUrl,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
