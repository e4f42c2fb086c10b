import { InvalidRequestRpcError, RpcRequestError, UnknownRpcError } from 'viem'
import { describe, expect, test } from 'vitest'
import { WsRpcError } from '../chain/createWsRpcClient.ts'
import { toChainRequestError } from '../chain/toChainRequestError.ts'
import { ChainMethodNotFoundError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { methodNotFoundAnswer } from './methodNotFoundAnswer.ts'

/** A node's JSON-RPC error as viem's http transport surfaces it, wrapped as createRpcChainSource wraps it. */
function overHttp(code: number, message: string) {
  const request = new RpcRequestError({ body: { method: 'eth_getLogs', params: [] }, error: { code, message }, url: 'http://node' })
  const typed = code === -32600 ? new InvalidRequestRpcError(request) : new UnknownRpcError(request)
  return new ChainRequestError('RPC eth_getLogs failed', { chainId: 1, method: 'eth_getLogs', cause: typed })
}
const overWs = (code: number | undefined, message: string) => new ChainRequestError('RPC eth_getLogs failed', { chainId: 1, method: 'eth_getLogs', cause: new WsRpcError(message, code) })

// Each node's own wording, with the code it sends.
const notServed: Array<[string, number | undefined, string]> = [
  ['geth / Erigon / Infura', -32601, 'the method eth_getLogs does not exist/is not available'],
  ['Anvil / Besu', -32601, 'Method not found'],
  ['Lotus', -32601, "method 'eth_getLogs' not found"],
  ['Alchemy (text only)', -32600, 'Unsupported method: eth_getLogs. See available methods at https://docs.alchemy.com/alchemy/documentation/apis'],
  ['OP Stack / Arbitrum public endpoints (text only)', -32001, 'rpc method is not whitelisted'],
  ['a paid plan (text only)', -32000, 'Unauthorized method: eth_getLogs.'],
  ['Ganache (text only)', undefined, 'Method eth_getLogs not supported.'],
  ['EIP-1474', -32004, 'Method not supported'],
]

// Answers that must stay retryable (or be someone else's decision): none is about the method.
const otherAnswers: Array<[string, number | undefined, string]> = [
  ['geth, a block not there yet', -32000, 'header not found'],
  ['Anvil, a body over 2 MiB', -32600, 'Invalid request'],
  ['too many results', -32005, 'query returned more than 10000 results'],
  ['a revert', 3, 'execution reverted'],
  ['a rate limit', 429, 'Too Many Requests'],
  ['a timeout', undefined, 'eth_getLogs timed out after 10000 ms'],
  ['a drop', undefined, 'WebSocket to ws://node closed (code 1006)'],
  ['geth, bad params', -32602, 'invalid argument 0: hex string without 0x prefix'],
  // Anvil over ws says this for an unknown method and for bad params alike: ambiguous, so not "method not found".
  ['Anvil over WebSocket, an unknown method or bad params', -32602, 'data did not match any variant of untagged enum EthRpcCall'],
  ['Alchemy, a log answer too big', -32602, 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range'],
]

describe('methodNotFoundAnswer', () => {
  test.each(notServed)('behavior: %s over HTTP and WebSocket', (_node, code, message) => {
    expect(methodNotFoundAnswer(overWs(code, message))).toContain(message)
    if (code !== undefined) expect(methodNotFoundAnswer(overHttp(code, message))).toContain(message)
  })

  test.each(otherAnswers)('behavior: %s is not "method not found"', (_what, code, message) => {
    expect(methodNotFoundAnswer(overWs(code, message))).toBeUndefined()
    if (code !== undefined) expect(methodNotFoundAnswer(overHttp(code, message))).toBeUndefined()
  })

  test('behavior: our own wrappers are never read as the node (they quote the request)', () => {
    expect(methodNotFoundAnswer(new ChainRequestError('Method not found', { chainId: 1, method: 'eth_getLogs' }))).toBeUndefined()
    expect(methodNotFoundAnswer(new Error('plain'))).toBeUndefined()
    expect(methodNotFoundAnswer('Method not found')).toBeUndefined()
  })

  test('behavior: toChainRequestError types every one of these wordings as ChainMethodNotFoundError (stop) with the answer, and leaves the others retryable', () => {
    const typed = (code: number | undefined, message: string) => toChainRequestError(new WsRpcError(message, code), { chainId: 1, method: 'eth_getLogs', shortMessage: 'RPC eth_getLogs failed' })
    for (const [, code, message] of notServed) {
      const error = typed(code, message)
      expect(error, message).toBeInstanceOf(ChainMethodNotFoundError)
      expect(error.action).toBe('stop')
      expect(error.shortMessage).toBe('The node does not serve eth_getLogs')
      expect(error.details).toContain(`answer: ${code === undefined ? message : `${message} (code ${code})`}`)
    }
    for (const [, code, message] of otherAnswers) {
      const error = typed(code, message)
      expect(error, message).not.toBeInstanceOf(ChainMethodNotFoundError)
      expect(error.action).toBe('retry')
    }
  })
})
