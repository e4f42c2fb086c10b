import type { Hex } from 'viem'
import { resolveAppData, type Host, type ResolveAppDataReturnType } from '../sdk/index.ts'

/** Documents found, per module Host (a worker's own): a document is content-addressed, so it never changes for its hash. */
const found = new WeakMap<object, Map<string, Promise<ResolveAppDataReturnType>>>()
/** Enough for every distinct appData of a busy chain; past it the map starts over (a lookup again, never a wrong answer). */
const MAX_DOCUMENTS = 4096

/**
 * `resolveAppData`, asked once per (chain, hash) while the answer is `found`: every part of a TWAP,
 * and every TWAP sharing a document, names the same hash, and at saturation a GET
 * /api/v1/app_data/{hash} before each post would double the module's requests. Lookups of the same
 * hash in flight together share one request. `notFound`, `mismatch` and `error` are not kept: the
 * document may be registered later, or the fault pass.
 *
 * @example
 * const appData = await resolveAppDataOnce(host, chainId, order.appData)
 * if (appData.kind === 'found') body = buildOrderCreation({ ...order, ... })
 */
export function resolveAppDataOnce(host: Pick<Host, 'cowApi'>, chainId: number, hash: Hex): Promise<ResolveAppDataReturnType> {
  let byKey = found.get(host)
  if (byKey === undefined) {
    byKey = new Map()
    found.set(host, byKey)
  }
  const key = `${chainId}:${String(hash).toLowerCase()}`
  const known = byKey.get(key)
  if (known) return known
  if (byKey.size >= MAX_DOCUMENTS) byKey.clear()
  const lookup = resolveAppData(host, chainId, hash)
  const cache = byKey
  cache.set(key, lookup)
  void lookup.then((answer) => {
    if (answer.kind !== 'found' && cache.get(key) === lookup) cache.delete(key)
  })
  return lookup
}
