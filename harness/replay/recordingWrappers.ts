import type { ChainSource } from '../../engine/chain/types.ts'
import { ChainCallError } from '../../modules/sdk/errors/chain.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import type { ChainHost, CowApiHost, ReadOptions } from '../../modules/sdk/module/types.ts'
import type { CassetteEntry, CassetteFailure } from './cassette.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type WriteEntry = (entry: CassetteEntry) => void

/** A failure as the cassette keeps it. */
export function toCassetteFailure(error: unknown): CassetteFailure {
  if (error instanceof ChainCallError) return { kind: 'revert', data: error.data ?? null }
  if (error instanceof CowApiError)
    return { kind: 'cow', status: error.status, errorType: error.errorType, description: error.description, data: error.data, retryAfter: error.retryAfter }
  return { kind: 'request', message: errorMessage(error) }
}

/**
 * Records the blocks and logs a ChainSource hands to ingestion (each once, even if a range is
 * fetched again) and caps its head at `to`, so the engine stops there.
 *
 * @example
 * const source = recordingChainSource(createRpcChainSource({ chainId, rpcUrl }), write, { to: 2000n })
 */
export function recordingChainSource<S extends ChainSource>(source: S, write: WriteEntry, { to, seenBlocks = new Set(), seenLogs = new Set() }: { to: bigint; seenBlocks?: Set<bigint>; seenLogs?: Set<string> }): S {
  const recordBlocks = (blocks: Awaited<ReturnType<ChainSource['getBlocks']>>) => {
    for (const b of blocks) {
      if (seenBlocks.has(b.number)) continue
      seenBlocks.add(b.number)
      write({ t: 'block', number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp })
    }
    return blocks
  }
  return {
    ...source,
    kind: source.kind,
    async getBlockNumber() {
      const head = await source.getBlockNumber()
      return head < to ? head : to
    },
    getBlock: (n) => source.getBlock(n),
    getBlocks: async (from, until) => recordBlocks(await source.getBlocks(from, until)),
    async getLogs(filter) {
      const logs = await source.getLogs(filter)
      for (const l of logs) {
        const key = `${l.blockNumber}:${l.logIndex}`
        if (seenLogs.has(key)) continue
        seenLogs.add(key)
        const { removed: _removed, ...rest } = l
        write({ t: 'log', ...rest, topics: [...l.topics] })
      }
      return logs
    },
    watchHeads: (onHead, onError) => source.watchHeads(onHead, onError),
    close: () => source.close(),
  }
}

const blockOf = (options?: ReadOptions) => options?.blockNumber ?? ('latest' as const)

/**
 * Records every read the modules make (method, params, block, and the answer or the failure), so
 * a replay can answer them without a network.
 */
export function recordingChainHost(host: ChainHost, write: WriteEntry): ChainHost {
  async function capture<T>(method: string, params: unknown, block: bigint | 'latest', run: () => Promise<T>, encode: (value: T) => unknown = (v) => v): Promise<T> {
    try {
      const result = await run()
      write({ t: 'read', method, params, block, result: encode(result) })
      return result
    } catch (error) {
      write({ t: 'read', method, params, block, error: toCassetteFailure(error) })
      throw error
    }
  }
  return {
    request: (chainId, method, params = []) => capture(method, [chainId, ...params], 'latest', () => host.request(chainId, method, params)),
    call: (chainId, call, options) => capture('eth_call', [chainId, { to: call.to, data: call.data }], blockOf(options), () => host.call(chainId, call, options)),
    multicall: (chainId, calls, options) =>
      capture('multicall', [chainId, calls.map((c) => ({ target: c.target, callData: c.callData, allowFailure: c.allowFailure ?? true }))], blockOf(options), () => host.multicall(chainId, calls, options)),
    getBalance: (chainId, address, options) => capture('eth_getBalance', [chainId, address], blockOf(options), () => host.getBalance(chainId, address, options)),
  }
}

/** Records every orderbook exchange: the call, and the answer or the structured rejection. */
export function recordingCowApi(api: CowApiHost, write: WriteEntry): CowApiHost {
  async function capture<T>(op: 'submitOrder' | 'getOrder' | 'getAppData' | 'request', args: unknown, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run()
      write({ t: 'cow', op, args, result: result === undefined ? null : result })
      return result
    } catch (error) {
      write({ t: 'cow', op, args, error: toCassetteFailure(error) })
      throw error
    }
  }
  return {
    submitOrder: (chainId, order) => capture('submitOrder', [chainId, order], () => api.submitOrder(chainId, order)),
    getOrder: (chainId, uid) => capture('getOrder', [chainId, uid], () => api.getOrder(chainId, uid)),
    getAppData: (chainId, hash) => capture('getAppData', [chainId, hash], () => api.getAppData(chainId, hash)),
    request: (chainId, method, path, body) => capture('request', [chainId, method, path, body ?? null], () => api.request(chainId, method, path, body)),
  }
}
