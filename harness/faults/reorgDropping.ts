import { numberToHex, type Hex } from 'viem'
import type { DevnetClient } from '../devnet/createDevnetClient.ts'

export type ReorgDroppingParameters = {
  /** The first block to replace: the reorg goes from here to the head. */
  fromBlock: bigint
  /** Transactions left out of the new branch (their logs disappear). */
  drop: readonly Hex[]
  /** The devnet's interval mining, seconds: paused during the reorg and restored. Omit on a manually mined devnet. */
  blockTime?: number
}

export type ReorgDroppingReturnType = { depth: number; replayed: number; dropped: number; head: bigint }

/**
 * Reorganises an Anvil chain from `fromBlock` to its head: the new branch carries every transaction
 * of the old one, in the same block offsets, except `drop`. Replaying the rest keeps senders'
 * nonces in line (Anvil drops a reorged block's transactions otherwise, and a load generator with
 * pinned nonces would stall). Interval mining pauses meanwhile so the depth cannot race a new block.
 *
 * @example
 * const { depth } = await reorgDropping(devnet.client, { fromBlock: receipt.blockNumber, drop: [receipt.transactionHash], blockTime: 1 })
 */
export async function reorgDropping(client: DevnetClient, { fromBlock, drop, blockTime }: ReorgDroppingParameters): Promise<ReorgDroppingReturnType> {
  const dropped = new Set(drop.map((h) => h.toLowerCase()))
  if (blockTime) await client.request({ method: 'evm_setIntervalMining' as never, params: [0] as never })
  try {
    const head = await client.getBlockNumber()
    if (fromBlock > head) throw new RangeError(`reorgDropping: fromBlock ${fromBlock} is past the head ${head}`)
    const replay: Array<[Record<string, unknown>, number]> = []
    let removed = 0
    for (let n = fromBlock; n <= head; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true })
      for (const tx of block.transactions) {
        if (dropped.has(tx.hash.toLowerCase())) {
          removed++
          continue
        }
        replay.push([{ from: tx.from, to: tx.to ?? undefined, input: tx.input, value: numberToHex(tx.value), nonce: numberToHex(tx.nonce), gas: numberToHex(tx.gas) }, Number(n - fromBlock)])
      }
    }
    const depth = Number(head - fromBlock + 1n)
    await client.request({ method: 'anvil_reorg' as never, params: [depth, replay] as never })
    return { depth, replayed: replay.length, dropped: removed, head }
  } finally {
    if (blockTime) await client.request({ method: 'evm_setIntervalMining' as never, params: [blockTime] as never })
  }
}
