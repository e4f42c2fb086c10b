/**
 * Whether a read every `everyN` blocks is due at `block`: on multiples of N, on the first block
 * ever (nothing read yet), and whenever N or more blocks passed since the last successful read
 * (blocks skipped, or the last read failed).
 *
 * @example
 * isDue(12n, 5n, 10n) // false: not a multiple of 5, and only 2 blocks since the read at 10
 */
export function isDue(block: bigint, everyN: number, lastRead: bigint | undefined): boolean {
  const n = BigInt(everyN)
  return lastRead === undefined || block % n === 0n || block - lastRead >= n
}
