import { http, HttpResponse, type HttpHandler } from 'msw'
import type { Address, Hex } from 'viem'
import type { OrderbookStub } from './createOrderbookStub.ts'
import { decideFault, latencyFor, type InjectedResponse, type RequestFacts } from './knobs.ts'
import { apiError, defaultErrorFor } from './apiError.ts'
import { orderRoutes } from './orderRoutes.ts'
import { appDataRoutes } from './appDataRoutes.ts'
import { quoteRoutes } from './quoteRoutes.ts'

/** What a route sees: the stub, the request, its parsed body and path parameters. */
export type RouteContext = {
  stub: OrderbookStub
  request: Request
  body: unknown
  params: Record<string, string>
}

/** What `inspect` learns before faults are decided (so rules can match on UID and owner). */
export type RouteFacts = { uid?: Hex; owner?: Address; prepared?: unknown }

/** What a route answers; `injected` names a knob that changed the answer (the lossy mode). */
export type RouteAnswer = { response: Response; injected?: string; uid?: Hex }

/** One endpoint of the real API. */
export type Route = {
  method: 'GET' | 'POST' | 'PUT'
  /** Path under the base URL, in MSW syntax: `/api/v1/orders/:uid`. */
  path: string
  inspect?(context: RouteContext): Promise<RouteFacts> | RouteFacts
  resolve(context: RouteContext & { facts: RouteFacts }): Promise<RouteAnswer> | RouteAnswer
}

const versionRoute: Route = {
  method: 'GET',
  path: '/api/v1/version',
  resolve: ({ stub }) => ({ response: HttpResponse.text(stub.version) }),
}

const methods = { GET: http.get, POST: http.post, PUT: http.put } as const

/**
 * The stub's MSW handlers on the real orderbook paths. Every answer passes through latency and
 * fault knobs, and lands in `stub.record`. The same array serves in process (`setupServer`) and
 * behind `node:http` (`getResponse`).
 *
 * @example
 * const server = setupServer(...createOrderbookHandlers(stub, 'http://orderbook.shepherd.test'))
 */
export function createOrderbookHandlers(stub: OrderbookStub, baseUrl = '*'): HttpHandler[] {
  const base = baseUrl.replace(/\/+$/, '')
  const routes = [...orderRoutes, ...appDataRoutes, ...quoteRoutes, versionRoute]
  return routes.map((route) =>
    methods[route.method](`${base}${route.path}`, async ({ request, params }) => {
      const { random, uses, now } = stub.internals
      const at = now()
      const entrySeq = stub.internals.nextSeq()
      const body = await readBody(request)
      const context: RouteContext = { stub, request, body, params: stringParams(params) }
      const facts = route.inspect ? await route.inspect(context) : {}
      const path = new URL(request.url).pathname
      const requestFacts: RequestFacts = { method: request.method, path, body, request, ...pick(facts) }
      const delay = latencyFor(stub.knobs.latencyMs, random)
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      const fault = decideFault(stub.knobs, requestFacts, random, uses)
      const answer: RouteAnswer = fault
        ? { response: faultResponse(fault.respond), injected: fault.injected }
        : await route.resolve({ ...context, facts })
      const uid = answer.uid ?? facts.uid
      // The answer's body is read once, for the record, and the reply is rebuilt from that text:
      // cheaper than `clone()`, which tees the body stream on every request.
      const { response, recorded } = await settle(answer.response)
      stub.record.push({
        seq: entrySeq,
        at,
        answeredAt: now(),
        delayMs: delay,
        method: request.method,
        path,
        body,
        status: response.status,
        responseBody: recorded,
        ...(uid ? { uid } : {}),
        ...(answer.injected ? { injected: answer.injected } : {}),
      })
      return response
    }),
  )
}

function faultResponse(respond: InjectedResponse): Response {
  if (respond.status === 0) return HttpResponse.error()
  const fallback = defaultErrorFor(respond.status)
  return apiError(respond.status, respond.errorType ?? fallback.errorType, respond.description ?? fallback.description, {
    ...(respond.retryAfter !== undefined ? { retryAfter: respond.retryAfter } : {}),
    ...(respond.data !== undefined ? { data: respond.data } : {}),
  })
}

async function readBody(request: Request): Promise<unknown> {
  // Read once: every route works from this parsed body, never from the request again.
  const text = await request.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The response to send (rebuilt from its text) and its body as the record keeps it. */
async function settle(response: Response): Promise<{ response: Response; recorded: unknown }> {
  if (response.type === 'error' || response.status === 0) return { response, recorded: undefined }
  const text = await response.text()
  const rebuilt = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers })
  if (!(response.headers.get('Content-Type') ?? '').includes('json')) return { response: rebuilt, recorded: text }
  try {
    return { response: rebuilt, recorded: JSON.parse(text) as unknown }
  } catch {
    return { response: rebuilt, recorded: text }
  }
}

function stringParams(params: Record<string, string | readonly string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') out[key] = value
  return out
}

function pick(facts: RouteFacts): { uid?: Hex; owner?: Address } {
  return { ...(facts.uid ? { uid: facts.uid } : {}), ...(facts.owner ? { owner: facts.owner } : {}) }
}
