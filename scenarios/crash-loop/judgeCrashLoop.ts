import type { BarResult, DerivedBound, Measures } from '../../harness/scenario/judge.ts'

/**
 * One kill: when (wall clock, ms) the engine was killed, answered healthy again and had caught up
 * with the head; and the chain's time (the head's block timestamp, seconds) at the kill and when it
 * had caught up.
 */
export type Outage = { killedAt: number; healthyAt: number; caughtUpAt: number; killHeadTime: bigint; caughtUpHeadTime: bigint }

/** An expected TWAP part's window in chain time (seconds). */
export type PartWindow = { uid: string; start: bigint; validTo: bigint }

/** Everything the crash-loop bars judge. No devnet needed to build one. */
export type CrashLoopEvidence = {
  /** Wall time between blocks (ms): the latency bound's extra block. */
  blockTimeMs: number
  /** Chain seconds each block carries (the devnet's `blockSeconds`): what "two blocks before the kill" means in chain time. */
  blockSeconds: number
  /** How long the load ran (s) and the range the kill intervals were drawn from (s): how many kills to expect. */
  loadSeconds: number
  intervalSeconds: readonly [number, number]
  outages: readonly Outage[]
  /**
   * Every order post the stub answered: its UID, validTo, and the chain's time when it arrived (the
   * timestamp of the newest block the harness's head watcher had seen by then); undefined when that
   * time is unknown (no block seen yet, or no timestamp for it).
   */
  posts: ReadonlyArray<{ uid: string; validTo: bigint; chainTime: bigint | undefined }>
  /** Ground truth: the expected parts, how many were delivered and posted again after acceptance, and the missing ones with their windows. */
  parts: { expected: number; delivered: number; duplicates: number; missing: readonly PartWindow[] }
}

/** The crash-loop bars and the bounds of the standard bars derived from the kill schedule: the result of `judgeCrashLoop`. */
export type CrashLoopVerdict = { bars: BarResult[]; bounds: NonNullable<Measures['bounds']>; notes: string[] }

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })

/**
 * True when a part's whole window lay inside an outage: it began no earlier than two blocks before
 * the head at the kill (a block or two the dying engine may not have handled yet) and ended before
 * the engine had caught up with the head again. No engine could post such a part in time.
 */
function insideOutage(part: PartWindow, outages: readonly Outage[], blockSeconds: bigint): boolean {
  return outages.some((o) => part.start >= o.killHeadTime - 2n * blockSeconds && part.validTo <= o.caughtUpHeadTime)
}

/**
 * Judges a crash-loop run from its evidence. Pure: every bar can be shown failing on synthetic
 * evidence. Its own bars: enough kills, nothing posted after its validTo (by the chain's time at
 * arrival; a post whose chain time is unknown makes the bar "not measured"), nothing posted twice,
 * every part once unless its whole window lay inside an outage. It derives the standard bars' bounds
 * from what the kill schedule injected, each with its reason: delivery (every part but those inside
 * an outage), module errors per kind (`part_missed` at most those parts; the scenario injects no RPC
 * or orderbook fault, so every other kind 0) and p99 latency (the longest outage + one block).
 *
 * @example
 * const { bars, bounds } = judgeCrashLoop(evidence)
 * judge({ ...measures, bounds, extra: bars }, scenario)
 */
export function judgeCrashLoop(e: CrashLoopEvidence): CrashLoopVerdict {
  const bars: BarResult[] = []
  // Chain time, not wall time: blocks mined every 1 s carry 12 s each by default.
  const blockSeconds = BigInt(e.blockSeconds)
  const [minInterval, maxInterval] = e.intervalSeconds
  // Kills stop 15 s before the load ends (time to restart and catch up); each takes a drawn interval plus a restart of up to ~10 s.
  const minKills = Math.max(1, Math.floor((e.loadSeconds - 20) / (maxInterval + 10)))
  bars.push(bar('Engine killed repeatedly', `>= ${minKills} SIGKILLs at ${minInterval}-${maxInterval} s intervals, each restarted and caught up`, `${e.outages.length} kills`, e.outages.length >= minKills))

  const lateBar = '0 order posts whose validTo was already past by the chain time when the post reached the orderbook (the newest block the head watcher had seen)'
  const unknown = e.posts.filter((p) => p.chainTime === undefined)
  const late = e.posts.filter((p) => p.chainTime !== undefined && p.chainTime > p.validTo)
  if (e.posts.length === 0) bars.push(notMeasured('Nothing posted after its validTo', lateBar, 'no order post to judge'))
  else if (unknown.length) bars.push(notMeasured('Nothing posted after its validTo', lateBar, `the chain time at arrival is unknown for ${unknown.length} of ${e.posts.length} posts (e.g. ${unknown[0]!.uid.slice(0, 18)}...)`))
  else {
    const shown = late.slice(0, 3).map((l) => `validTo ${l.validTo} at chain time ${l.chainTime}`)
    bars.push(bar('Nothing posted after its validTo', lateBar, late.length === 0 ? `0 of ${e.posts.length} posts` : `${late.length} of ${e.posts.length} posts, e.g. ${shown.join('; ')}`, late.length === 0))
  }

  bars.push(bar('Nothing posted twice', '0 posts of an already accepted UID', String(e.parts.duplicates), e.parts.duplicates === 0))

  const excused = e.parts.missing.filter((part) => insideOutage(part, e.outages, blockSeconds))
  const unexcused = e.parts.missing.filter((part) => !insideOutage(part, e.outages, blockSeconds))
  const shown = unexcused.slice(0, 3).map((p) => `${p.uid.slice(0, 18)}... window ${p.start}..${p.validTo}`)
  bars.push(
    bar(
      'Every part once, or not at all when its window lay inside an outage',
      '0 expected parts missing outside an outage (from two blocks before the head at the kill to the head when caught up again)',
      `${e.parts.delivered}/${e.parts.expected} delivered; ${excused.length} missing with their whole window inside an outage; ${unexcused.length} missing otherwise${shown.length ? ` (e.g. ${shown.join('; ')})` : ''}`,
      unexcused.length === 0 && e.parts.expected > 0,
    ),
  )

  const bounds: CrashLoopVerdict['bounds'] = {}
  const inside = `${excused.length} whose whole window lay inside an outage (kill to caught up), which no engine could post in time`
  bounds.minTwapDelivered = { min: e.parts.expected - excused.length, why: `every expected part but the ${inside}` }
  bounds.moduleErrorsByKind = [{ module: 'twap-monitor', kind: 'part_missed', max: excused.length, why: `one per part recorded as missed instead of posted late: at most the ${inside}; the scenario injects no RPC or orderbook fault` }]
  const longest = e.outages.reduce<Outage | undefined>((max, o) => (max === undefined || o.caughtUpAt - o.killedAt > max.caughtUpAt - max.killedAt ? o : max), undefined)
  if (longest) bounds.p99LatencyMs = latencyBound(longest, e.blockTimeMs)
  const notes = [
    `${e.outages.length} SIGKILLs of the engine process; down ${range(e.outages.map((o) => o.healthyAt - o.killedAt))} ms until healthy, then caught up with the head in ${range(e.outages.map((o) => o.caughtUpAt - o.healthyAt))} ms`,
    `${e.parts.missing.length} expected parts not posted: ${excused.length} with their whole window inside an outage, ${unexcused.length} otherwise`,
  ]
  return { bars, bounds, notes }
}

/** The longest outage: parts that came due while the engine was down or catching up wait for it, plus the normal one block. */
function latencyBound(longest: Outage, blockTimeMs: number): DerivedBound {
  const outageMs = longest.caughtUpAt - longest.killedAt
  return { max: outageMs + blockTimeMs, why: `the longest outage, ${outageMs} ms from a SIGKILL until the engine had caught up with the head (parts due meanwhile wait for it) + 1 block time` }
}

const range = (values: readonly number[]) => (values.length ? `${Math.min(...values)}-${Math.max(...values)}` : 'none')
