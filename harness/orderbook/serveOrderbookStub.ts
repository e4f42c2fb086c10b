import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse } from 'msw'
import type { OrderbookStub } from './createOrderbookStub.ts'

export type ServeOrderbookStubParameters = {
  /** Port on 127.0.0.1; 0 picks a free one (read it back from the result). Default 0. */
  port?: number
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export type ServedOrderbookStub = { baseUrl: string; port: number; close(): Promise<void> }

/**
 * Serves the stub's MSW handlers as a real HTTP server on 127.0.0.1, for clients in other
 * processes (the engine CLI). Requests with no handler get a JSON 404; an injected transport
 * fault (status 0) destroys the socket.
 *
 * @example
 * const server = await serveOrderbookStub(stub, { port: 0 })
 * await fetch(`${server.baseUrl}/api/v1/version`)
 * await server.close()
 */
export async function serveOrderbookStub(stub: OrderbookStub, parameters: ServeOrderbookStubParameters = {}): Promise<ServedOrderbookStub> {
  const handlers = stub.handlers('*')
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ errorType: 'InternalServerError', description: error instanceof Error ? error.message : String(error) }))
      } else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const method = req.method ?? 'GET'
    const headers = new Headers()
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value)
      else if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    }
    const hasBody = method !== 'GET' && method !== 'HEAD'
    // The whole body first, as bytes: a web stream per request cost this process more than the handler.
    const requestBody = hasBody ? await readAll(req) : undefined
    const request = new Request(new URL(req.url ?? '/', origin), { method, headers, ...(requestBody ? { body: requestBody } : {}) })
    const response = await getResponse(handlers, request)
    if (!response) {
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ errorType: 'NotFound', description: `no route for ${method} ${req.url}` }))
      return
    }
    if (response.type === 'error') {
      res.destroy()
      return
    }
    const body = Buffer.from(await response.arrayBuffer())
    const outHeaders: Record<string, string> = {}
    response.headers.forEach((value, key) => {
      outHeaders[key] = value
    })
    outHeaders['content-length'] = String(body.length)
    res.writeHead(response.status, outHeaders)
    res.end(body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(parameters.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
