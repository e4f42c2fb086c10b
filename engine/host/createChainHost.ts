import {
  BaseError,
  decodeFunctionResult,
  encodeFunctionData,
  multicall3Abi,
  RawContractError,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem'
import { decodeAggregate3Result } from './decodeAggregate3Result.ts'
import { ChainCallError, ChainRequestError } from '../errors/chain.ts'
import type { ChainHost, MulticallCall, MulticallResult, ReadOptions } from '../module/types.ts'

export type ChainHostChain = {
  client: PublicClient
  multicallAddress: Address
  /** Inner calls per aggregate3 request; larger batches are split and sent concurrently. */
  multicallBatchSize: number
}

/** Finds revert data in a viem error chain (eth_call answers it in `error.data`). */
export function revertDataOf(error: unknown): Hex | undefined {
  if (error instanceof BaseError) {
    const raw = error.walk((e) => e instanceof RawContractError || (typeof (e as { data?: unknown }).data === 'string' && String((e as { data: string }).data).startsWith('0x')))
    const data = (raw as { data?: unknown } | null)?.data
    if (typeof data === 'string' && data.startsWith('0x')) return data as Hex
    if (data && typeof data === 'object' && typeof (data as { data?: unknown }).data === 'string') return (data as { data: Hex }).data
  }
  return undefined
}

function blockTag(options?: ReadOptions) {
  return options?.blockNumber === undefined ? ({ blockTag: 'latest' } as const) : { blockNumber: options.blockNumber }
}

/**
 * The `chain` capability over one viem client per chain. `multicall` packs calls into Multicall3
 * `aggregate3` requests of `multicallBatchSize` and decodes per call, so a module that polls
 * thousands of watches costs a handful of requests.
 */
export function createChainHost(chains: ReadonlyMap<number, ChainHostChain>): ChainHost {
  const get = (chainId: number, method: string) => {
    const chain = chains.get(chainId)
    if (!chain) throw new ChainRequestError(`Chain ${chainId} is not configured`, { chainId, method, details: [`configured: ${[...chains.keys()].join(', ')}`] })
    return chain
  }

  async function aggregate3(chainId: number, chain: ChainHostChain, calls: readonly MulticallCall[], options?: ReadOptions): Promise<MulticallResult[]> {
    const data = encodeFunctionData({
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [calls.map((c) => ({ target: c.target, allowFailure: c.allowFailure ?? true, callData: c.callData }))],
    })
    let result: Hex | undefined
    try {
      ;({ data: result } = await chain.client.call({ to: chain.multicallAddress, data, ...blockTag(options) }))
    } catch (error) {
      throw new ChainRequestError('Multicall3 aggregate3 failed', { chainId, method: 'eth_call', cause: error, details: [`calls: ${calls.length}`] })
    }
    if (!result || result === '0x')
      throw new ChainRequestError('Multicall3 returned no data', {
        chainId,
        method: 'eth_call',
        details: [`multicall address: ${chain.multicallAddress}`, 'Is Multicall3 deployed on this chain?'],
      })
    const fast = decodeAggregate3Result(result)
    if (fast) return fast
    const decoded = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: result })
    return decoded.map((r) => ({ success: r.success, returnData: r.returnData }))
  }

  return {
    async request(chainId, method, params = []) {
      const chain = get(chainId, method)
      try {
        return await chain.client.request({ method: method as 'eth_blockNumber', params: params as never })
      } catch (error) {
        throw new ChainRequestError(`RPC ${method} failed`, { chainId, method, cause: error })
      }
    },
    async call(chainId, call, options) {
      const chain = get(chainId, 'eth_call')
      try {
        const { data } = await chain.client.call({ to: call.to, data: call.data, ...blockTag(options) })
        return data ?? '0x'
      } catch (error) {
        const revert = revertDataOf(error)
        if (revert !== undefined) throw new ChainCallError({ chainId, to: call.to, data: revert, cause: error })
        throw new ChainRequestError('eth_call failed', { chainId, method: 'eth_call', cause: error })
      }
    },
    async multicall(chainId, calls, options) {
      const chain = get(chainId, 'eth_call')
      if (calls.length === 0) return []
      const batches: Array<readonly MulticallCall[]> = []
      for (let i = 0; i < calls.length; i += chain.multicallBatchSize) batches.push(calls.slice(i, i + chain.multicallBatchSize))
      const results = await Promise.all(batches.map((batch) => aggregate3(chainId, chain, batch, options)))
      return results.flat()
    },
    async getBalance(chainId, address, options) {
      const chain = get(chainId, 'eth_getBalance')
      try {
        return await chain.client.getBalance({ address, ...blockTag(options) })
      } catch (error) {
        throw new ChainRequestError('eth_getBalance failed', { chainId, method: 'eth_getBalance', cause: error })
      }
    },
  }
}
