/**
 * The next range to fetch after the tip: at most `maxBlockRange` blocks, never past the confirmed
 * head. Undefined when there is nothing to fetch (the tip is at or past the confirmed head).
 *
 * @param tip - the last block delivered
 * @param safe - the confirmed head (head less confirmations)
 * @param maxBlockRange - the chain's `max_block_range`
 * @returns the inclusive range, or undefined
 *
 * @example
 * nextBlockWindow(100n, 1_000n, 50) // { from: 101n, to: 150n }
 * nextBlockWindow(100n, 120n, 50) // { from: 101n, to: 120n }
 * nextBlockWindow(100n, 100n, 50) // undefined
 */
export function nextBlockWindow(tip: bigint, safe: bigint, maxBlockRange: number): { from: bigint; to: bigint } | undefined {
  const from = tip + 1n
  const last = from + BigInt(maxBlockRange) - 1n
  const to = last < safe ? last : safe
  return to < from ? undefined : { from, to }
}
