import { parseEventLogs, toHex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { composableCowAbi, ethFlowAbi } from '../devnet/abis.ts'
import { hashConditionalOrderParams } from '../devnet/helpers/createTwap.ts'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import type { LoadResult } from './loadTypes.ts'
import { rpcCall } from './rpcBatch.ts'
import { loadCommand } from './index.ts'
import { runLoad } from './runLoad.ts'

describe('runLoad against a 1 s devnet', () => {
  let net: Devnet
  let result: LoadResult
  const lines: string[] = []

  beforeAll(async () => {
    net = await startDevnet({ blockTime: 1, log: () => {} })
    result = await runLoad({ rpcUrl: net.rpcUrl, senders: 2, twapPerBlock: 3, ethFlowPerBlock: 3, blocks: 4, seed: 'anvil-test', log: (line) => lines.push(line) })
    console.info(lines.join('\n'))
  })
  afterAll(async () => {
    await net?.stop()
  })

  test('behavior: every accepted transaction is mined, per sender', () => {
    expect(result.blocksDriven).toBe(4)
    expect(result.stoppedBy).toBe('blocks')
    expect(result.totals.sent).toBe(2 * 6 * 4)
    expect(result.totals.rejected).toBe(0)
    expect(result.totals.accepted).toBe(48)
    expect(result.totals.mined).toBe(48)
    expect(result.reverts).toEqual([])
    for (const sender of result.senders) {
      expect(sender.mined).toBe(sender.accepted)
      expect(sender.nextNonce - sender.firstNonce).toBe(24)
    }
    expect(result.byKind.twap.mined).toBe(24)
    expect(result.byKind.ethFlow.mined).toBe(24)
  })

  test('behavior: the outcomes read from logs agree with the receipts', async () => {
    const mined = [...result.twaps, ...result.ethFlowOrders]
    const receipts = await Promise.all(mined.map((row) => net.client.getTransactionReceipt({ hash: row.txHash })))
    expect(receipts.map((r) => r.status)).toEqual(mined.map(() => 'success'))
    expect(receipts.map((r) => r.blockNumber)).toEqual(mined.map((row) => row.blockNumber))
  })

  test('behavior: the logs on chain match the counts and the ground-truth lists', async () => {
    const blocks = result.minedPerBlock.map((row) => row.block)
    const fromBlock = blocks[0]!
    const toBlock = blocks[blocks.length - 1]!
    const logs = await net.client.getLogs({ fromBlock, toBlock })
    const created = parseEventLogs({ abi: composableCowAbi, logs, eventName: 'ConditionalOrderCreated' })
    const placed = parseEventLogs({ abi: ethFlowAbi, logs, eventName: 'OrderPlacement' })
    expect(created).toHaveLength(result.byKind.twap.mined)
    expect(placed).toHaveLength(result.byKind.ethFlow.mined)
    expect(new Set(created.map((log) => log.args.params.salt))).toEqual(new Set(result.twaps.map((twap) => twap.params.salt)))
    expect(new Set(placed.map((log) => log.args.order.sellAmount))).toEqual(new Set(result.ethFlowOrders.map((order) => order.sellAmount)))
    for (const twap of result.twaps) expect(twap.status).toBe('mined')
  })

  test('behavior: nonces never collide and sellAmounts and salts are unique', async () => {
    const hashes = [...result.twaps.map((t) => t.txHash), ...result.ethFlowOrders.map((e) => e.txHash)]
    const txs = await Promise.all(hashes.map((hash) => net.client.getTransaction({ hash })))
    const keys = txs.map((tx) => `${tx.from}:${tx.nonce}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(new Set(result.ethFlowOrders.map((o) => o.sellAmount)).size).toBe(result.ethFlowOrders.length)
    expect(new Set(result.ethFlowOrders.map((o) => o.orderUid)).size).toBe(result.ethFlowOrders.length)
    expect(new Set(result.twaps.map((t) => t.params.salt)).size).toBe(result.twaps.length)
  })

  test('behavior: the created TWAPs start just before their block and are authorised on chain', async () => {
    for (const twap of result.twaps.slice(0, 4)) {
      const block = await net.client.getBlock({ blockNumber: twap.blockNumber! })
      expect(twap.twap.t0).toBeLessThanOrEqual(block.timestamp)
      expect(block.timestamp - twap.twap.t0).toBeLessThan(10n)
      expect(twap.twap.receiver).toBe(twap.owner)
      const authorised = await net.client.readContract({ address: net.addresses.composableCow, abi: composableCowAbi, functionName: 'singleOrders', args: [twap.owner, hashConditionalOrderParams(twap.params)] })
      expect(authorised).toBe(true)
    }
    const receipts = await Promise.all(result.twaps.slice(0, 2).map((t) => net.client.getTransactionReceipt({ hash: t.txHash })))
    console.info(`gas used: create ${receipts[0]!.gasUsed}; block ${toHex(receipts[0]!.blockNumber)}`)
    const ethReceipt = await net.client.getTransactionReceipt({ hash: result.ethFlowOrders[0]!.txHash })
    console.info(`gas used: EthFlow.createOrder ${ethReceipt.gasUsed}`)
    expect(await rpcCall(net.rpcUrl, 'eth_chainId')).toBe(toHex(11155111))
  })

  test('behavior: a second run with the same seed continues the nonces and does not revert', async () => {
    const again = await runLoad({ rpcUrl: net.rpcUrl, senders: 2, twapPerBlock: 1, ethFlowPerBlock: 1, blocks: 2, seed: 'anvil-test' })
    expect(again.totals.mined).toBe(8)
    expect(again.senders[0]!.firstNonce).toBe(result.senders[0]!.nextNonce)
  })
  test('behavior: loadCommand prints progress and a final JSON summary and exits 0', async () => {
    const printed: string[] = []
    const code = await loadCommand(['--rpc-url', net.rpcUrl, '--senders', '1', '--twap', '1', '--ethflow', '2', '--blocks', '2', '--seed', 'cli-test'], { print: (line) => printed.push(line) })
    expect(code).toBe(0)
    expect(printed.some((line) => line.startsWith('load: '))).toBe(true)
    const summary = JSON.parse(printed[printed.length - 1]!) as { totals: { mined: number }; startBlock: string; twapsCreated: number }
    expect(summary.totals.mined).toBe(6)
    expect(summary.twapsCreated).toBe(2)
    expect(typeof summary.startBlock).toBe('string')
  })
  test('behavior: reverted transactions are counted apart from mined ones, with the replayed reason', async () => {
    // 30k gas covers the intrinsic cost of createOrder but not its execution: each one reverts out of gas.
    const run = await runLoad({ rpcUrl: net.rpcUrl, senders: 1, twapPerBlock: 1, ethFlowPerBlock: 2, blocks: 1, seed: 'revert-test', gas: { ethFlow: 30_000n } })
    expect(run.byKind.twap).toMatchObject({ accepted: 1, mined: 1, reverted: 0 })
    expect(run.byKind.ethFlow).toMatchObject({ accepted: 2, mined: 0, reverted: 2 })
    expect(run.senders[0]).toMatchObject({ accepted: 3, mined: 1, reverted: 2, unconfirmed: 0 })
    expect(run.ethFlowOrders.map((order) => order.status)).toEqual(['reverted', 'reverted'])
    expect(run.reverts).toHaveLength(2)
    for (const revert of run.reverts) expect(revert.reason.toLowerCase()).toMatch(/gas/)
    console.info(`revert reason: ${run.reverts[0]!.reason}`)
  })
})
