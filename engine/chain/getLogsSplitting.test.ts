import { numberToHex, type Hex } from 'viem'
import { expect, test } from 'vitest'
import { getLogsSplitting } from './getLogsSplitting.ts'
import { WsRpcError } from './createWsRpcClient.ts'

const log = (block: bigint, index: number) => ({
  address: '0x00000000000000000000000000000000000000e1',
  blockNumber: numberToHex(block),
  blockHash: numberToHex(block, { size: 32 }),
  transactionHash: numberToHex(block * 1000n + BigInt(index), { size: 32 }),
  transactionIndex: '0x0',
  logIndex: numberToHex(index),
  topics: [numberToHex(1, { size: 32 })] as Hex[],
  data: '0x',
})

/** A fake node with 3 logs per block that refuses any answer over `cap` logs, in a provider's words. */
function fakeNode(cap: number, refusal: () => Error) {
  const asked: Array<[bigint, bigint]> = []
  const request = async ([params]: unknown[]) => {
    const { fromBlock, toBlock } = params as { fromBlock: Hex; toBlock: Hex }
    const from = BigInt(fromBlock)
    const to = BigInt(toBlock)
    asked.push([from, to])
    if ((to - from + 1n) * 3n > BigInt(cap)) throw refusal()
    const out = []
    for (let b = from; b <= to; b++) for (let i = 0; i < 3; i++) out.push(log(b, i))
    return out
  }
  return { request, asked }
}

test.each([
  ['Alchemy-style message', () => new Error('query returned more than 10000 results')],
  ['Infura code -32005', () => new WsRpcError('limit', -32005)],
  ['viem body too large', () => Object.assign(new Error('x'), { name: 'ResponseBodyTooLargeError' })],
])('behavior: a range the node calls too large is split until every log arrives once, in order (%s)', async (_, refusal) => {
  const node = fakeNode(10, refusal)
  const logs = await getLogsSplitting(node.request, { fromBlock: 1n, toBlock: 20n, topic0: [] })
  expect(logs.map((l) => `${l.blockNumber}:${l.logIndex}`)).toEqual(Array.from({ length: 60 }, (_, i) => `${BigInt(Math.floor(i / 3) + 1)}:${i % 3}`))
  expect(node.asked.length).toBeGreaterThan(1)
})

test('behavior: any other error is thrown, not split', async () => {
  const node = fakeNode(10, () => new Error('connection reset'))
  await expect(getLogsSplitting(node.request, { fromBlock: 1n, toBlock: 20n, topic0: [] })).rejects.toThrow('connection reset')
  expect(node.asked).toHaveLength(1)
})
