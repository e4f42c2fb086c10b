import { numberToHex } from 'viem'
import type { LogFilter } from './types.ts'
import type { RawLog } from '../../modules/sdk/module/types.ts'
import { parseLog } from './parseRpc.ts'

// Providers word "too many results" differently; viem refuses bodies over its size limit.
const tooManyResults = /too many|limit exceeded|exceeds? (the )?(max|limit)|query returned more than|response size|range is too large|block range|ResponseBodyTooLarge|-32005/i

/** True when an eth_getLogs failure means "ask for a smaller range". */
export function isTooManyResults(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (tooManyResults.test(e.message) || tooManyResults.test(e.name) || (e as { code?: unknown }).code === -32005) return true
  }
  return false
}

/**
 * `eth_getLogs` over a range, halving the range whenever the node says it holds too many results,
 * down to a single block. A single block cannot be split: when it is still too large, it goes once
 * to `requestWhole` (a request allowed a larger answer), since its logs must be read or the chain
 * cannot be followed past it.
 */
export async function getLogsSplitting(
  request: (params: unknown[]) => Promise<unknown>,
  filter: LogFilter,
  requestWhole?: (params: unknown[]) => Promise<unknown>,
): Promise<RawLog[]> {
  const params = {
    fromBlock: numberToHex(filter.fromBlock),
    toBlock: numberToHex(filter.toBlock),
    ...(filter.address?.length ? { address: filter.address } : {}),
    topics: [filter.topic0.length ? [...filter.topic0] : null],
  }
  const parse = (raw: unknown) => {
    if (!Array.isArray(raw)) throw new TypeError(`eth_getLogs answered a non-array: ${JSON.stringify(raw)?.slice(0, 100)}`)
    return raw.map(parseLog)
  }
  try {
    return parse(await request([params]))
  } catch (error) {
    if (!isTooManyResults(error)) throw error
    if (filter.fromBlock >= filter.toBlock) {
      if (requestWhole === undefined) throw error
      return parse(await requestWhole([params]))
    }
    const middle = filter.fromBlock + (filter.toBlock - filter.fromBlock) / 2n
    const left = await getLogsSplitting(request, { ...filter, toBlock: middle }, requestWhole)
    const right = await getLogsSplitting(request, { ...filter, fromBlock: middle + 1n }, requestWhole)
    return [...left, ...right]
  }
}
