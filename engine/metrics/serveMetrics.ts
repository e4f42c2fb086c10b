import { createServer, type Server } from 'node:http'
import type { Registry } from 'prom-client'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'
import { authorizeAdmin } from './authorizeAdmin.ts'
import { splitBind } from './splitBind.ts'

export type AdminRoute = (request: { method: string; path: string; query: URLSearchParams }) => Promise<{ status: number; body: unknown } | undefined>

export type ServeMetricsParameters = {
  registry: Registry
  /** host:port; port 0 picks a free one. */
  bind: string
  /** Answers /healthz: 200 `{ ok: true, status: 'ok', ...details }` when healthy, 503 `{ ok: false, status: 'unhealthy', ...details }` otherwise. */
  health: () => { ok: boolean; details: Record<string, unknown> }
  /** Extra routes (e.g. the supervisor's admin endpoints), served under `/admin` only to authorized clients. */
  admin?: AdminRoute
  /** `[engine.admin] token`: when set, admin requests need `Authorization: Bearer <token>`; unset, only loopback clients reach them. */
  adminToken?: string
  /** Where a failed request's detail goes (the client gets a generic 500). */
  log?: LogHost
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))

/**
 * Serves `/metrics` (Prometheus text) and `/healthz` on the configured bind address, open to any
 * client (Prometheus scrapes them), and the admin routes under `/admin`, which are not: see
 * `authorizeAdmin`. A request that fails answers 500 with a generic body; the detail is logged.
 *
 * @example
 * const server = await serveMetrics({ registry, bind: '127.0.0.1:9100', health: () => ({ ok: true, details: {} }) })
 * await server.close()
 */
export async function serveMetrics({ registry, bind, health, admin, adminToken, log }: ServeMetricsParameters) {
  const { host, port } = splitBind(bind)
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
        response.end(json({ ok: state.ok, status: state.ok ? 'ok' : 'unhealthy', ...state.details }))
        return
      }
      if (admin && (url.pathname === '/admin' || url.pathname.startsWith('/admin/'))) {
        const refusal = authorizeAdmin({ remoteAddress: request.socket.remoteAddress, authorization: request.headers.authorization, token: adminToken })
        if (refusal) {
          response.writeHead(refusal.status, { 'content-type': 'application/json', ...(refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) })
          response.end(json({ error: refusal.error }))
          return
        }
        const answer = await admin({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams })
        if (answer) {
          response.writeHead(answer.status, { 'content-type': 'application/json' })
          response.end(json(answer.body))
          return
        }
      }
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found')
    } catch (error) {
      log?.error('metrics server request failed', { path: url.pathname, method: request.method, error: errorMessage(error) })
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' })
      response.end(json({ error: 'internal error; the engine log has the detail' }))
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
