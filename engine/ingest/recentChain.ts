import type { Hex } from 'viem'
import type { RawLog } from '../../modules/sdk/module/types.ts'

/** What the ring needs of a block: where it is and which branch it is on. */
export type BlockId = { number: bigint; hash: Hex }

/**
 * A bounded ring of the newest blocks delivered (hash and logs), so a reorg can find the common
 * ancestor and tell modules exactly which logs it removed. After a restart it is seeded from the
 * hashes saved with the cursor: the ancestor is found again, but the logs of those blocks are not
 * known (`logsKnownAfter` says from where they are).
 */
export function createRecentChain(capacity: number) {
  const blocks: Array<{ block: BlockId; logs: readonly RawLog[]; logsKnown: boolean }> = []
  const trim = () => {
    while (blocks.length > capacity) blocks.shift()
  }
  return {
    push(block: BlockId, logs: readonly RawLog[]) {
      blocks.push({ block: { number: block.number, hash: block.hash }, logs, logsKnown: true })
      trim()
    },
    /** Hashes saved before a restart, oldest first; their logs are unknown. */
    seed(ids: ReadonlyArray<{ number: bigint; hash: string }>) {
      for (const id of ids) blocks.push({ block: { number: BigInt(id.number), hash: id.hash as Hex }, logs: [], logsKnown: false })
      trim()
    },
    newestFirst(): BlockId[] {
      return blocks.map((b) => b.block).reverse()
    },
    oldest(): BlockId | undefined {
      return blocks[0]?.block
    },
    hashOf(number: bigint): Hex | undefined {
      return blocks.find((b) => b.block.number === number)?.block.hash
    },
    logsAfter(number: bigint): RawLog[] {
      return blocks.filter((b) => b.block.number > number).flatMap((b) => b.logs)
    },
    /** True when every block after `number` in the ring was delivered by this process (its logs are known). */
    logsKnownAfter(number: bigint): boolean {
      return blocks.every((b) => b.block.number <= number || b.logsKnown)
    },
    /** The newest `limit` block ids up to `number`, oldest first: what is saved with the cursor. */
    idsThrough(number: bigint, limit: number): BlockId[] {
      return blocks.filter((b) => b.block.number <= number).slice(-limit).map((b) => b.block)
    },
    truncateAfter(number: bigint) {
      while (blocks.length && blocks[blocks.length - 1]!.block.number > number) blocks.pop()
    },
  }
}
