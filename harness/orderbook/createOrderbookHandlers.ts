import { http, HttpResponse, type HttpHandler } from 'msw'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { answerRoute } from './answerRoute.ts'
import { stubRoutes } from './stubRoutes.ts'
import { toHttpResponse, type StubRequest } from './stubExchange.ts'
import { JSON_LINES_CONTENT_TYPE, RECORD_ROUTE, recordSince, recordToJsonLines } from './recordJsonLines.ts'

const methods = { GET: http.get, POST: http.post, PUT: http.put, DELETE: http.delete } as const

/**
 * The stub's MSW handlers on the real orderbook paths, for serving in process (`setupServer`).
 * A thin adapter: each handler turns the `Request` into a plain `StubRequest`, runs the same
 * `answerRoute` as `serveOrderbookStub` (latency and fault knobs, then the route, then the
 * record) and turns the answer into an `HttpResponse`. `GET /__shepherd/record` answers the record
 * as JSON lines, as over HTTP.
 *
 * @example
 * const server = setupServer(...createOrderbookHandlers(stub, 'http://orderbook.shepherd.test'))
 */
export function createOrderbookHandlers(stub: OrderbookStub, baseUrl = '*'): HttpHandler[] {
  const base = baseUrl.replace(/\/+$/, '')
  // The record, as serveOrderbookStub serves it: JSON lines, not recorded itself.
  const record = http.get(`${base}${RECORD_ROUTE}`, ({ request }) => {
    const since = recordSince(new URL(request.url).search.slice(1))
    if (since === undefined) return HttpResponse.json({ description: 'since: expected a record sequence number' }, { status: 400 })
    return new HttpResponse(recordToJsonLines(stub.record.entries, since), { headers: { 'content-type': JSON_LINES_CONTENT_TYPE } })
  })
  const routes = stubRoutes.map((route) =>
    methods[route.method](`${base}${route.path}`, async ({ request, params }) => {
      const answer = await answerRoute(stub, route, await toStubRequest(request), stringParams(params), () => request)
      return toHttpResponse(answer)
    }),
  )
  return [record, ...routes]
}

/** The plain request of a WHATWG `Request` (the body read once, here). */
async function toStubRequest(request: Request): Promise<StubRequest> {
  const url = new URL(request.url)
  const headers: Record<string, string> = {}
  request.headers.forEach((value, key) => {
    headers[key] = value
  })
  return { method: request.method, path: url.pathname, query: url.search.slice(1), headers, bodyText: await request.text() }
}

function stringParams(params: Record<string, string | readonly string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') out[key] = value
  return out
}
