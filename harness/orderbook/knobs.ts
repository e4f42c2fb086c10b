import type { Address, Hex } from 'viem'
import { assertOrderChecks, type OrderChecks } from './orderChecks.ts'
import { assertOrderPolicy, type OrderPolicy } from './orderPolicy.ts'

/** Fixed latency, or uniform in [min, max] (drawn from the stub's seeded generator). */
export type LatencyKnob = number | { min: number; max: number }

/** What an injected fault answers. `status: 0` drops the connection (a transport fault). */
export type InjectedResponse = {
  status: number
  errorType?: string
  description?: string
  /** Seconds; sent as a `Retry-After` header (use with 429 or 503). */
  retryAfter?: number
  data?: unknown
}

/**
 * What a matcher sees of a request. `uid` and `owner` are known for order posts and order paths.
 * `headers` (lower-case names) and `query` come from the plain request; `request` is a WHATWG
 * `Request` built only when a predicate reads it (behind `serveOrderbookStub` no `Request` exists
 * otherwise), so prefer the plain fields in new predicates.
 */
export type RequestFacts = {
  method: string
  path: string
  /** The query string without `?` ('' when there is none). */
  query: string
  headers: Readonly<Record<string, string>>
  body: unknown
  uid?: Hex
  owner?: Address
  readonly request: Request
}

/**
 * Which requests a rule applies to: a predicate, or fields that must all match (`path` is a
 * prefix of the pathname or a RegExp; `uid` and `owner` compare case-insensitively).
 */
export type RequestMatcher =
  | ((facts: RequestFacts) => boolean)
  | { path?: string | RegExp; method?: string; uid?: string; owner?: string }

/** Answer `respond` to matching requests, `times` times (forever when absent). */
export type FaultRule = { name?: string; match: RequestMatcher; respond: InjectedResponse; times?: number }

/** Answer `status` to a `rate` fraction of (matching) requests. */
export type FailRate = InjectedResponse & { rate: number; match?: RequestMatcher }

/**
 * Lossy mode: a matching order post that would have been accepted is answered 201 with its UID,
 * but never stored (GET answers 404) and not counted by `record.accepted()`. The record marks it
 * `injected: 'acceptThenLose'`. Applies to `rate` of matching posts (1 when absent), `times` times.
 */
export type AcceptThenLose = { rate?: number; match?: RequestMatcher; times?: number }

/** Everything that can be changed during a run with `stub.setKnobs(...)`. */
export type OrderbookKnobs = {
  latencyMs?: LatencyKnob
  failRate?: FailRate | null
  rules?: readonly FaultRule[]
  acceptThenLose?: AcceptThenLose | null
  /** The chain-free order checks (all on when absent or null; see `OrderChecks`). */
  checks?: OrderChecks | null
  /** The lists and limits behind the banned-user, token, limit-order and gas checks (the service's defaults when absent or null; see `OrderPolicy`). */
  policy?: OrderPolicy | null
}

/**
 * True when a matcher accepts the request.
 *
 * @example
 * matches({ method: 'POST', path: '/api/v1/orders' }, facts)
 */
export function matches(matcher: RequestMatcher | undefined, facts: RequestFacts): boolean {
  if (matcher === undefined) return true
  if (typeof matcher === 'function') return matcher(facts)
  if (matcher.method && matcher.method.toUpperCase() !== facts.method) return false
  if (matcher.path !== undefined) {
    const ok = typeof matcher.path === 'string' ? facts.path.startsWith(matcher.path) : matcher.path.test(facts.path)
    if (!ok) return false
  }
  if (matcher.uid && matcher.uid.toLowerCase() !== facts.uid?.toLowerCase()) return false
  if (matcher.owner && matcher.owner.toLowerCase() !== facts.owner?.toLowerCase()) return false
  return true
}

/** Validates knob values so a typo fails at once, naming the knob. */
export function checkKnobs(knobs: OrderbookKnobs): void {
  const rate = (name: string, r: number | undefined) => {
    if (r !== undefined && !(r >= 0 && r <= 1)) throw new Error(`orderbook stub knob ${name}: rate must be in [0, 1], got ${r}`)
  }
  const latency = knobs.latencyMs
  if (typeof latency === 'number' && !(latency >= 0)) throw new Error(`orderbook stub knob latencyMs: must be >= 0, got ${latency}`)
  if (typeof latency === 'object' && !(latency.min >= 0 && latency.max >= latency.min)) {
    throw new Error(`orderbook stub knob latencyMs: need 0 <= min <= max, got ${JSON.stringify(latency)}`)
  }
  rate('failRate', knobs.failRate?.rate)
  rate('acceptThenLose', knobs.acceptThenLose?.rate ?? undefined)
  assertOrderChecks(knobs.checks)
  assertOrderPolicy(knobs.policy)
}

/** A fault a knob decided, with the label the record carries. */
export type FaultDecision = { injected: string; respond: InjectedResponse }

/**
 * Which fault, if any, answers this request: the first matching rule with uses left, then the
 * fail rate. The generator is drawn only when a rate applies, so unrelated traffic does not
 * shift a seeded run.
 *
 * @example
 * const fault = decideFault(knobs, facts, random, uses)
 */
export function decideFault(
  knobs: OrderbookKnobs,
  facts: RequestFacts,
  random: () => number,
  uses: WeakMap<object, number>,
): FaultDecision | null {
  const rules = knobs.rules ?? []
  for (const [index, rule] of rules.entries()) {
    // Uses first: a spent rule's predicate is not run (it may read the lazily built `request`).
    const used = uses.get(rule) ?? 0
    if (rule.times !== undefined && used >= rule.times) continue
    if (!matches(rule.match, facts)) continue
    uses.set(rule, used + 1)
    return { injected: `rule:${rule.name ?? index}`, respond: rule.respond }
  }
  const failRate = knobs.failRate
  if (failRate && failRate.rate > 0 && matches(failRate.match, facts) && random() < failRate.rate) {
    return { injected: 'failRate', respond: failRate }
  }
  return null
}

/** True when the lossy mode takes this (otherwise accepted) order post. */
export function decideLoss(
  knobs: OrderbookKnobs,
  facts: RequestFacts,
  random: () => number,
  uses: WeakMap<object, number>,
): boolean {
  const lose = knobs.acceptThenLose
  if (!lose || !matches(lose.match, facts)) return false
  const used = uses.get(lose) ?? 0
  if (lose.times !== undefined && used >= lose.times) return false
  const rate = lose.rate ?? 1
  if (rate < 1 && random() >= rate) return false
  uses.set(lose, used + 1)
  return true
}

/** The delay for one request, in ms. */
export function latencyFor(knob: LatencyKnob | undefined, random: () => number): number {
  if (knob === undefined) return 0
  if (typeof knob === 'number') return knob
  return knob.min + random() * (knob.max - knob.min)
}
