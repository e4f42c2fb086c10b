import { describe, expect, test } from 'vitest'
import { ChainGapError } from '../errors/ingest.ts'
import { resolveResumePoint } from './resolveResumePoint.ts'

const chain = { start_block: 10, max_lookback_blocks: 100 } as const
const cursor = { number: 500n, hash: '0xabc' }

describe('resolveResumePoint', () => {
  test('behavior: a fresh engine starts at start_block, or at the confirmed head for "latest"', () => {
    expect(resolveResumePoint({ chainId: 1, cursor: undefined, chain, safe: 9_999n })).toEqual({ number: 9n, hash: undefined })
    expect(resolveResumePoint({ chainId: 1, cursor: undefined, chain: { ...chain, start_block: 'latest' }, safe: 9_999n })).toEqual({ number: 9_998n, hash: undefined })
  })

  test('behavior: a cursor within max_lookback_blocks resumes after it, linked by its hash (none for a pinned start)', () => {
    expect(resolveResumePoint({ chainId: 1, cursor, chain, safe: 600n })).toEqual({ number: 500n, hash: '0xabc' })
    expect(resolveResumePoint({ chainId: 1, cursor: { number: 500n, hash: '0x' }, chain, safe: 600n })).toEqual({ number: 500n, hash: undefined })
  })

  test('behavior: a cursor one block past max_lookback_blocks halts by default with the gap named', () => {
    let caught: unknown
    try {
      resolveResumePoint({ chainId: 1, cursor, chain, safe: 601n })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ChainGapError)
    expect((caught as ChainGapError).from).toBe(501n)
    expect((caught as ChainGapError).to).toBe(501n)
  })

  test('behavior: on_gap = "skip" resumes just inside max_lookback_blocks and returns the skipped gap', () => {
    const resume = resolveResumePoint({ chainId: 1, cursor, chain: { ...chain, on_gap: 'skip' }, safe: 1_000n })
    expect(resume.number).toBe(900n)
    expect(resume.hash).toBeUndefined()
    expect(resume.skipped?.from).toBe(501n)
    expect(resume.skipped?.to).toBe(900n)
    // The next pass delivers exactly max_lookback_blocks blocks: 901..1000.
    expect(1_000n - resume.number).toBe(100n)
  })
})
