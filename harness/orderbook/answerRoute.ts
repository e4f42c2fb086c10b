import type { Address, Hex } from 'viem'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { decideFault, latencyFor, type InjectedResponse, type RequestFacts } from './knobs.ts'
import { apiErrorAnswer, defaultErrorFor } from './apiError.ts'
import { DROPPED_ANSWER, recordedBody, type StubAnswer, type StubRequest } from './stubExchange.ts'
import { readJsonBody } from './readJsonBody.ts'

/** What a route sees: the stub, the plain request, its parsed body and path parameters. */
export type RouteContext = {
  stub: OrderbookStub
  request: StubRequest
  body: unknown
  params: Record<string, string>
}

/** What `inspect` learns before faults are decided (so rules can match on UID and owner). */
export type RouteFacts = { uid?: Hex; owner?: Address; prepared?: unknown }

/** What a route answers; `injected` names a knob that changed the answer (the lossy mode). */
export type RouteAnswer = { answer: StubAnswer; injected?: string; uid?: Hex; unchecked?: string[] }

/** One endpoint of the real API. */
export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path under the base URL, in MSW syntax: `/api/v1/orders/:uid`. */
  path: string
  /**
   * `'json'`: the route takes a JSON body, read as the real service reads it (`readJsonBody`): a
   * content-type that is not JSON is answered 415 and a JSON syntax error 400, before `inspect`
   * and `resolve` run; `body` is then the parsed value.
   */
  body?: 'json'
  inspect?(context: RouteContext): Promise<RouteFacts> | RouteFacts
  /** `requestFacts` is what the knobs saw (for a knob the route decides itself, like the lossy mode). */
  resolve(context: RouteContext & { facts: RouteFacts; requestFacts: RequestFacts }): Promise<RouteAnswer> | RouteAnswer
}

/**
 * Answers one request on one route, the single place route behaviour is defined for both serving
 * modes: parse the body, `inspect`, wait the latency knob, decide a fault, `resolve`, and append
 * the record entry. `toRequest` builds a WHATWG `Request` only if a knob predicate reads
 * `facts.request`.
 *
 * @example
 * const answer = await answerRoute(stub, route, { method: 'GET', path: '/api/v1/version', headers: {}, bodyText: '' }, {}, () => request)
 */
export async function answerRoute(
  stub: OrderbookStub,
  route: Route,
  request: StubRequest,
  params: Record<string, string>,
  toRequest: () => Request,
): Promise<StubAnswer> {
  const { random, uses, now } = stub.internals
  const at = now()
  const entrySeq = stub.internals.nextSeq()
  const read = route.body === 'json' ? readJsonBody(request) : { ok: true as const, body: parseBody(request.bodyText) }
  const body = read.body
  const context: RouteContext = { stub, request, body, params }
  const facts = route.inspect && read.ok ? await route.inspect(context) : {}
  let built: Request | undefined
  const requestFacts: RequestFacts = {
    method: request.method,
    path: request.path,
    query: request.query ?? '',
    headers: request.headers,
    body,
    ...(facts.uid ? { uid: facts.uid } : {}),
    ...(facts.owner ? { owner: facts.owner } : {}),
    // Lazy: a Request per answer cost this process more than most routes' own work.
    get request() {
      return (built ??= toRequest())
    },
  }
  const delay = latencyFor(stub.knobs.latencyMs, random)
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
  const fault = decideFault(stub.knobs, requestFacts, random, uses)
  const routed: RouteAnswer = fault
    ? { answer: faultAnswer(fault.respond), injected: fault.injected }
    : !read.ok
      ? { answer: read.answer }
      : await route.resolve({ ...context, facts, requestFacts })
  const uid = routed.uid ?? facts.uid
  const retryAfter = Number(routed.answer.headers['retry-after'] ?? Number.NaN)
  stub.record.push({
    seq: entrySeq,
    at,
    answeredAt: now(),
    delayMs: delay,
    method: request.method,
    path: request.path,
    body,
    status: routed.answer.status,
    responseBody: recordedBody(routed.answer),
    ...(uid ? { uid } : {}),
    ...(routed.injected ? { injected: routed.injected } : {}),
    ...(routed.unchecked ? { unchecked: routed.unchecked } : {}),
    ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
  })
  return routed.answer
}

function faultAnswer(respond: InjectedResponse): StubAnswer {
  if (respond.status === 0) return DROPPED_ANSWER
  const fallback = defaultErrorFor(respond.status)
  return apiErrorAnswer(respond.status, respond.errorType ?? fallback.errorType, respond.description ?? fallback.description, {
    ...(respond.retryAfter !== undefined ? { retryAfter: respond.retryAfter } : {}),
    ...(respond.data !== undefined ? { data: respond.data } : {}),
  })
}

/** The body every route works from: parsed JSON, the raw text when it is not JSON, undefined when empty. */
function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
