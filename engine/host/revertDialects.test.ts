import { decodeFunctionData, encodeErrorResult, encodeFunctionResult, multicall3Abi, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getTradeableOrderWithSignatureFunction, pollErrorsAbi } from '../../modules/sdk/abi/composableCow.ts'
import { decodePollResult, decodePollReturn, decodePollRevert, pollOutcomeFromError, type PollOutcome } from '../../modules/sdk/codecs/pollOutcome.ts'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL } from '../../modules/sdk/orders/gpv2Order.ts'
import { createRpcChainSource } from '../chain/createRpcChainSource.ts'
import { startRpcStandIn, type RpcStandIn, type StandInAnswer } from '../chain/startRpcStandIn.ts'
import { createChainHost } from './createChainHost.ts'

// Issue 15, "Chain answers a real node gives": every dialect must classify exactly as the bare
// lower-case hex does, on every path a module polls through.

const CHAIN = 11155111
const MULTICALL: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'
const COMPOSABLE_COW: Address = '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74'
const owner: Address = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'

const revert = (errorName: string, args: readonly unknown[]) => encodeErrorResult({ abi: pollErrorsAbi, errorName, args } as never)
const order = {
  sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  receiver: owner,
  sellAmount: 10n ** 18n,
  buyAmount: 5n,
  validTo: 1_700_000_000,
  appData: `0x${'ab'.repeat(32)}`,
  feeAmount: 0n,
  kind: ORDER_KIND_SELL,
  partiallyFillable: false,
  sellTokenBalance: BALANCE_ERC20,
  buyTokenBalance: BALANCE_ERC20,
} as const
const orderReturn = encodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', result: [order, '0xc0ffee'] })

/** Calldata of each poll -> what the chain answers for it, in canonical lower-case hex. */
const polls: ReadonlyArray<{ callData: Hex; answer: { revert: Hex } | { return: Hex } }> = [
  { callData: '0x00000001', answer: { revert: revert('PollTryNextBlock', ['not yet']) } },
  { callData: '0x00000002', answer: { revert: revert('PollTryAtEpoch', [1_800_000_000n, 'at t0']) } },
  { callData: '0x00000003', answer: { revert: revert('PollNever', ['cancelled']) } },
  { callData: '0x00000004', answer: { revert: revert('OrderNotValid', ['expired']) } },
  { callData: '0x00000005', answer: { revert: '0x' } },
  { callData: '0x00000006', answer: { return: orderReturn } },
]
/** What each poll means, read from the canonical answers: every dialect must give exactly these. */
const expected: PollOutcome[] = polls.map(({ answer }) => ('revert' in answer ? decodePollRevert(answer.revert) : decodePollReturn(answer.return)))

const upper = (hex: Hex) => `0x${hex.slice(2).toUpperCase()}`
/** How nodes write hex: any return data or eth_call result, and revert data. */
const hexDialects: Record<string, (hex: Hex) => string> = {
  'lower-case 0x (geth, Anvil)': (hex) => hex,
  'upper-case digits': upper,
  '0X prefix': (hex) => `0X${hex.slice(2)}`,
  '0X prefix, upper case': (hex) => `0X${hex.slice(2).toUpperCase()}`,
}
/** How nodes report a revert of eth_call: the JSON-RPC error code, message and `data`. */
const revertDialects: Record<string, (hex: Hex) => { code: number; message: string; data: string }> = {
  ...Object.fromEntries(Object.entries(hexDialects).map(([name, write]) => [`code 3, data ${name}`, (hex: Hex) => ({ code: 3, message: 'execution reverted', data: write(hex) })])),
  'Nethermind -32000, bare hex': (hex) => ({ code: -32000, message: 'execution reverted', data: hex }),
  'Nethermind -32015, "Reverted 0x..."': (hex) => ({ code: -32015, message: 'VM execution error.', data: `Reverted ${hex}` }),
  'Nethermind 3, "Reverted 0X..." upper case': (hex) => ({ code: 3, message: 'execution reverted', data: `Reverted 0X${hex.slice(2).toUpperCase()}` }),
  'Nethermind -32015, "err: 0x... (supplied gas N)"': (hex) => ({ code: -32015, message: 'VM execution error.', data: hex === '0x' ? 'err: revert (supplied gas 36000000)' : `err: ${hex} (supplied gas 36000000)` }),
}

let writeHex = hexDialects['lower-case 0x (geth, Anvil)']!
let writeRevert = revertDialects['code 3, data lower-case 0x (geth, Anvil)']!

/** The stand-in node: answers each poll from `polls`, aggregate3 included, in the current dialects. */
function answer({ method, params }: { method: string; params: unknown[] }): StandInAnswer {
  if (method === 'eth_chainId') return { result: '0xaa36a7' }
  if (method !== 'eth_call') return { error: { code: -32601, message: 'Method not found' } }
  const { to, data } = params[0] as { to: string; data: Hex }
  if (to.toLowerCase() === MULTICALL.toLowerCase()) {
    const { args } = decodeFunctionData({ abi: multicall3Abi, data })
    const inner = (args[0] as ReadonlyArray<{ callData: Hex }>).map(({ callData }) => {
      const poll = polls.find((p) => p.callData === callData)!.answer
      return 'revert' in poll ? { success: false, returnData: poll.revert } : { success: true, returnData: poll.return }
    })
    return { result: writeHex(encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: inner })) }
  }
  const poll = polls.find((p) => p.callData === data)!.answer
  return 'revert' in poll ? { error: writeRevert(poll.revert) } : { result: writeHex(poll.return) }
}

let node: RpcStandIn
const sources: Array<ReturnType<typeof createRpcChainSource>> = []
beforeAll(async () => {
  node = await startRpcStandIn({ answer })
})
afterAll(async () => {
  for (const source of sources) await source.close()
  await node.stop()
})
const hostOver = (transport: 'http' | 'ws') => {
  const source = createRpcChainSource({ chainId: CHAIN, rpcUrl: transport === 'http' ? node.httpUrl : node.wsUrl, requestRetries: 0 })
  sources.push(source)
  return createChainHost(new Map([[CHAIN, { client: source.client, multicallAddress: MULTICALL, multicallBatchSize: 500, requestLimit: source.requestLimit }]]))
}
const singleCalls = (host: ReturnType<typeof createChainHost>) =>
  Promise.all(polls.map(({ callData }) => host.call(CHAIN, { to: COMPOSABLE_COW, data: callData }).then(decodePollReturn, pollOutcomeFromError)))
const multicall = async (host: ReturnType<typeof createChainHost>) =>
  (await host.multicall(CHAIN, polls.map(({ callData }) => ({ target: COMPOSABLE_COW, callData, allowFailure: true })))).map(decodePollResult)

describe('revert and return data dialects x paths', () => {
  test('the baseline: the canonical answers mean a different thing each', () => {
    expect(expected.map((o) => o.kind)).toEqual(['tryNextBlock', 'tryAtEpoch', 'never', 'notValid', 'unknown', 'order'])
  })

  for (const transport of ['http', 'ws'] as const) {
    test.each(Object.keys(revertDialects))(`behavior: host.chain.call over ${transport} + pollOutcomeFromError: a revert as %s classifies as the bare hex`, async (dialect) => {
      writeRevert = revertDialects[dialect]!
      writeHex = hexDialects['lower-case 0x (geth, Anvil)']!
      expect(await singleCalls(hostOver(transport))).toEqual(expected)
    })

    test.each(Object.keys(hexDialects))(`behavior: over ${transport}, return data and the aggregate3 result in %s classify as lower-case hex (host.chain.call and host.chain.multicall)`, async (dialect) => {
      writeHex = hexDialects[dialect]!
      writeRevert = revertDialects['code 3, data lower-case 0x (geth, Anvil)']!
      const host = hostOver(transport)
      expect(await singleCalls(host)).toEqual(expected)
      expect(await multicall(host)).toEqual(expected)
    })
  }

  test.each(Object.keys(revertDialects))('behavior: createMockHost, a revert programmed as %s reaches the module as the bare hex does (call and multicall)', async (dialect) => {
    const mock = createMockHost({ module: 'dialects' })
    for (const { callData, answer: a } of polls) {
      const programmed = 'revert' in a ? { revert: revertDialects[dialect]!(a.revert).data } : a.return
      mock.chain.onCall({ data: callData }, programmed as Hex | { revert: string })
    }
    expect(await singleCalls(mock.host.chain as ReturnType<typeof createChainHost>)).toEqual(expected)
    expect(await multicall(mock.host.chain as ReturnType<typeof createChainHost>)).toEqual(expected)
  })

  test.each(Object.keys(hexDialects))('behavior: createMockHost, return data programmed in %s reaches the module as lower-case hex', async (dialect) => {
    const mock = createMockHost({ module: 'dialects' })
    for (const { callData, answer: a } of polls) mock.chain.onCall({ data: callData }, ('revert' in a ? a : hexDialects[dialect]!(a.return)) as Hex)
    expect(await singleCalls(mock.host.chain as ReturnType<typeof createChainHost>)).toEqual(expected)
    expect(await multicall(mock.host.chain as ReturnType<typeof createChainHost>)).toEqual(expected)
  })

  test.each(Object.keys(revertDialects))('behavior: decodePollRevert reads revert data written as %s like the bare hex', (dialect) => {
    const reverts = polls.flatMap(({ answer: a }) => ('revert' in a ? [a.revert] : []))
    expect(reverts.map((hex) => decodePollRevert(revertDialects[dialect]!(hex).data))).toEqual(reverts.map((hex) => decodePollRevert(hex)))
  })
})
