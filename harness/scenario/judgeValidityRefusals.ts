import { DEFAULT_ORDER_VALIDITY, type OrderValidity } from '../orderbook/chainChecks.ts'
import { isOrderPost } from '../orderbook/isOrderPost.ts'
import type { BarResult } from './judge.ts'

/** The validity errors the real orderbook answers for a `validTo` too close, past, or too far from chain time. */
const validityErrors: readonly string[] = ['InsufficientValidTo', 'ExcessiveValidTo']

/** What `judgeValidityRefusals` reads: the stub's record (method, path, status, answer) and its validity window. */
export type JudgeValidityRefusalsParameters = {
  record: ReadonlyArray<{ method: string; path: string; status: number; responseBody: unknown }>
  validity: OrderValidity
}

/** The bar, and every refused order post counted by its `errorType` (for the report's notes). */
export type JudgeValidityRefusalsReturnType = { bar: BarResult; refusalsByErrorType: Record<string, number> }

/**
 * Judges that the run's orders met the real orderbook's validity window: 0 order posts refused as
 * `InsufficientValidTo` or `ExcessiveValidTo` by a stub that ran with the service's window (at least
 * 60 s left after chain time). A stub whose window was lowered (compressed time) cannot prove it: the
 * bar is then "not applicable", with the window it ran with. A record without any order post fails
 * as "not measured". Every refusal is counted per errorType.
 *
 * @example
 * const { bar } = judgeValidityRefusals({ record: stub.record.entries, validity: stub.validity })
 * bar.pass // false if any part was refused for its validTo
 */
export function judgeValidityRefusals({ record, validity }: JudgeValidityRefusalsParameters): JudgeValidityRefusalsReturnType {
  const refusalsByErrorType: Record<string, number> = {}
  for (const entry of record) {
    if (!isOrderPost(entry) || entry.status < 400) continue
    const errorType = (entry.responseBody as { errorType?: unknown } | undefined)?.errorType
    const key = typeof errorType === 'string' ? errorType : `HTTP ${entry.status}`
    refusalsByErrorType[key] = (refusalsByErrorType[key] ?? 0) + 1
  }
  const name = 'No validity refusals'
  const d = DEFAULT_ORDER_VALIDITY
  const description = `0 order posts refused as ${validityErrors.join(' or ')} by a stub with the service's window (>= ${d.minSeconds} s left after chain time)`
  const strict = validity.minSeconds === d.minSeconds && validity.maxMarketSeconds === d.maxMarketSeconds && validity.maxLimitSeconds === d.maxLimitSeconds
  if (!strict) {
    const measured = `not applicable: the stub's validTo window was lowered to ${validity.minSeconds} s to ${validity.maxMarketSeconds} s / ${validity.maxLimitSeconds} s (the service's: ${d.minSeconds} s / ${d.maxMarketSeconds} s / ${d.maxLimitSeconds} s)`
    return { bar: { name, bar: description, measured, pass: true, status: 'not applicable' }, refusalsByErrorType }
  }
  const refused = validityErrors.map((type) => [type, refusalsByErrorType[type] ?? 0] as const).filter(([, n]) => n > 0)
  const posts = record.filter(isOrderPost).length
  // No post at all proves nothing about validity windows: missing evidence fails.
  if (posts === 0) return { bar: { name, bar: description, measured: "not measured: the stub's record has no order post", pass: false, status: 'not measured' }, refusalsByErrorType }
  const measured = refused.length === 0 ? `0 of ${posts} order posts` : `${refused.map(([type, n]) => `${n} ${type}`).join(', ')} of ${posts} order posts`
  return { bar: { name, bar: description, measured, pass: refused.length === 0, status: refused.length === 0 ? 'pass' : 'fail' }, refusalsByErrorType }
}
