import { decodeFunctionResult, encodeFunctionData, multicall3Abi, ResponseBodyTooLargeError, type Address, type Hex, type PublicClient } from 'viem'
import { canonicalHex } from '../../modules/sdk/codecs/revertData.ts'
import { revertDataOf } from '../chain/revertDataOf.ts'
import { createRequestSizeLimit, minRequestBytes, type RequestSizeLimit } from '../chain/createRequestSizeLimit.ts'
import { splitBySize } from '../chain/splitBySize.ts'
import { toChainRequestError } from '../chain/toChainRequestError.ts'
import { decodeAggregate3Result } from './decodeAggregate3Result.ts'
import { ChainCallError, ChainRequestError, ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import type { ChainHost, MulticallCall, MulticallResult, ReadOptions } from '../../modules/sdk/module/types.ts'

export type ChainHostChain = {
  client: PublicClient
  multicallAddress: Address
  /** Most inner calls per aggregate3 request; larger batches are split and sent concurrently. */
  multicallBatchSize: number
  /** The chain's request size budget, shared with its transport. Default: a fresh 1.5 MiB one. */
  requestLimit?: RequestSizeLimit
}

// An aggregate3 eth_call's JSON body, besides its inner calls: the JSON-RPC envelope with `to` and
// the block (generous: under 200 bytes in practice), then `0x`, the selector, the array's offset and length.
const ENVELOPE_BYTES = 512 + 2 + 2 * (4 + 32 + 32)
/** Hex characters one inner call adds: its head offset, target, allowFailure, bytes offset and length, then the padded calldata. */
const innerCallBytes = (call: MulticallCall) => 2 * (5 * 32 + 32 * Math.ceil((call.callData.length - 2) / 64))

function blockTag(options?: ReadOptions) {
  return options?.blockNumber === undefined ? ({ blockTag: 'latest' } as const) : { blockNumber: options.blockNumber }
}

/**
 * The `chain` capability over one viem client per chain. `multicall` packs calls into Multicall3
 * `aggregate3` requests of at most `multicallBatchSize` calls and `max_request_bytes` of JSON, and
 * decodes per call, so a module that polls thousands of watches costs a handful of requests. An
 * aggregate3 the node refuses as too large is split in halves and sent again (bounded: down to one
 * call or 64 KiB), and the lowered limit is kept for the next ones. Every answer reaches the module
 * in canonical lower-case hex, whatever the node's dialect; failures are typed
 * (`ChainCallError` for a revert, `ChainRequestTooLargeError`, `ChainMethodNotFoundError`,
 * `ChainRequestError` for transport faults).
 *
 * @example
 * const chain = createChainHost(new Map([[11155111, { client, multicallAddress: '0xcA11bde05977b3631167028862bE2a173976CA11', multicallBatchSize: 500 }]]))
 * const results = await chain.multicall(11155111, calls, { blockNumber: 123n })
 */
export function createChainHost(chains: ReadonlyMap<number, ChainHostChain>): ChainHost {
  const limits = new Map<number, RequestSizeLimit>()
  const get = (chainId: number, method: string) => {
    const chain = chains.get(chainId)
    if (!chain) throw new ChainRequestError(`Chain ${chainId} is not configured`, { chainId, method, details: [`configured: ${[...chains.keys()].join(', ')}`] })
    return chain
  }
  const limitOf = (chainId: number, chain: ChainHostChain) => {
    let limit = chain.requestLimit ?? limits.get(chainId)
    if (!limit) limits.set(chainId, (limit = createRequestSizeLimit()))
    return limit
  }
  const pack = (chain: ChainHostChain, limit: RequestSizeLimit, calls: readonly MulticallCall[]) =>
    splitBySize(calls, { sizeOf: innerCallBytes, maxBytes: limit.bytes, maxCount: chain.multicallBatchSize, overheadBytes: ENVELOPE_BYTES })

  async function aggregate3(chainId: number, chain: ChainHostChain, calls: readonly MulticallCall[], options?: ReadOptions): Promise<MulticallResult[]> {
    const data = encodeFunctionData({
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [calls.map((c) => ({ target: c.target, allowFailure: c.allowFailure ?? true, callData: c.callData }))],
    })
    let answer: Hex | undefined
    try {
      ;({ data: answer } = await chain.client.call({ to: chain.multicallAddress, data, ...blockTag(options) }))
    } catch (error) {
      throw toChainRequestError(error, { chainId, method: 'eth_call', shortMessage: 'Multicall3 aggregate3 failed', details: [`calls: ${calls.length}`] })
    }
    if (!answer || answer === '0x')
      throw new ChainRequestError('Multicall3 returned no data', {
        chainId,
        method: 'eth_call',
        details: [`multicall address: ${chain.multicallAddress}`, 'Is Multicall3 deployed on this chain?'],
      })
    // The fast reader takes canonical data only; a node answering upper case or `0X` (rare: only
    // then is the multi-megabyte answer scanned again) goes through canonicalHex first.
    let results = decodeAggregate3Result(answer)
    if (!results) {
      const canonical = canonicalHex(answer)
      results = canonical && (decodeAggregate3Result(canonical) ?? decodeWithViem(canonical))
    }
    if (!results || results.length !== calls.length)
      throw new ChainRequestError('Multicall3 answered data that does not decode as aggregate3 results', {
        chainId,
        method: 'eth_call',
        details: [`calls: ${calls.length}`, `results: ${results?.length ?? 'none'}`, `answer starts: ${String(answer).slice(0, 74)}`],
      })
    return results
  }

  /**
   * aggregate3, split in halves while the node refuses it as too large (or its answer is over the
   * transport's response limit); each half is smaller, so this ends.
   */
  async function aggregate3Fitting(chainId: number, chain: ChainHostChain, calls: readonly MulticallCall[], options?: ReadOptions): Promise<MulticallResult[]> {
    try {
      return await aggregate3(chainId, chain, calls, options)
    } catch (error) {
      const requestTooLarge = error instanceof ChainRequestTooLargeError && error.bytes > minRequestBytes
      if (!(requestTooLarge || answerTooLarge(error)) || calls.length < 2) throw error
      const limit = limitOf(chainId, chain)
      if (requestTooLarge) limit.shrink(error.bytes, error.refusal)
      const packed = pack(chain, limit, calls)
      const middle = Math.ceil(calls.length / 2)
      const parts = packed.length > 1 ? packed : [calls.slice(0, middle), calls.slice(middle)]
      // One after another: over WebSocket a node closes the socket for a message too big, which
      // fails every request in flight on it. This runs only while the limit is being learned.
      const results: MulticallResult[] = []
      for (const part of parts) results.push(...(await aggregate3Fitting(chainId, chain, part, options)))
      return results
    }
  }

  return {
    async request(chainId, method, params = []) {
      const chain = get(chainId, method)
      try {
        return await chain.client.request({ method: method as 'eth_blockNumber', params: params as never })
      } catch (error) {
        throw toChainRequestError(error, { chainId, method, shortMessage: `RPC ${method} failed` })
      }
    },
    async call(chainId, call, options) {
      const chain = get(chainId, 'eth_call')
      let data: Hex | undefined
      try {
        ;({ data } = await chain.client.call({ to: call.to, data: call.data, ...blockTag(options) }))
      } catch (error) {
        const revert = revertDataOf(error)
        if (revert !== undefined) throw new ChainCallError({ chainId, to: call.to, data: revert, cause: error })
        throw toChainRequestError(error, { chainId, method: 'eth_call', shortMessage: 'eth_call failed' })
      }
      const canonical = canonicalHex(data ?? '0x')
      if (canonical === undefined) throw new ChainRequestError('eth_call answered data that is not hex', { chainId, method: 'eth_call', details: [`answer starts: ${String(data).slice(0, 74)}`] })
      return canonical
    },
    async multicall(chainId, calls, options) {
      const chain = get(chainId, 'eth_call')
      if (calls.length === 0) return []
      const batches = pack(chain, limitOf(chainId, chain), calls)
      const results = await Promise.all(batches.map((batch) => aggregate3Fitting(chainId, chain, batch, options)))
      return results.flat()
    },
    async getBalance(chainId, address, options) {
      const chain = get(chainId, 'eth_getBalance')
      try {
        return await chain.client.getBalance({ address, ...blockTag(options) })
      } catch (error) {
        throw toChainRequestError(error, { chainId, method: 'eth_getBalance', shortMessage: 'eth_getBalance failed' })
      }
    },
  }
}

function answerTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof ResponseBodyTooLargeError) return true
  return false
}

function decodeWithViem(data: Hex): MulticallResult[] | undefined {
  try {
    return decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data }).map((r) => ({ success: r.success, returnData: r.returnData }))
  } catch {
    return undefined
  }
}
