import type { Hex } from 'viem'
import type { BlockId } from './recentChain.ts'

export type FindCommonAncestorParameters = {
  /** The delivered blocks, newest first (the ingestor's recent-block ring). */
  known: readonly BlockId[]
  /** Reads the block the node holds now at a height (its current branch). */
  getBlock: (number: bigint) => Promise<{ hash: Hex }>
  /** The first block of the new branch that did not link to the tip: the fallback when no known block is shared. */
  first: { number: bigint }
}

/**
 * The newest block both branches share, or, when the reorg is deeper than every known block,
 * the height just before the oldest of them (`beyondKnown`: the caller logs it, resuming there).
 */
export type FindCommonAncestorReturnType = { ancestor: bigint; beyondKnown: boolean }

/**
 * Walks back from the newest delivered block, asking the node for the block it holds now at each
 * height, until one has the same hash: the common ancestor of the delivered branch and the node's.
 * Reads only: the ring is not changed here (the ingestor rewinds it once the walk succeeded, so a
 * walk that fails on a request is simply retried).
 *
 * @param parameters - the delivered blocks (newest first), a block reader and the block that did not link
 * @returns the ancestor's height, and whether the walk ran out of known blocks
 *
 * @example
 * const { ancestor, beyondKnown } = await findCommonAncestor({ known: recent.newestFirst(), getBlock: (n) => source.getBlock(n), first })
 * if (beyondKnown) log.error('reorg deeper than the recent-block ring; resuming from before it', { ancestor })
 */
export async function findCommonAncestor({ known, getBlock, first }: FindCommonAncestorParameters): Promise<FindCommonAncestorReturnType> {
  for (const block of known) {
    const current = await getBlock(block.number)
    if (current.hash === block.hash) return { ancestor: block.number, beyondKnown: false }
  }
  const oldest = known[known.length - 1]
  return { ancestor: (oldest?.number ?? first.number) - 1n, beyondKnown: true }
}
