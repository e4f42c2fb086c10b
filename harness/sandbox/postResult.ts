import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { SandboxResult } from './sandboxResult.ts'

export type PostResultParameters = {
  url: string
  result: SandboxResult
  /** Further attempts after the first. Default 3. */
  retries?: number
  /** Wait before retry n is `backoffMs * 2^(n-1)`. Default 500 ms. */
  backoffMs?: number
  /** Per attempt. Default 10 s. */
  timeoutMs?: number
}

export type PostResultReturnType = NonNullable<SandboxResult['report']>

/**
 * POSTs the result as JSON with bounded retries (a 5xx, 429 or network error is retried; another
 * 4xx is not). Never throws: the outcome is returned, for the result's `report` field, and never
 * changes the verdict.
 *
 * @example
 * result.report = await postResult({ url: 'https://ci.example/results', result })
 */
export async function postResult({ url, result, retries = 3, backoffMs = 500, timeoutMs = 10_000 }: PostResultParameters): Promise<PostResultReturnType> {
  let attempts = 0
  let status: number | undefined
  let error: string | undefined
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)))
    attempts++
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result), signal: AbortSignal.timeout(timeoutMs) })
      status = response.status
      await response.text().catch(() => '')
      if (response.ok) return { url, delivered: true, attempts, status }
      error = `HTTP ${response.status}`
      if (response.status < 500 && response.status !== 429) break
    } catch (caught) {
      status = undefined
      // fetch says only "fetch failed"; the why (ECONNREFUSED, a bad port, a DNS failure) is its cause.
      const cause = (caught as { cause?: { code?: string; message?: string } }).cause
      error = `${errorMessage(caught)}${cause ? ` (${cause.code ?? cause.message})` : ''}`
    }
  }
  return { url, delivered: false, attempts, ...(status === undefined ? {} : { status }), error: error ?? 'not sent' }
}
