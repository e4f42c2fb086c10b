import { currentScale } from '../../harness/scenario/defineScenario.ts'

/** How big one scale run is: the watch counts it grows through, the steady window and the burst. */
export type ScaleProfile = {
  scale: 'ci' | 'full'
  /** Active watches after each growth phase, ascending; the first is the 1k reference of the CPU bar. */
  growth: readonly number[]
  /** TWAP parts due in one block (aligned t0), created in the last phase. */
  burstParts: number
  /** Watches of the HTTP burst run (a fresh devnet and engine over http://). */
  httpBurstWatches: number
  /** 1 s blocks the engine follows at each N with a fixed number due per block. */
  steadyBlocks: number
  /** Parts due per steady block, the same at every N (what "the same number due" holds fixed). */
  duePerBlock: number
  /** Owner contracts the watches are spread over (each creates through its own `createMany`). */
  owners: number
  /** Blocks after the due block within which every burst part must be at the stub. */
  burstBlocks: number
}

export type ScaleProfileParameters = { env?: NodeJS.ProcessEnv }

/**
 * The scale run's size. CI (the default, also when SHEPHERD_SCALE is unset, unlike the other
 * scenarios: a full run takes a long while): growth 1k -> 2k -> 10k, a 500-part burst over ws at
 * 10k watches and over http at 2,000. Full (`SHEPHERD_SCALE=full`): 1k -> 10k -> 100k, a
 * 10,000-part burst over ws at 100k and over http at 20k. `SHEPHERD_SCALE_GROWTH=1000,10000`
 * overrides the growth steps, `SHEPHERD_SCALE_BURST=2000` the burst (the HTTP run then has twice
 * as many watches). The last growth step must hold the burst and the steady window's due parts.
 *
 * @example
 * const profile = scaleProfile({ env: { SHEPHERD_SCALE: 'full' } })
 * profile.growth // [1000, 10000, 100000]
 */
export function scaleProfile({ env = process.env }: ScaleProfileParameters = {}): ScaleProfile {
  const scale = env.SHEPHERD_SCALE === undefined ? 'ci' : currentScale(env)
  const base: ScaleProfile =
    scale === 'full'
      ? { scale, growth: [1_000, 10_000, 100_000], burstParts: 10_000, httpBurstWatches: 20_000, steadyBlocks: 30, duePerBlock: 2, owners: 1_000, burstBlocks: 10 }
      : { scale, growth: [1_000, 2_000, 10_000], burstParts: 500, httpBurstWatches: 2_000, steadyBlocks: 15, duePerBlock: 2, owners: 100, burstBlocks: 10 }
  const burst = env.SHEPHERD_SCALE_BURST
  if (burst !== undefined) {
    const parts = Number(burst)
    if (!Number.isInteger(parts) || parts < 1) throw new TypeError(`SHEPHERD_SCALE_BURST must be a positive integer (parts due in one block); found "${burst}"`)
    // The HTTP run holds the burst and as many idle watches again.
    base.burstParts = parts
    base.httpBurstWatches = 2 * parts
  }
  const override = env.SHEPHERD_SCALE_GROWTH
  if (override === undefined) return checked(base)
  const growth = override.split(',').map((s) => Number(s.trim()))
  const valid = growth.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n > growth[i - 1]!))
  if (!valid || growth.length === 0) throw new TypeError(`SHEPHERD_SCALE_GROWTH must list ascending positive integers, e.g. "1000,10000"; found "${override}"`)
  return checked({ ...base, growth })
}

/** Every growth step creates its steady window's due TWAPs, and the last one the burst's too. */
function checked(profile: ScaleProfile): ScaleProfile {
  const due = profile.duePerBlock * profile.steadyBlocks
  for (const [i, n] of profile.growth.entries()) {
    const added = n - (profile.growth[i - 1] ?? 0)
    const needed = due + (i === profile.growth.length - 1 ? profile.burstParts : 0)
    if (added < needed)
      throw new TypeError(
        `SHEPHERD_SCALE_GROWTH: the step to ${n} watches adds ${added}, fewer than the ${needed} it must create (${due} due in the steady window${needed > due ? ` + ${profile.burstParts} burst parts` : ''}); found growth "${profile.growth.join(',')}"`,
      )
  }
  return profile
}
