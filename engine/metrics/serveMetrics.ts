import { createServer, type Server } from 'node:http'
import type { Registry } from 'prom-client'
import { ShepherdError } from '../errors/base.ts'

export type AdminRoute = (request: { method: string; path: string; query: URLSearchParams }) => Promise<{ status: number; body: unknown } | undefined>

export type ServeMetricsParameters = {
  registry: Registry
  /** host:port; port 0 picks a free one. */
  bind: string
  /** Answers /healthz: 200 when healthy, 503 otherwise, with the details as JSON. */
  health: () => { ok: boolean; details: Record<string, unknown> }
  /** Extra routes (e.g. the supervisor's admin endpoints). */
  admin?: AdminRoute
}

/**
 * Serves `/metrics` (Prometheus text) and `/healthz` on the configured bind address.
 *
 * @example
 * const server = await serveMetrics({ registry, bind: '127.0.0.1:9100', health: () => ({ ok: true, details: {} }) })
 * await server.close()
 */
export async function serveMetrics({ registry, bind, health, admin }: ServeMetricsParameters) {
  const separator = bind.lastIndexOf(':')
  const host = bind.slice(0, separator).replace(/^\[|\]$/g, '')
  const port = Number(bind.slice(separator + 1))
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://internal')
    try {
      if (url.pathname === '/metrics') {
        response.writeHead(200, { 'content-type': registry.contentType })
        response.end(await registry.metrics())
        return
      }
      if (url.pathname === '/healthz') {
        const state = health()
        response.writeHead(state.ok ? 200 : 503, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ status: state.ok ? 'ok' : 'unhealthy', ...state.details }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
        return
      }
      const answer = await admin?.({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams })
      if (answer) {
        response.writeHead(answer.status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(answer.body))
        return
      }
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found')
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(String(error))
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new ShepherdError(`Cannot serve metrics on ${bind}`, { cause: error, hint: 'Choose another [engine.metrics] bind, or disable metrics.' })),
    )
    server.listen(port, host, resolve)
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
