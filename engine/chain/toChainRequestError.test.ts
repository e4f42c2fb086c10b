import { HttpRequestError, RpcRequestError, TimeoutError } from 'viem'
import { describe, expect, test } from 'vitest'
import { ChainRequestError, ChainRequestTooLargeError, ChainUnreachableError, isChainUnreachable } from '../../modules/sdk/errors/chain.ts'
import { deserializeError, serializeError } from '../runner/serializeError.ts'
import { WsRpcError } from './createWsRpcClient.ts'
import { toChainRequestError } from './toChainRequestError.ts'

const at = { chainId: 100, method: 'eth_call', shortMessage: 'eth_call failed' }
const url = 'http://127.0.0.1:8545'

describe('toChainRequestError', () => {
  test('behavior: a request the node never answered (refused, socket down, timeout) is a ChainUnreachableError, retried', () => {
    const refused = new HttpRequestError({ body: {}, cause: Object.assign(new Error('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:8545') }), url })
    for (const cause of [refused, new TimeoutError({ body: {}, url }), new WsRpcError('WebSocket to ws://127.0.0.1:1 is down; reconnecting in 400 ms', undefined)]) {
      const error = toChainRequestError(new Error('CallExecutionError', { cause }), at)
      expect([cause.name, error.name, error.action]).toEqual([cause.name, 'ChainUnreachableError', 'retry'])
      expect(isChainUnreachable(error)).toBe(true)
    }
  })

  test('behavior: an answer (an HTTP error status, a JSON-RPC error) is a plain ChainRequestError, not unreachable', () => {
    const answers = [
      new HttpRequestError({ body: {}, details: 'HTTP 500', status: 500, url }),
      new RpcRequestError({ body: {}, error: { code: -32000, message: 'header not found' }, url }),
      new WsRpcError('execution reverted', -32000),
    ]
    for (const cause of answers) {
      const error = toChainRequestError(cause, at)
      expect([cause.name, error.name]).toEqual([cause.name, 'ChainRequestError'])
      expect(isChainUnreachable(error)).toBe(false)
    }
    const tooLarge = new ChainRequestTooLargeError({ chainId: 100, method: 'eth_call', bytes: 3_000_000, answer: 'HTTP 413' })
    expect(toChainRequestError(new Error('wrapped', { cause: tooLarge }), at)).toBe(tooLarge)
  })

  test('behavior: a ChainUnreachableError keeps its class across a worker boundary', () => {
    const error = new ChainUnreachableError('Multicall3 aggregate3 failed', { chainId: 100, method: 'eth_call' })
    const rebuilt = deserializeError(serializeError(new Error('poll failed', { cause: error })))
    expect(isChainUnreachable(rebuilt)).toBe(true)
    expect(deserializeError(serializeError(error))).toBeInstanceOf(ChainRequestError)
    expect(isChainUnreachable(deserializeError(serializeError(new ChainRequestError('Multicall3 returned no data', { chainId: 100, method: 'eth_call' }))))).toBe(false)
  })
})
