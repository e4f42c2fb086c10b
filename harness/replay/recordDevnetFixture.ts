/**
 * Regenerates the committed cassette: starts a manual-mining devnet with CoW Protocol at its real
 * Sepolia addresses, drives e2e-style triggers (TWAPs across several parts, EthFlow placements,
 * oracle moves through the price-alert threshold and the stop-loss trigger, balance changes) with
 * empty blocks mined cheaply in between (the TWAPs' owner is given the ForwarderOwner code first:
 * their parts are answered only for an owner with code), then records the range with all five modules against the
 * in-process orderbook stub (whose first posts are refused as DuplicatedOrder).
 *
 * Run: `npx tsx harness/replay/recordDevnetFixture.ts [fixtures/devnet-sepolia.ndjson.gz]`
 */
import '../../engine/polyfills.ts'
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEther, zeroHash, type Address } from 'viem'
import { engineConfigSchema, type EngineConfig } from '../../engine/config/schema.ts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { createOrderbookStub } from '../orderbook/createOrderbookStub.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { followEthFlow } from '../orderbook/followEthFlow.ts'
import { runLoad } from '../load/runLoad.ts'
import { recordRange } from './record.ts'

const out = process.argv[2] ?? 'fixtures/devnet-sepolia.ndjson.gz'
const owner: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const tracked: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
// The TWAPs' owner: a contract owner, as on the real chain (ComposableCoW, and our double, answer
// getTradeableOrderWithSignature only for an owner with code: EIP-1271 through the forwarder). Not
// `owner`: that one stays a plain EOA, the PreSign owner of the stop-loss order and the EthFlow sender.
const twapOwner: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65'
const ROUNDS = 12
const EMPTY_PER_ROUND = 90
const SECONDS_PER_BLOCK = 12

const net = await startDevnet({ log: () => {} })
try {
  const a = net.addresses
  const modules = [
    { name: 'twap-monitor', config: {} },
    { name: 'ethflow-watcher', config: { deadlineSeconds: 600 } },
    { name: 'price-alert', config: { threshold: '2500', direction: 'below', hysteresis: '50' } },
    { name: 'stop-loss', config: { triggerPrice: '2200', owner, sellToken: a.weth, buyToken: a.cowToken, sellAmount: '1000000000000000000', buyAmount: '1' } },
    { name: 'balance-tracker', config: { addresses: [tracked, owner], threshold: '1000000000000000' } },
  ]
  const from = (await net.client.getBlockNumber()) + 1n
  await net.fund(owner, parseEther('1000'))
  await net.prepareOwners({ owners: [twapOwner], sellToken: a.weth, balance: parseEther('10') })
  // Baseline-style load first: 1 sender x (2 TWAP + 2 EthFlow) per block for 5 blocks, TWAP parts
  // every 60 s, while blocks are mined one at a time.
  let loading = true
  const miner = (async () => {
    while (loading) {
      await net.mine(1, SECONDS_PER_BLOCK)
      await new Promise((r) => setTimeout(r, 400))
    }
  })()
  const load = await runLoad({ rpcUrl: net.rpcUrl, senders: 1, twapPerBlock: 2, ethFlowPerBlock: 2, blocks: 5, seed: 'backtest-fixture', twap: { n: 4, t: 60 } })
  loading = false
  await miner
  const mined = { mine: true } as const
  // One oracle answer per round, so the feed stays fresh; it crosses 2500 (alert) and 2200 (stop-loss).
  const prices = [3000n, 2600n, 2400n, 2700n, 3000n, 2150n, 2100n, 2900n, 3000n, 2450n, 2800n, 3000n]
  for (let round = 0; round < ROUNDS; round++) {
    await net.setOraclePrice(prices[round]! * 10n ** 8n, mined)
    if (round % 3 === 0)
      for (let i = 0; i < 2; i++)
        await net.createTwap({
          owner: twapOwner,
          mode: 'createWithContext',
          params: { sellToken: a.weth, buyToken: a.cowToken, receiver: twapOwner, partSellAmount: parseEther('0.1') + BigInt(round * 2 + i), minPartLimit: 1n, t0: 0n, n: 4n, t: 1800n, span: 0n, appData: EMPTY_APP_DATA_HASH },
          ...mined,
        })
    if (round % 2 === 1) {
      const validTo = Number((await net.client.getBlock()).timestamp) + 7200
      await net.placeEthFlowOrder({
        sender: owner,
        order: { buyToken: a.cowToken, receiver: owner, sellAmount: parseEther("0.05"), buyAmount: BigInt(round + 1), appData: zeroHash, feeAmount: 0n, validTo, partiallyFillable: false, quoteId: BigInt(round) },
        ...mined,
      })
    }
    await net.fund(tracked, parseEther(String(10 + round)))
    await net.mine(1)
    await net.mine(EMPTY_PER_ROUND, SECONDS_PER_BLOCK)
  }
  const to = await net.client.getBlockNumber()
  // The stub indexes EthFlow placements as the real orderbook does, but misses some (seeded), so
  // ethflow-watcher both verifies orders and raises ethflow-missing.
  const stub = createOrderbookStub({ chainId: 11155111 })
  const follower = followEthFlow(stub, { rpcUrl: net.rpcUrl, indexingDelayMs: 0, missRate: 0.4, fromBlock: from, pollIntervalMs: 50, seed: 3 })
  while (follower.nextBlock <= to) await new Promise((r) => setTimeout(r, 50))
  await follower.stop()
  const config: EngineConfig = {
    ...engineConfigSchema.parse({ chains: {}, modules }),
    chains: new Map([[11155111, engineConfigSchema.shape.chains.parse({ '11155111': { rpc_url: net.rpcUrl } })['11155111']!]]),
    file: resolve('fixtures/devnet.toml'),
  }
  const result = await recordRange({
    config,
    rpcUrl: net.rpcUrl,
    from,
    to,
    out,
    orderbook: 'stub',
    stub,
    stubRules: [{ name: 'duplicate-first-3-posts', match: { method: 'POST', path: '/api/v1/orders' }, respond: { status: 400, errorType: 'DuplicatedOrder', description: 'order already exists' }, times: 3 }],
    recordedOn: 'local devnet (Anvil, chain 11155111, CoW Protocol at the real Sepolia addresses)',
    notes: [`load: ${load.drivenBlocks.reduce((n, b) => n + b.sent, 0)} txs over ${load.drivenBlocks.length} blocks`, `EthFlow orders indexed by the stub: ${follower.indexed.length} (miss rate 0.4)`, `${ROUNDS} rounds: oracle moves ${prices.join(', ')} USD; 8 TWAPs (4 parts of 30 min); 6 EthFlow placements; balance changes; ${EMPTY_PER_ROUND} empty ${SECONDS_PER_BLOCK} s blocks per round`],
  })
  rmSync(resolve('fixtures/.shepherd-record'), { recursive: true, force: true })
  console.log(JSON.stringify({ ...result, from: String(from), to: String(to) }))
} finally {
  await net.stop()
}
