import { numberToHex, type Hex } from 'viem'
import { afterEach, expect, test } from 'vitest'
import { createRpcChainSource } from './createRpcChainSource.ts'
import { startRpcStandIn, type RpcStandIn } from './startRpcStandIn.ts'

// Measured: a 10,000-part burst over http:// never got past its creation block: that one block's
// eth_getLogs answer (~12 MB) was over the 10 MiB answer limit, and one block cannot be split.
const LOGS_PER_BLOCK = 2_000
const DATA = `0x${'ab'.repeat(300)}` as Hex // ~0.7 kB per log: ~1.5 MB per block

function blockLogs(block: bigint) {
  return Array.from({ length: LOGS_PER_BLOCK }, (_, i) => ({
    address: '0x00000000000000000000000000000000000000e1',
    blockNumber: numberToHex(block),
    blockHash: numberToHex(block, { size: 32 }),
    transactionHash: numberToHex(block * 100_000n + BigInt(i), { size: 32 }),
    transactionIndex: numberToHex(i),
    logIndex: numberToHex(i),
    topics: [numberToHex(1, { size: 32 })],
    data: DATA,
  }))
}

let node: RpcStandIn | undefined
afterEach(async () => {
  await node?.stop()
  node = undefined
})

async function startNode() {
  node = await startRpcStandIn({
    answer: ({ method, params }) => {
      if (method !== 'eth_getLogs') return { error: { code: -32601, message: 'Method not found' } }
      const { fromBlock, toBlock } = params[0] as { fromBlock: Hex; toBlock: Hex }
      const logs = []
      for (let b = BigInt(fromBlock); b <= BigInt(toBlock); b++) logs.push(...blockLogs(b))
      return { result: logs }
    },
  })
  return node
}

test('behavior: over http, one block whose logs answer more than the ordinary limit is read with max_block_logs_bytes; a range is still split by block', async () => {
  const { httpUrl, requests } = await startNode()
  const source = createRpcChainSource({ chainId: 1, rpcUrl: httpUrl, maxResponseBytes: 1_048_576, maxBlockLogsBytes: 4 * 1_048_576, requestRetries: 0 })
  const logs = await source.getLogs({ fromBlock: 5n, toBlock: 6n, topic0: [] })
  expect(logs).toHaveLength(2 * LOGS_PER_BLOCK)
  expect(logs.map((log) => log.blockNumber)).toEqual([...Array(LOGS_PER_BLOCK).fill(5n), ...Array(LOGS_PER_BLOCK).fill(6n)])
  // 5..6 refused, 5 refused, 5 whole, 6 refused, 6 whole: never the range whole.
  const ranges = requests.map((r) => (r.params[0] as { fromBlock: Hex; toBlock: Hex })).map((p) => `${BigInt(p.fromBlock)}-${BigInt(p.toBlock)}`)
  expect(ranges).toEqual(['5-6', '5-5', '5-5', '6-6', '6-6'])
})

test('behavior: a block whose logs answer more than max_block_logs_bytes fails with the size named, for the ingestor to retry', async () => {
  const { httpUrl } = await startNode()
  const source = createRpcChainSource({ chainId: 1, rpcUrl: httpUrl, maxResponseBytes: 1_048_576, maxBlockLogsBytes: 1_100_000, requestRetries: 0 })
  await expect(source.getLogs({ fromBlock: 5n, toBlock: 5n, topic0: [] })).rejects.toThrow(/logs of block 5 answer more than max_block_logs_bytes/)
})

test('behavior: without the larger allowance the same block cannot be read (what the burst over http met)', async () => {
  const { httpUrl } = await startNode()
  const source = createRpcChainSource({ chainId: 1, rpcUrl: httpUrl, maxResponseBytes: 1_048_576, maxBlockLogsBytes: 1_048_576, requestRetries: 0 })
  await expect(source.getLogs({ fromBlock: 5n, toBlock: 5n, topic0: [] })).rejects.toThrow()
})
