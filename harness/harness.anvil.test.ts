import { OrderBookApi, OrderBookApiError, type SupportedChainId } from '@cowprotocol/cow-sdk'
import { forwarderOwnerRuntime } from './devnet/ownerSetupCalls.ts'
import { encodeFunctionData, decodeFunctionResult, keccak256, toHex, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { composableCoWArtifact } from './contracts/artifacts/ComposableCoW.ts'
import { startDevnet, type Devnet } from './devnet/startDevnet.ts'
import { startOrderbookStub, type StartedOrderbookStub } from './orderbook/startOrderbookStub.ts'
import { buildOrderCreation } from '../modules/sdk/index.ts'

const owner: Address = '0x000000000000000000000000000000000000b0b0'
let net: Devnet
let ob: StartedOrderbookStub

beforeAll(async () => {
  net = await startDevnet({ log: (line) => console.info(`[harness test] ${line}`) })
  // TWAP owners here are impersonated accounts holding no sell token: the stub's signature and funds
  // checks (strict by default) would refuse every part, and this test is not about them. They carry
  // the ForwarderOwner runtime (below): ComposableCoW, as the real one, reverts a poll for an EOA owner.
  ob = await startOrderbookStub({ devnet: net, knobs: { checks: { eip1271: false, balance: false, allowance: false, transferSimulation: false } } })
})
afterAll(async () => {
  await ob?.stop()
  await net?.stop()
})

function api() {
  return new OrderBookApi({
    chainId: 11155111 as SupportedChainId,
    baseUrls: { [11155111]: ob.baseUrl } as Record<SupportedChainId, string>,
    backoffOpts: { numOfAttempts: 1 },
    limiterOpts: { tokensPerInterval: 1000, interval: 'second' },
  })
}

describe('devnet + orderbook stub', () => {
  test('behavior: a TWAP from an impersonated owner polls into a tradeable order, posts 201, and a repost is DuplicatedOrder', async () => {
    await net.fund(owner, 10n ** 19n)
    await net.client.request({ method: 'anvil_setCode', params: [owner, forwarderOwnerRuntime] } as never)
    const latest = await net.client.getBlock()
    const { params } = await net.createTwap({
      owner,
      params: {
        sellToken: net.addresses.weth,
        buyToken: net.addresses.cowToken,
        receiver: owner,
        partSellAmount: 10n ** 17n,
        minPartLimit: 1n,
        t0: latest.timestamp - 5n,
        n: 4n,
        t: 600n,
        span: 0n,
        appData: keccak256(toHex('{}')),
      },
      mine: true,
    })
    const data = encodeFunctionData({ abi: composableCoWArtifact.abi, functionName: 'getTradeableOrderWithSignature', args: [owner, params, '0x', []] })
    const { data: result } = await net.client.call({ to: net.addresses.composableCow, data })
    const [order, signature] = decodeFunctionResult({ abi: composableCoWArtifact.abi, functionName: 'getTradeableOrderWithSignature', data: result! })
    expect(order.sellAmount).toBe(10n ** 17n)

    const body = buildOrderCreation({ order, owner, signingScheme: 'eip1271', signature })
    const uid = await api().sendOrder(body)
    expect(uid).toMatch(/^0x[0-9a-f]{112}$/)
    expect(ob.record.entries.at(-1)?.status).toBe(201)

    const repost = await api().sendOrder(body).catch((error: unknown) => error)
    expect(repost).toBeInstanceOf(OrderBookApiError)
    expect((repost as OrderBookApiError<{ errorType: string }>).response.status).toBe(400)
    expect((repost as OrderBookApiError<{ errorType: string }>).body.errorType).toBe('DuplicatedOrder')
    expect(ob.record.postsFor(uid).map((e) => e.status)).toEqual([201, 400])
  })

  test('behavior: an EthFlow order placed on chain is indexed by the stub', async () => {
    const sender: Address = '0x000000000000000000000000000000000000c0c0'
    await net.fund(sender, 10n ** 19n)
    const { orderUid } = await net.placeEthFlowOrder({
      sender,
      order: {
        buyToken: net.addresses.cowToken,
        receiver: sender,
        sellAmount: 123_456_789n,
        buyAmount: 1n,
        appData: keccak256(toHex('{}')),
        feeAmount: 0n,
        validTo: 4_000_000_000,
        partiallyFillable: false,
        quoteId: 7n,
      },
      mine: true,
    })
    expect(await api().getOrder(orderUid).catch((e: unknown) => e)).toBeInstanceOf(OrderBookApiError)
    const deadline = Date.now() + 10_000
    let found: Awaited<ReturnType<OrderBookApi['getOrder']>> | undefined
    while (!found && Date.now() < deadline) {
      found = await api().getOrder(orderUid).catch(() => undefined)
      if (!found) await new Promise((r) => setTimeout(r, 100))
    }
    expect(found?.uid.toLowerCase()).toBe(orderUid.toLowerCase())
    // cow-sdk presents an EthFlow order as its user's; the raw API answer names the contract as owner.
    expect(found?.owner.toLowerCase()).toBe(sender)
    const raw = (await (await fetch(`${ob.baseUrl}/api/v1/orders/${orderUid}`)).json()) as { owner: string; onchainUser: string }
    expect(raw.owner).toBe(net.addresses.ethFlow.toLowerCase())
    expect(raw.onchainUser).toBe(sender)
    expect(ob.ethFlowFollower?.indexed.map((i) => i.uid.toLowerCase())).toContain(orderUid.toLowerCase())
  })
})
