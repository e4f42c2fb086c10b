import type { Address, Hex } from 'viem'
import type { ChainSource } from '../../engine/chain/types.ts'
import type { BlockRef, ChainHost, CowApiHost, RawLog, ReadOptions } from '../../modules/sdk/module/types.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { ChainCallError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { encodeValue } from '../../engine/store/json.ts'
import { cowKey, readKey, type CassetteFailure } from './cassette.ts'
import type { LoadedCassette } from './loadCassette.ts'
import { orderUidOf } from './instrumentModule.ts'

/** A read or orderbook call the cassette holds no answer for. Never answered with a default. */
export class CassetteMissError extends ShepherdError {
  override name = 'CassetteMissError'
  constructor(what: string, file: string, params: unknown, block?: bigint | 'latest') {
    super(`The cassette cannot answer ${what}`, {
      details: [`cassette: ${file}`, ...(block === undefined ? [] : [`block: ${block}`]), `params: ${encodeValue(params).slice(0, 400)}`],
      hint: 'The module made a read the recording never saw (changed code or config). Re-record the range with this module, or replay with the recorded modules.',
      action: 'stop',
    })
  }
}

/** Answers in recorded order; once used up, the last one again (a repeated read at a fixed block answers the same). */
function takeFrom<T>(answers: Map<string, T[]>, used: Map<string, number>, key: string): T | undefined {
  const list = answers.get(key)
  if (!list?.length) return undefined
  const index = used.get(key) ?? 0
  used.set(key, index + 1)
  return list[Math.min(index, list.length - 1)]
}

function rethrow(failure: CassetteFailure, chainId: number, method: string, to?: Address): never {
  if (failure.kind === 'revert') throw new ChainCallError({ chainId, to: to ?? '(unknown)', data: (failure.data ?? undefined) as Hex | undefined })
  if (failure.kind === 'cow') throw new CowApiError({ status: failure.status, errorType: failure.errorType, description: failure.description, data: failure.data, retryAfter: failure.retryAfter })
  throw new ChainRequestError(failure.message, { chainId, method, details: ['replayed from the cassette'] })
}

/**
 * The cassette as a ChainSource (kind 'replay'): its head is the last recorded block, and blocks
 * and logs come from the recording. Ingestion runs unchanged on top of it.
 *
 * @example
 * const source = createReplayChainSource(await loadCassette(file))
 */
export function createReplayChainSource(cassette: LoadedCassette): ChainSource {
  const first = cassette.blocks[0]?.number ?? cassette.header.from
  const head = cassette.blocks.at(-1)?.number ?? cassette.header.from - 1n
  const block = (n: bigint): BlockRef => {
    const found = cassette.blocks[Number(n - first)]
    if (!found || found.number !== n) throw new CassetteMissError(`block ${n}`, cassette.file, { block: n.toString() }, n)
    return found
  }
  return {
    chainId: cassette.header.chainId,
    kind: 'replay',
    getBlockNumber: async () => head,
    getBlock: async (n) => block(n),
    async getBlocks(from, to) {
      const out: BlockRef[] = []
      for (let n = from; n <= to; n++) out.push(block(n))
      return out
    },
    async getLogs(filter) {
      const addresses = filter.address?.map((a) => a.toLowerCase())
      const topics = new Set(filter.topic0.map((t) => t.toLowerCase()))
      const out: RawLog[] = []
      for (let n = filter.fromBlock; n <= filter.toBlock; n++)
        for (const log of cassette.logsByBlock.get(n) ?? []) {
          if (addresses?.length && !addresses.includes(log.address.toLowerCase())) continue
          if (topics.size && !topics.has(String(log.topics[0]).toLowerCase())) continue
          out.push(log)
        }
      return out
    },
    watchHeads: () => () => {},
    close: async () => {},
  }
}

/**
 * The chain capability answered from the cassette, by method, params and block. A read it cannot
 * answer rejects with a CassetteMissError naming the call.
 */
export function createCassetteChainHost(cassette: LoadedCassette, onMiss: (error: CassetteMissError) => void = () => {}): ChainHost {
  const used = new Map<string, number>()
  const blockOf = (options?: ReadOptions) => options?.blockNumber ?? ('latest' as const)
  function answer(method: string, params: unknown, block: bigint | 'latest', chainId: number, to?: Address): unknown {
    const found = takeFrom(cassette.reads, used, readKey(method, params, block))
    if (!found) {
      const miss = new CassetteMissError(`${method}`, cassette.file, params, block)
      onMiss(miss)
      throw miss
    }
    if (found.error) rethrow(found.error, chainId, method, to)
    return found.result
  }
  return {
    request: async (chainId, method, params = []) => answer(method, [chainId, ...params], 'latest', chainId),
    call: async (chainId, call, options) => answer('eth_call', [chainId, { to: call.to, data: call.data }], blockOf(options), chainId, call.to) as Hex,
    multicall: async (chainId, calls, options) =>
      answer('multicall', [chainId, calls.map((c) => ({ target: c.target, callData: c.callData, allowFailure: c.allowFailure ?? true }))], blockOf(options), chainId) as Array<{ success: boolean; returnData: Hex }>,
    getBalance: async (chainId, address, options) => answer('eth_getBalance', [chainId, address], blockOf(options), chainId) as bigint,
  }
}

/** The orderbook as recorded: each call gets the answer it got then (or the rejection). */
export function createRecordedCowApi(cassette: LoadedCassette, onMiss: (error: CassetteMissError) => void = () => {}): CowApiHost {
  const used = new Map<string, number>()
  function answer(op: string, args: unknown): unknown {
    const found = takeFrom(cassette.cows, used, cowKey(op, args))
    if (!found) {
      const miss = new CassetteMissError(`orderbook ${op}`, cassette.file, args)
      onMiss(miss)
      throw miss
    }
    if (found.error) rethrow(found.error, cassette.header.chainId, op)
    return found.result
  }
  return {
    submitOrder: async (chainId, order) => answer('submitOrder', [chainId, order]) as string,
    getOrder: async (chainId, uid) => answer('getOrder', [chainId, uid]) as Awaited<ReturnType<CowApiHost['getOrder']>>,
    getAppData: async (chainId, hash) => answer('getAppData', [chainId, hash]) as Awaited<ReturnType<CowApiHost['getAppData']>>,
    request: async (chainId, method, path, body) => answer('request', [chainId, method, path, body ?? null]) as { status: number; body: unknown },
  }
}

/** "What if the orderbook had accepted everything": every post accepted, every order found open. */
export function createAcceptAllCowApi(): CowApiHost {
  const submitted = new Set<string>()
  return {
    async submitOrder(chainId, order) {
      const uid = orderUidOf(chainId, order)
      submitted.add(uid.toLowerCase())
      return uid
    },
    getOrder: async (_chainId, uid) => ({ uid: String(uid).toLowerCase(), status: 'open' }),
    getAppData: async () => ({ fullAppData: '{}' }),
    request: async () => ({ status: 200, body: null }),
  }
}
