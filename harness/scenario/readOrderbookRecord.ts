import type { Hex } from 'viem'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { createCowApiHost } from '../../engine/host/createCowApiHost.ts'
import { runBounded } from '../../modules/sdk/schedule/runBounded.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'

export type ReadOrderbookRecordParameters = {
  /** The orderbook's base URL, e.g. `https://barn.api.cow.fi/sepolia`. */
  url: string
  /** Expected TWAP part UIDs: each found order counts as one accepted post, at its `creationDate`. */
  twapUids: readonly Hex[]
  /** EthFlow order UIDs: each found order counts as indexed by the orderbook. */
  ethFlowUids: readonly Hex[]
  /** The chain the orderbook serves (only names it to the client). */
  chainId?: number
  /** Requests in flight at once (be gentle with a shared orderbook). */
  concurrency?: number
  timeoutMs?: number
}

export type OrderbookReadout = {
  /** Evidence in the stub record's shape, so the same judge reads it. */
  entries: RecordEntry[]
  /** UIDs whose lookup failed (not 200, not 404): not counted either way, reported. */
  failures: Array<{ uid: Hex; reason: string }>
}

/**
 * Ground truth from an orderbook we do not run (a real or staging API): asks
 * `GET /api/v1/orders/{uid}` for every expected UID and turns each found order into the entry the
 * stub would have recorded. A found TWAP part's arrival time is the order's `creationDate`, the
 * orderbook's own clock. What an outside reader cannot see (repeated posts of one UID, which UIDs the
 * watcher asked for) is not invented here: the runner leaves those bars out and says so.
 *
 * @example
 * const { entries } = await readOrderbookRecord({ url, twapUids, ethFlowUids })
 */
export async function readOrderbookRecord({ url, twapUids, ethFlowUids, chainId = 11155111, concurrency = 8, timeoutMs = 10_000 }: ReadOrderbookRecordParameters): Promise<OrderbookReadout> {
  // The engine's own orderbook client: the same paths, 404-as-null and error mapping.
  const cowApi = createCowApiHost({ baseUrls: new Map([[chainId, url]]), timeoutMs })
  const entries: RecordEntry[] = []
  const failures: OrderbookReadout['failures'] = []
  const work = [...twapUids.map((uid) => ({ uid, kind: 'twap' as const })), ...ethFlowUids.map((uid) => ({ uid, kind: 'ethFlow' as const }))]
  const lookOne = async ({ uid, kind }: (typeof work)[number]) => {
    const path = `/api/v1/orders/${uid}`
    let body: unknown
    try {
      body = await cowApi.getOrder(chainId, uid)
    } catch (error) {
      // getOrder throws CowApiError: an answer that was not 200/404, or a transport fault (status 0).
      const failure = error instanceof CowApiError ? error : undefined
      failures.push({ uid, reason: failure && failure.status > 0 ? `HTTP ${failure.status}` : (failure?.description ?? String(error)) })
      return
    }
    if (body === null) return
    const created = typeof body === 'object' && body !== null ? Date.parse(String((body as { creationDate?: unknown }).creationDate)) : Number.NaN
    if (kind === 'twap' && Number.isNaN(created)) {
      failures.push({ uid, reason: 'found, but without a readable creationDate' })
      return
    }
    const at = Number.isNaN(created) ? Date.now() : created
    const common = { seq: 0, at, answeredAt: at, body: undefined, responseBody: body, uid, delayMs: 0 }
    entries.push(kind === 'twap' ? { ...common, method: 'POST', path: '/api/v1/orders', status: 201 } : { ...common, method: 'GET', path, status: 200 })
  }
  try {
    await runBounded(work, Math.max(1, concurrency), lookOne, (error, { uid }) => failures.push({ uid, reason: String(error) }))
  } finally {
    cowApi.close()
  }
  entries.sort((a, b) => a.at - b.at)
  entries.forEach((entry, index) => (entry.seq = index + 1))
  return { entries, failures }
}
