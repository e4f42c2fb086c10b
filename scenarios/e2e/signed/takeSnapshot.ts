import type { Address, PublicClient } from 'viem'
import { scrapeEngine } from '../../../harness/scenario/startScenarioEngine.ts'
import { errorMessage } from '../../../modules/sdk/errors/errorMessage.ts'

/** The chain, the orderbook and the engine's metrics at one moment, as the report shows them. */
export type SignedSnapshot = {
  at: string
  chain: { block: string; timestamp: string; nonce: number; balanceWei: string }
  /** Per owner, the UIDs `GET /api/v1/account/{owner}/orders` lists; or why it could not be read. */
  orderbook: { ordersByOwner: Record<Address, string[]> } | { error: string }
  /** `shepherd_module_alerts_total` per module; or why it could not be read. */
  metrics: { alertsByModule: Record<string, number> } | { error: string }
}

export type TakeSnapshotParameters = { client: PublicClient; account: Address; orderbookUrl: string; metricsUrl: string; owners: readonly Address[] }

/**
 * Reads the chain (head, the key's nonce and balance), the orderbook (each owner's orders) and the
 * engine's metrics (alerts per module). A source that does not answer is recorded as such, not
 * guessed: the judge then says "not measured".
 *
 * @example
 * const before = await takeSnapshot({ client, account, orderbookUrl, metricsUrl, owners: [account] })
 */
export async function takeSnapshot({ client, account, orderbookUrl, metricsUrl, owners }: TakeSnapshotParameters): Promise<SignedSnapshot> {
  const [block, nonce, balance] = await Promise.all([client.getBlock(), client.getTransactionCount({ address: account }), client.getBalance({ address: account })])
  const orderbook = await Promise.all(owners.map(async (owner) => [owner, await accountOrders(orderbookUrl, owner)] as const)).then(
    (entries) => ({ ordersByOwner: Object.fromEntries(entries) as Record<Address, string[]> }),
    (error: unknown) => ({ error: errorMessage(error) }),
  )
  const metrics = await scrapeEngine(metricsUrl).then(
    (scrape) => {
      const alertsByModule: Record<string, number> = {}
      for (const s of scrape.samples) if (s.name === 'shepherd_module_alerts_total') alertsByModule[s.labels.module ?? '?'] = (alertsByModule[s.labels.module ?? '?'] ?? 0) + s.value
      return { alertsByModule }
    },
    (error: unknown) => ({ error: errorMessage(error) }),
  )
  return { at: new Date().toISOString(), chain: { block: block.number.toString(), timestamp: block.timestamp.toString(), nonce, balanceWei: balance.toString() }, orderbook, metrics }
}

/** `GET /api/v1/account/{owner}/orders`: the UIDs it lists (first page, up to 1000). */
async function accountOrders(orderbookUrl: string, owner: Address): Promise<string[]> {
  const response = await fetch(`${orderbookUrl}/api/v1/account/${owner}/orders?limit=1000`, { signal: AbortSignal.timeout(10_000) })
  if (!response.ok) throw new Error(`GET /api/v1/account/${owner}/orders answered HTTP ${response.status}`)
  const body = (await response.json()) as unknown
  if (!Array.isArray(body)) throw new Error(`GET /api/v1/account/${owner}/orders answered a non-array`)
  return body.map((o) => String((o as { uid?: unknown }).uid ?? '').toLowerCase())
}

/** What `GET /api/v1/orders/{uid}` said: 'found' on 200 (with the order), 'not found' on 404, otherwise the status or error. */
export type OrderLookup = { lookup: 'found' | 'not found' | `error: ${string}`; order?: unknown }

/**
 * `GET /api/v1/orders/{uid}`: 'found' on 200, 'not found' on 404, otherwise the status or error.
 *
 * @example
 * await lookupOrder(orderbookUrl, uid) // 'found'
 */
export async function lookupOrder(orderbookUrl: string, uid: string): Promise<OrderLookup['lookup']> {
  return (await readOrder(orderbookUrl, uid)).lookup
}

/**
 * `GET /api/v1/orders/{uid}` with the order the orderbook holds (its appData and document included).
 *
 * @example
 * const { lookup, order } = await readOrder(orderbookUrl, uid) // { lookup: 'found', order: { uid, appData, fullAppData, ... } }
 */
export async function readOrder(orderbookUrl: string, uid: string): Promise<OrderLookup> {
  try {
    const response = await fetch(`${orderbookUrl}/api/v1/orders/${uid}`, { signal: AbortSignal.timeout(10_000) })
    if (response.status === 200) return { lookup: 'found', order: (await response.json()) as unknown }
    if (response.status === 404) return { lookup: 'not found' }
    return { lookup: `error: HTTP ${response.status}` }
  } catch (error) {
    return { lookup: `error: ${errorMessage(error)}` }
  }
}
