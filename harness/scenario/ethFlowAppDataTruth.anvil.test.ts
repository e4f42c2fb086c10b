import { afterAll, beforeAll, expect, test } from 'vitest'
import { parseEther, type Address, type Hex } from 'viem'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { buildLoadAppData, registerLoadAppData } from '../load/loadAppData.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../orderbook/startOrderbookStub.ts'
import { collectGroundTruth } from './groundTruth.ts'
import { judge } from './judge.ts'

// Ground truth end to end: two EthFlow orders on chain, each naming a realistic appData document in its
// OrderPlacement; the orderbook stub holds only one of the two documents. Reading each order back (as
// ethflow-watcher does) records what the orderbook answered; the chain's logs then judge it.
let net: Devnet
let stub: StartedOrderbookStub
beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  stub = await startOrderbookStub({ devnet: net })
})
afterAll(async () => {
  await stub?.stop()
  await net?.stop()
})

const sender: Address = '0x000000000000000000000000000000000000e7f1'

test('judge: an EthFlow order the orderbook shows without the document its OrderPlacement named fails "EthFlow appData intact"; the one with it passes', { timeout: 60_000 }, async () => {
  const documents = await buildLoadAppData()
  const [held, never] = [documents.find((d) => d.name === 'hooks')!, documents.find((d) => d.name === 'partner-fee-referrer')!]
  await registerLoadAppData({ orderbookUrl: stub.baseUrl, documents: [held] })
  await net.fund(sender, parseEther('10'))
  const fromBlock = (await net.client.getBlockNumber()) + 1n
  const validTo = Number((await net.client.getBlock()).timestamp) + 3600
  const place = (appData: Hex, quoteId: bigint) =>
    net.placeEthFlowOrder({ sender, order: { buyToken: net.addresses.cowToken, receiver: sender, sellAmount: parseEther('0.1'), buyAmount: 1n, appData, feeAmount: 0n, validTo, partiallyFillable: false, quoteId }, mine: true })
  const intact = await place(held.hash, 1n)
  const lost = await place(never.hash, 2n)
  // Read each order back as a client would, bounded: the stub indexes placements by polling.
  for (const uid of [intact.orderUid, lost.orderUid]) {
    let status = 0
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${stub.baseUrl}/api/v1/orders/${uid}`)).status
      if (status !== 200) await new Promise((r) => setTimeout(r, 100))
    }
    expect(status).toBe(200)
  }
  const toBlock = await net.client.getBlockNumber()
  const truth = await collectGroundTruth({ client: net.client as never, addresses: net.addresses, fromBlock, toBlock, record: stub.record.entries, blockSeenAt: new Map() })

  expect(truth.ethFlow).toMatchObject({ placed: 2, observed: 2 })
  expect(truth.ethFlowAppData).toEqual({
    nonEmptyPlacements: 2,
    checked: 2,
    intact: 1,
    violations: [{ uid: lost.orderUid.toLowerCase(), expected: never.hash, found: never.hash, why: 'the orderbook holds no document for the appData its creation named' }],
  })
  const verdict = judge({
    twap: { expected: 0, delivered: 0, duplicates: 0 },
    ethFlow: truth.ethFlow,
    unexplainedOrders: 0,
    moduleErrors: { value: 0 },
    traps: { value: 0 },
    poisoned: { value: 0 },
    p99LatencyMs: undefined,
    blockTimeMs: 1000,
    ethFlowAppData: truth.ethFlowAppData,
  }, { expectsNone: ['twap'] })
  expect(verdict.bars.find((b) => b.name === 'EthFlow appData intact')).toMatchObject({ status: 'fail', measured: expect.stringMatching(/^1\/2 intact; 1 not: .*holds no document/) })
  expect(verdict.pass).toBe(false)
})
