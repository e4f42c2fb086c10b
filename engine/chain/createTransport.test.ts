import { createPublicClient } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { createMetrics } from '../metrics/createMetrics.ts'
import { createTransport } from './createTransport.ts'
import { createWsRpcClient, type WsRpcClient } from './createWsRpcClient.ts'
import { startRpcStandIn, type RpcStandIn, type StandInAnswer } from './startRpcStandIn.ts'

let node: RpcStandIn | undefined
let ws: WsRpcClient | undefined
afterEach(async () => {
  ws?.close()
  ws = undefined
  await node?.stop()
  node = undefined
})

// How nodes answer an eth_call that reverted, and answers that are not reverts. The method names
// the case; every one is sent as eth_call, with the case in its params.
const answers: Record<string, StandInAnswer> = {
  'geth/Anvil: code 3 with data': { error: { code: 3, message: 'execution reverted', data: '0x08c379a0' } },
  'code 3 without data (a revert with no reason)': { error: { code: 3, message: 'execution reverted' } },
  'Nethermind < 1.20: -32015 "Reverted 0x..."': { error: { code: -32015, message: 'VM execution error.', data: 'Reverted 0x7A933234' } },
  'Nethermind 1.3x: -32000 "err: 0x... (supplied gas N)"': { error: { code: -32000, message: 'execution reverted', data: 'err: 0xdf2d9b42 (supplied gas 36000000)' } },
  'upper-case revert data, -32000': { error: { code: -32000, message: 'execution reverted', data: '0X08C379A0' } },
  'header not found': { error: { code: -32000, message: 'header not found' } },
  'internal error with text data': { error: { code: -32603, message: 'internal error', data: 'database closed' } },
  'rate limited': { error: { code: 429, message: 'too many requests' } },
}
const expected: Record<string, 'revert' | 'error'> = {
  'geth/Anvil: code 3 with data': 'revert',
  'code 3 without data (a revert with no reason)': 'revert',
  'Nethermind < 1.20: -32015 "Reverted 0x..."': 'revert',
  'Nethermind 1.3x: -32000 "err: 0x... (supplied gas N)"': 'revert',
  'upper-case revert data, -32000': 'revert',
  'header not found': 'error',
  'internal error with text data': 'error',
  'rate limited': 'error',
}

async function outcomes(transport: 'http' | 'ws') {
  node = await startRpcStandIn({ answer: ({ params }) => (params[0] === 'ok' ? { result: '0x01' } : answers[String(params[0])]!) })
  const metrics = createMetrics()
  if (transport === 'ws') ws = createWsRpcClient({ url: node.wsUrl, chainId: 1 })
  const client = createPublicClient({ transport: createTransport({ url: transport === 'ws' ? node.wsUrl : node.httpUrl, chainId: 1, metrics, ws }) })
  const cases = ['ok', ...Object.keys(answers)]
  const results = await Promise.allSettled(cases.map((which) => client.request({ method: 'eth_call', params: [which] as never })))
  expect(results.map((r) => r.status)).toEqual(['fulfilled', ...Object.keys(answers).map(() => 'rejected')])
  const counted = Object.fromEntries((await metrics.chainRequests.get()).values.map((v) => [String(v.labels.outcome), v.value]))
  return counted
}

describe('createTransport counts requests by outcome', () => {
  test.each(['http', 'ws'] as const)('behavior: a revert in any node dialect is outcome="revert", an answer and not a failure; other node errors are "error" (%s)', async (transport) => {
    const counted = await outcomes(transport)
    const reverts = Object.values(expected).filter((o) => o === 'revert').length
    expect(counted).toEqual({ ok: 1, revert: reverts, error: Object.keys(answers).length - reverts })
  })

  test('behavior: a node that is down is outcome="error"', async () => {
    node = await startRpcStandIn({ answer: () => ({ result: '0x01' }) })
    const url = node.httpUrl
    await node.stop()
    node = undefined
    const metrics = createMetrics()
    const client = createPublicClient({ transport: createTransport({ url, chainId: 1, metrics }) })
    await expect(client.request({ method: 'eth_call', params: [] as never })).rejects.toThrow()
    expect((await metrics.chainRequests.get()).values.map((v) => [v.labels.outcome, v.value])).toEqual([['error', 1]])
  })
})
