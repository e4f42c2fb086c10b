import type { BlockRef, Host } from '../sdk/index.ts'

export type NextPollBudgetParameters = {
  /** The cap this block ran with. */
  current: number
  /** Watches this block's multicall polled. */
  polled: number
  /** Wall time of this block's poll multicall, ms. */
  elapsedMs: number
  /** The multicall failed (threw, or answered the wrong shape). */
  failed: boolean
  /** The time one block's polls may take: a fraction of the block interval, ms. */
  targetMs: number
  /** Never below this. */
  floor: number
  /** Never above this (`maxPollsPerBlock`). */
  ceiling: number
}

/** The next block's poll cap. */
export type NextPollBudgetReturnType = number

/**
 * The next block's poll cap, in the spirit of AIMD: a failed multicall halves it; a slow one (over
 * `targetMs`) shrinks it to what the measured time per call says would have fit, but at most by
 * half; a block that used its whole cap and finished within half the target doubles it. Growth is a
 * doubling rather than a step because it is gated: at the measured time per call, twice as many
 * still fit the target, so the doubled cap does not overshoot unless the node slows down, and then
 * the next block shrinks it. Anything else keeps it. Always within [floor, ceiling].
 *
 * Halving on trouble and growing only while polls end well inside the block keeps block processing
 * (and the cursor) ahead of the chain when the node, or the engine's own thread, slows down.
 *
 * @example
 * nextPollBudget({ current: 5000, polled: 5000, elapsedMs: 900, failed: false, targetMs: 500, floor: 100, ceiling: 20000 }) // 2777
 */
export function nextPollBudget({ current, polled, elapsedMs, failed, targetMs, floor, ceiling }: NextPollBudgetParameters): NextPollBudgetReturnType {
  const clamp = (value: number) => Math.max(floor, Math.min(ceiling, Math.floor(value)))
  if (failed) return clamp(current / 2)
  if (polled <= 0) return clamp(current)
  if (elapsedMs > targetMs) return clamp(Math.max(current / 2, Math.min(current, (targetMs * polled) / elapsedMs)))
  if (polled >= current && elapsedMs <= targetMs / 2) return clamp(current * 2)
  return clamp(current)
}

export type EstimateBlockIntervalMsParameters = {
  /** Timestamps (s) of consecutive blocks seen, oldest first. */
  timestamps: readonly bigint[]
  /** Used when fewer than two blocks are known, ms. */
  fallbackMs: number
}

/**
 * The chain's block interval from the last blocks' timestamps: the mean gap, leaving out gaps over
 * four times the median (at least 1 s): a jump in time or a stall must not make blocks look slow,
 * and at 0.5 s blocks the whole-second timestamps alternate gaps of 0 and 1, whose mean is right.
 * At least 250 ms.
 *
 * @example
 * estimateBlockIntervalMs({ timestamps: [100n, 101n, 102n, 1102n, 1103n], fallbackMs: 12000 }) // 1000
 */
export function estimateBlockIntervalMs({ timestamps, fallbackMs }: EstimateBlockIntervalMsParameters): number {
  if (timestamps.length < 2) return fallbackMs
  const gaps: number[] = []
  for (let i = 1; i < timestamps.length; i++) gaps.push(Math.max(0, Number(timestamps[i]! - timestamps[i - 1]!)))
  const sorted = [...gaps].sort((a, b) => a - b)
  const usual = Math.max(1, sorted[Math.floor(sorted.length / 2)]!)
  const kept = gaps.filter((gap) => gap <= 4 * usual)
  const mean = kept.reduce((sum, gap) => sum + gap, 0) / kept.length
  return Math.max(250, mean * 1000)
}

/** What a module instance remembers between blocks to size its polls. */
export type PollBudgetState = { cap: number; last?: BlockRef; timestamps: bigint[] }

const SAMPLES = 16
const states = new WeakMap<Host, PollBudgetState>()

/**
 * The poll budget of one module instance (per Host, like the recovery window): starts at `initial`
 * and is carried from block to block.
 *
 * @example
 * const state = pollBudgetState(host, 5000)
 */
export function pollBudgetState(host: Host, initial: number): PollBudgetState {
  let state = states.get(host)
  if (!state) {
    state = { cap: initial, timestamps: [] }
    states.set(host, state)
  }
  return state
}

/**
 * Records a block's timestamp for the interval estimate (consecutive blocks only; a gap in numbers
 * or a block seen again restarts the window).
 *
 * @example
 * observeBlock(state, block)
 */
export function observeBlock(state: PollBudgetState, block: BlockRef): void {
  if (state.last !== undefined && block.number !== state.last.number + 1n) state.timestamps = []
  state.timestamps.push(block.timestamp)
  if (state.timestamps.length > SAMPLES) state.timestamps.shift()
  state.last = block
}

/**
 * The time of the newest block this module instance has started handling (undefined before any):
 * a background post checks it again just before posting, since newer blocks may have been handled
 * while it waited in the queue or for a lookup.
 *
 * @example
 * const now = latestBlockTime(host) // 1700000012n
 */
export function latestBlockTime(host: Host): bigint | undefined {
  return states.get(host)?.last?.timestamp
}
