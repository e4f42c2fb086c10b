import { HttpResponse } from 'msw'
/**
 * A request as the stub's routes see it: no WHATWG objects, so `serveOrderbookStub` can build it
 * straight from `node:http` and the MSW adapter from a `Request`.
 */
export type StubRequest = {
  /** Upper case: `GET`, `POST`, `PUT`. */
  method: string
  /** The pathname, without the query: `/api/v1/orders`. */
  path: string
  /** The query string without `?` (empty or absent when there is none). */
  query?: string
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string>>
  /** The whole body as UTF-8 text ('' when there is none). */
  bodyText: string
}

/**
 * What the stub answers: a status, lower-case headers and the body text. `status: 0` is a
 * transport fault: the connection is dropped (`HttpResponse.error()` under MSW).
 */
export type StubAnswer = { status: number; headers: Record<string, string>; bodyText: string }

/**
 * A JSON answer (`content-type: application/json`), with extra headers if given.
 *
 * @example
 * jsonAnswer(uid, 201) // { status: 201, headers: { 'content-type': 'application/json' }, bodyText: '"0x…"' }
 */
export function jsonAnswer(value: unknown, status = 200, headers?: Record<string, string>): StubAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, bodyText: JSON.stringify(value) }
}

/**
 * A plain-text answer (`content-type: text/plain`).
 *
 * @example
 * textAnswer('full app data not found', 404)
 */
export function textAnswer(text: string, status = 200): StubAnswer {
  return { status, headers: { 'content-type': 'text/plain' }, bodyText: text }
}

/** The transport fault: drop the connection. */
export const DROPPED_ANSWER: StubAnswer = Object.freeze({ status: 0, headers: {}, bodyText: '' }) as StubAnswer

/**
 * A body as the record keeps it: parsed JSON when the answer says JSON (or the text when it does
 * not parse), the text otherwise, undefined for a dropped connection.
 *
 * @example
 * recordedBody(jsonAnswer({ a: 1 })) // { a: 1 }
 */
export function recordedBody(answer: StubAnswer): unknown {
  if (answer.status === 0) return undefined
  if (!(answer.headers['content-type'] ?? '').includes('json')) return answer.bodyText
  try {
    return JSON.parse(answer.bodyText) as unknown
  } catch {
    return answer.bodyText
  }
}

/**
 * A WHATWG `Request` for a plain request, for the rare knob predicate that reads
 * `facts.request` (never built on the hot path otherwise).
 *
 * @example
 * toWhatwgRequest({ method: 'GET', path: '/api/v1/version', headers: {}, bodyText: '' }, 'http://127.0.0.1:8080')
 */
export function toWhatwgRequest(request: StubRequest, origin: string): Request {
  const url = `${origin}${request.path}${request.query ? `?${request.query}` : ''}`
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return new Request(url, { method: request.method, headers: request.headers, ...(hasBody ? { body: request.bodyText } : {}) })
}

/**
 * The MSW `HttpResponse` of an answer (`HttpResponse.error()` for a dropped connection).
 *
 * @example
 * return toHttpResponse(jsonAnswer({ ok: true }))
 */
export function toHttpResponse(answer: StubAnswer): Response {
  if (answer.status === 0) return HttpResponse.error()
  return new HttpResponse(answer.bodyText, {
    status: answer.status,
    headers: { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.bodyText)) },
  })
}
