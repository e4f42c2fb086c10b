import type { Hex } from 'viem'
import type { RawLog } from '../chain/types.ts'
import type { BlockRef } from '../module/types.ts'

/**
 * A bounded ring of the newest blocks delivered (hash and logs), so a reorg can find the common
 * ancestor and tell modules exactly which logs it removed.
 */
export function createRecentChain(capacity: number) {
  const blocks: Array<{ block: BlockRef; logs: readonly RawLog[] }> = []
  return {
    push(block: BlockRef, logs: readonly RawLog[]) {
      blocks.push({ block, logs })
      if (blocks.length > capacity) blocks.shift()
    },
    newestFirst(): BlockRef[] {
      return blocks.map((b) => b.block).reverse()
    },
    oldest(): BlockRef | undefined {
      return blocks[0]?.block
    },
    hashOf(number: bigint): Hex | undefined {
      return blocks.find((b) => b.block.number === number)?.block.hash
    },
    logsAfter(number: bigint): RawLog[] {
      return blocks.filter((b) => b.block.number > number).flatMap((b) => b.logs)
    },
    truncateAfter(number: bigint) {
      while (blocks.length && blocks[blocks.length - 1]!.block.number > number) blocks.pop()
    },
  }
}
