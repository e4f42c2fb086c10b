import type { Hex } from 'viem'
import type { ChainConfig } from '../config/schema.ts'
import { ChainGapError } from '../errors/ingest.ts'

export type ResolveResumePointParameters = {
  chainId: number
  /** The persisted cursor, if a previous run left one (`'0x'` hash: a pinned start, no block delivered). */
  cursor: { number: bigint; hash: string } | undefined
  chain: Pick<ChainConfig, 'start_block' | 'max_lookback_blocks'> & Partial<Pick<ChainConfig, 'on_gap'>>
  /** The confirmed head (head less confirmations) just fetched. */
  safe: bigint
}

/**
 * The last block taken as delivered (the next pass starts after it), its hash when known (the next
 * block must link to it), and the gap skipped to get there under `on_gap = "skip"`.
 */
export type ResolveResumePointReturnType = { number: bigint; hash: Hex | undefined; skipped?: ChainGapError }

/**
 * Where the first pass of a chain starts: after the cursor; for a fresh engine, before the
 * configured `start_block` (`"latest"`: the confirmed head); and when the cursor is older than
 * `max_lookback_blocks`, either throws `ChainGapError` (`on_gap = "halt"`, the default: the chain
 * stops) or resumes past the gap and returns it as `skipped` for the caller to report.
 *
 * @param parameters - the chain id, the cursor, the chain's start and gap settings, and the confirmed head
 * @returns the resume point, and the skipped gap if any
 *
 * @example
 * const resume = resolveResumePoint({ chainId: 1, cursor: { number: 100n, hash: '0xab' }, chain: { start_block: 1, max_lookback_blocks: 1000, on_gap: 'skip' }, safe: 5_000n })
 * // { number: 4_000n, hash: undefined, skipped: ChainGapError (blocks 101..4000) }
 */
export function resolveResumePoint({ chainId, cursor, chain, safe }: ResolveResumePointParameters): ResolveResumePointReturnType {
  if (!cursor) {
    const start = chain.start_block === 'latest' ? safe : BigInt(chain.start_block)
    return { number: start - 1n, hash: undefined }
  }
  const resume = { number: cursor.number, hash: cursor.hash === '0x' ? undefined : (cursor.hash as Hex) }
  const lookback = BigInt(chain.max_lookback_blocks)
  if (safe - resume.number <= lookback) return resume
  const gap = new ChainGapError({ chainId, cursor: resume.number, resumeAt: safe - lookback + 1n, maxLookbackBlocks: chain.max_lookback_blocks })
  if ((chain.on_gap ?? 'halt') === 'halt') throw gap
  return { number: gap.to, hash: undefined, skipped: gap }
}
