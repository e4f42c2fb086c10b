// Runs in the `vitest-integration` project, under Shepherd's own globalSetup (shepherdVitest()):
// the provided devnet and orderbook stub are live, and the devnet's TWAP handler agrees with the
// TWAP arbitraries on what is valid.
import fc from 'fast-check'
import { encodeFunctionData, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { computeUid, decodeOrderPlacement, decodePollRevert, encodeTwapStaticInput, type ModuleLog } from '../../modules/sdk/index.ts'
import { invalidTwapStaticInputs, twapStaticInputs } from '../../modules/sdk/testing/index.ts'
import { useShepherd } from './index.ts'

const rpc = async (method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: { data?: unknown; message: string } }> => {
  const response = await fetch(useShepherd().rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return (await response.json()) as { result?: unknown; error?: { data?: unknown; message: string } }
}

const validateData = { type: 'function', name: 'validateData', stateMutability: 'pure', inputs: [{ name: 'staticInput', type: 'bytes' }], outputs: [] } as const
const validate = (staticInput: Hex) => rpc('eth_call', [{ to: useShepherd().addresses.twap, data: encodeFunctionData({ abi: [validateData], args: [staticInput] }) }, 'latest'])

describe('the provided devnet and stub', () => {
  test('behavior: the devnet answers on chain 11155111 with the protocol at its Sepolia addresses, mining near wall-clock time', async () => {
    const shepherd = useShepherd()
    expect(shepherd.chainId).toBe(11155111)
    expect((await rpc('eth_chainId')).result).toBe('0xaa36a7')
    expect(((await rpc('eth_getCode', [shepherd.addresses.composableCow, 'latest'])).result as string).length).toBeGreaterThan(2)
    const block = (await rpc('eth_getBlockByNumber', ['latest', false])).result as { timestamp: Hex }
    expect(Math.abs(Number(BigInt(block.timestamp)) - Date.now() / 1000)).toBeLessThan(5)
  })

  test('behavior: the stub answers the version, takes an order, and serves it back; an unknown UID is a 404', async () => {
    const { orderbookUrl } = useShepherd()
    expect((await fetch(`${orderbookUrl}/api/v1/version`)).status).toBe(200)
    const from = '0x1111111111111111111111111111111111111111'
    // presign: the stub checks signatures and funds against the devnet (strict), and a presign
    // order needs neither; it is served back as presignaturePending.
    const body = {
      sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14', buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59', receiver: from,
      sellAmount: '1000000000000000000', buyAmount: '2000000000000000000', validTo: Math.floor(Date.now() / 1000) + 3600,
      appData: '0xb48d38f93eaa084033fc5970bf96e559c33c4cdc07d889ab00b4d63f9590739d', feeAmount: '0', kind: 'sell', partiallyFillable: false,
      sellTokenBalance: 'erc20', buyTokenBalance: 'erc20', signingScheme: 'presign', signature: '0x', from,
    }
    const posted = await fetch(`${orderbookUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(posted.status).toBe(201)
    const uid = (await posted.json()) as string
    expect(uid).toMatch(/^0x[0-9a-f]{112}$/)
    expect((await fetch(`${orderbookUrl}/api/v1/orders/${uid}`)).status).toBe(200)
    expect((await fetch(`${orderbookUrl}/api/v1/orders/0x${'00'.repeat(56)}`)).status).toBe(404)
  })
})

const until = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const createOrder = {
  type: 'function', name: 'createOrder', stateMutability: 'payable', outputs: [{ name: 'orderHash', type: 'bytes32' }],
  inputs: [{ name: 'order', type: 'tuple', components: [
    { name: 'buyToken', type: 'address' }, { name: 'receiver', type: 'address' }, { name: 'sellAmount', type: 'uint256' }, { name: 'buyAmount', type: 'uint256' },
    { name: 'appData', type: 'bytes32' }, { name: 'feeAmount', type: 'uint256' }, { name: 'validTo', type: 'uint32' }, { name: 'partiallyFillable', type: 'bool' }, { name: 'quoteId', type: 'int64' },
  ] }],
} as const

describe('the provided stub indexes EthFlow orders as the real orderbook does', () => {
  test('behavior: an order placed on the devnet is served by the stub under the UID its OrderPlacement log gives', async () => {
    const { addresses, chainId, orderbookUrl } = useShepherd()
    const sender = '0x2222222222222222222222222222222222222222'
    await rpc('anvil_setBalance', [sender, '0x8ac7230489e80000'])
    await rpc('anvil_impersonateAccount', [sender])
    const sellAmount = 10n ** 15n + BigInt(Date.now() % 1_000_000) // a new UID on each run
    const data = encodeFunctionData({ abi: [createOrder], args: [{ buyToken: addresses.cowToken, receiver: sender, sellAmount, buyAmount: 1n, appData: `0x${'00'.repeat(32)}`, feeAmount: 0n, validTo: Math.floor(Date.now() / 1000) + 3600, partiallyFillable: false, quoteId: 7n }] })
    const sent = await rpc('eth_sendTransaction', [{ from: sender, to: addresses.ethFlow, value: `0x${sellAmount.toString(16)}`, data }])
    expect(sent.error).toBeUndefined()
    const receipt = await until('receipt', async () => ((await rpc('eth_getTransactionReceipt', [sent.result])).result ?? undefined) as { logs: ModuleLog[] } | undefined)
    // Ground truth: the UID comes from the chain's own log, not from the stub.
    const placement = decodeOrderPlacement(receipt.logs[0]!)
    if (!placement.ok) throw placement.error
    const uid = computeUid(chainId, placement.value.order, addresses.ethFlow)
    const status = await until('the stub serving the EthFlow order', async () => {
      const answer = await fetch(`${orderbookUrl}/api/v1/orders/${uid}`)
      return answer.status === 200 ? answer.status : undefined
    })
    expect(status).toBe(200)
  })
})

describe('the TWAP arbitraries against the devnet TWAP handler', () => {
  test('behavior: the handler accepts every generated valid TWAP', async () => {
    await fc.assert(
      fc.asyncProperty(twapStaticInputs(), async (twap) => {
        const answer = await validate(encodeTwapStaticInput(twap))
        expect(answer.error, JSON.stringify(answer.error)).toBeUndefined()
      }),
      { numRuns: 30 },
    )
  })

  test('behavior: the handler refuses every invalid TWAP with the OrderNotValid reason the arbitrary names', async () => {
    await fc.assert(
      fc.asyncProperty(invalidTwapStaticInputs(), async ({ input, reason }) => {
        const answer = await validate(encodeTwapStaticInput(input))
        expect(decodePollRevert(answer.error?.data)).toEqual({ kind: 'notValid', reason })
      }),
      { numRuns: 40 },
    )
  })
})
