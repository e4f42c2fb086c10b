import { currentScale } from '../../harness/scenario/defineScenario.ts'
import { BLOCKS_PER_DAY } from './soakEvidence.ts'

/** How long one soak run is and what load and faults it carries, all in blocks of 12 s of chain time. */
export type SoakProfile = {
  scale: 'ci' | 'full'
  /** Blocks mined with load (12 s of timestamp each). */
  blocks: number
  /** Blocks mined per step before the harness waits for the engine's cursor to reach the head. */
  chunk: number
  /** A sample every this many blocks (a multiple of `chunk`). */
  sampleEvery: number
  /** A TWAP created every this many blocks (each by its own owner contract). */
  twapEvery: number
  /** Every k-th TWAP is cancelled (ComposableCoW.remove) halfway through its life. */
  cancelEvery: number
  ethFlowEvery: number
  /** The oracle falls below both thresholds every this many blocks and comes back half-way. */
  oracleEvery: number
  /** 2 ETH to the tracked address every this many blocks. */
  transferEvery: number
  wsDropEvery: number
  /** Blocks at which the engine is stopped with SIGTERM and started again. */
  sigtermAt: readonly number[]
  /** Blocks at which the engine is SIGKILLed and started again. */
  sigkillAt: readonly number[]
  /** twap-monitor's marker retention, blocks: short enough that pruning runs inside the run. */
  retainFinishedBlocks: number
}

export type SoakProfileParameters = { env?: NodeJS.ProcessEnv }

/** A SIGTERM at the end of every simulated day but the last, up to `blocks`. */
const daily = (blocks: number) => Array.from({ length: Math.floor((blocks - 1) / BLOCKS_PER_DAY) }, (_, i) => (i + 1) * BLOCKS_PER_DAY)

/**
 * The soak's size. CI (the default): one simulated day (7,200 blocks) with a SIGTERM at a quarter
 * and a SIGKILL at 40%, so the judged second half is one engine life. Full (`SHEPHERD_SCALE=full`):
 * a week (50,400 blocks), a SIGTERM at each day's end and a SIGKILL at 3.5 days. Both carry the same
 * load per simulated hour. `SHEPHERD_SOAK_BLOCKS` shortens or lengthens a run (restarts scale
 * with it: at CI scale they stay at 25% and 40%).
 *
 * @example
 * const profile = soakProfile({ env: { SHEPHERD_SCALE: 'full' } }) // 50,400 blocks
 */
export function soakProfile({ env = process.env }: SoakProfileParameters = {}): SoakProfile {
  const scale = env.SHEPHERD_SCALE === undefined ? 'ci' : currentScale(env)
  const override = env.SHEPHERD_SOAK_BLOCKS
  const chunk = 20
  let blocks = scale === 'full' ? 7 * BLOCKS_PER_DAY : BLOCKS_PER_DAY
  if (override !== undefined) {
    const n = Number(override)
    if (!Number.isInteger(n) || n < 10 * chunk || n % chunk !== 0) throw new TypeError(`SHEPHERD_SOAK_BLOCKS must be a whole number of blocks, a multiple of ${chunk} and at least ${10 * chunk}; found "${override}"`)
    blocks = n
  }
  const at = (share: number) => Math.round((blocks * share) / chunk) * chunk
  return {
    scale,
    blocks,
    chunk,
    // 36 samples per simulated day at CI scale (72 in the run, 36 judged) and at full (a day per life).
    sampleEvery: scale === 'full' ? 200 : 100,
    // 180 TWAPs per simulated day, parts of 10 min to a day; a sixth cancelled (6 and the 5 part lengths are coprime: every length gets cancelled).
    twapEvery: 40,
    cancelEvery: 6,
    ethFlowEvery: 100,
    oracleEvery: 1200,
    transferEvery: 900,
    wsDropEvery: 300,
    sigtermAt: scale === 'full' ? daily(blocks) : [at(0.25)],
    sigkillAt: [scale === 'full' ? at(0.5) + chunk : at(0.4)],
    retainFinishedBlocks: 1_800,
  }
}
