import type { Hex } from 'viem'
import { createJsonHttpClient } from '../../engine/host/createJsonHttpClient.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'

export type ReadOrderbookRecordParameters = {
  /** The orderbook's base URL, e.g. `https://barn.api.cow.fi/sepolia`. */
  url: string
  /** Expected TWAP part UIDs: each found order counts as one accepted post, at its `creationDate`. */
  twapUids: readonly Hex[]
  /** EthFlow order UIDs: each found order counts as indexed by the orderbook. */
  ethFlowUids: readonly Hex[]
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
export async function readOrderbookRecord({ url, twapUids, ethFlowUids, concurrency = 8, timeoutMs = 10_000 }: ReadOrderbookRecordParameters): Promise<OrderbookReadout> {
  const base = url.replace(/\/$/, '')
  const client = createJsonHttpClient({ maxSockets: concurrency })
  const entries: RecordEntry[] = []
  const failures: OrderbookReadout['failures'] = []
  const work = [...twapUids.map((uid) => ({ uid, kind: 'twap' as const })), ...ethFlowUids.map((uid) => ({ uid, kind: 'ethFlow' as const }))]
  let next = 0
  const lookOne = async ({ uid, kind }: (typeof work)[number]) => {
    const path = `/api/v1/orders/${uid}`
    let status: number
    let body: unknown
    try {
      ;({ status, body } = await client.request({ method: 'GET', url: `${base}${path}`, timeoutMs }))
    } catch (error) {
      failures.push({ uid, reason: error instanceof Error ? error.message : String(error) })
      return
    }
    if (status === 404) return
    if (status !== 200) {
      failures.push({ uid, reason: `HTTP ${status}` })
      return
    }
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
    await Promise.all(
      Array.from({ length: Math.max(1, concurrency) }, async () => {
        while (next < work.length) await lookOne(work[next++]!)
      }),
    )
  } finally {
    client.close()
  }
  entries.sort((a, b) => a.at - b.at)
  entries.forEach((entry, index) => (entry.seq = index + 1))
  return { entries, failures }
}
