import type { SoakProfile } from './soakProfile.ts'

/** One TWAP of the soak's load: when it is created, its part length and count, and whether it is cancelled. */
export type SoakTwap = {
  index: number
  /** Block (since the run's first block) whose first transaction creates it. */
  createAt: number
  /** Part length, seconds of chain time. */
  t: number
  n: number
  /** Block at which its owner removes it (half-way through its life), if it is one of the cancelled. */
  cancelAt: number | undefined
}

/** Part lengths cycled through: 10 min, 30 min, 1 h, 4 h and a day (50 to 7,200 blocks of 12 s). */
export const soakPartSeconds = [600, 1800, 3600, 14_400, 86_400] as const
/** Parts per TWAP, cycled through beside the lengths: lives from 40 min (4 x 10 min) to 2 days (2 x a day). */
export const soakPartCounts = [4, 6, 3, 3, 2] as const

/**
 * The soak's TWAPs, one every `twapEvery` blocks from block 0 to the end of the run: part lengths
 * from ten minutes to a day (so some complete many times over within a day of chain, others are
 * still running at the end), every `cancelEvery`-th cancelled half-way through its life (never
 * after the run's last block). Pure: the same profile gives the same plan.
 *
 * @example
 * const twaps = planSoakTwaps(soakProfile())
 */
export function planSoakTwaps(profile: Pick<SoakProfile, 'blocks' | 'twapEvery' | 'cancelEvery' | 'chunk'>): SoakTwap[] {
  const twaps: SoakTwap[] = []
  for (let index = 0, createAt = 0; createAt < profile.blocks; index++, createAt += profile.twapEvery) {
    const t = soakPartSeconds[index % soakPartSeconds.length]!
    const n = soakPartCounts[index % soakPartCounts.length]!
    const lifeBlocks = (t * n) / 12
    // Half-way, on a chunk boundary (load is sent at the start of a chunk), and inside the run.
    const cancelBlock = createAt + Math.max(profile.chunk, Math.round(lifeBlocks / 2 / profile.chunk) * profile.chunk)
    const cancelled = (index + 1) % profile.cancelEvery === 0 && cancelBlock < profile.blocks
    twaps.push({ index, createAt, t, n, cancelAt: cancelled ? cancelBlock : undefined })
  }
  return twaps
}
