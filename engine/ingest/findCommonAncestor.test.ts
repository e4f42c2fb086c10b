import type { Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { findCommonAncestor } from './findCommonAncestor.ts'
import type { BlockId } from './recentChain.ts'

const hash = (branch: string, n: bigint) => `0x${branch}${n.toString(16).padStart(63, '0')}` as Hex
/** Delivered blocks from..to on branch a, newest first (as the ring answers). */
const delivered = (from: bigint, to: bigint): BlockId[] => {
  const out: BlockId[] = []
  for (let n = to; n >= from; n--) out.push({ number: n, hash: hash('a', n) })
  return out
}
/** A node that holds branch a up to `forkAfter` and branch b above it; records what was asked. */
function node(forkAfter: bigint) {
  const asked: bigint[] = []
  return { asked, getBlock: async (n: bigint) => (asked.push(n), { hash: hash(n <= forkAfter ? 'a' : 'b', n) }) }
}

describe('findCommonAncestor', () => {
  test('behavior: a reorg three blocks deep walks back past every replaced block to the newest shared one', async () => {
    const { asked, getBlock } = node(97n)
    const result = await findCommonAncestor({ known: delivered(90n, 100n), getBlock, first: { number: 101n } })
    expect(result).toEqual({ ancestor: 97n, beyondKnown: false })
    expect(asked).toEqual([100n, 99n, 98n, 97n])
  })

  test('behavior: a one-block reorg stops at the block before the tip', async () => {
    const { getBlock } = node(99n)
    expect(await findCommonAncestor({ known: delivered(90n, 100n), getBlock, first: { number: 101n } })).toEqual({ ancestor: 99n, beyondKnown: false })
  })

  test('behavior: a reorg deeper than every known block resumes before the oldest one and says so', async () => {
    const { asked, getBlock } = node(50n)
    const result = await findCommonAncestor({ known: delivered(90n, 100n), getBlock, first: { number: 101n } })
    expect(result).toEqual({ ancestor: 89n, beyondKnown: true })
    expect(asked).toHaveLength(11)
  })

  test('behavior: with no known block, the fork point is before the block that did not link', async () => {
    const { getBlock } = node(0n)
    expect(await findCommonAncestor({ known: [], getBlock, first: { number: 42n } })).toEqual({ ancestor: 41n, beyondKnown: true })
  })

  test('behavior: a failed block read fails the walk (it is retried), it is not taken as a fork', async () => {
    const getBlock = async (n: bigint) => {
      if (n === 98n) throw new Error('timeout')
      return { hash: hash('b', n) }
    }
    await expect(findCommonAncestor({ known: delivered(90n, 100n), getBlock, first: { number: 101n } })).rejects.toThrow('timeout')
  })
})
