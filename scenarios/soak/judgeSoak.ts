import { fitTrend, type Trend } from '../../harness/report/fitTrend.ts'
import type { BarResult } from '../../harness/scenario/judge.ts'
import type { SoakEvidence, SoakSample } from './soakEvidence.ts'

/**
 * RSS growth per simulated day allowed in one engine life (fitted over the second half of the run).
 * Why this figure: an engine that gains 32 MB a day gains ~1 GB a month, a restart a month on the
 * 2 GB boxes the deployment guide names; less than that is within what a fit over half a day can
 * tell from the noise here (RSS moves by ~10-20 MB as V8 grows and shrinks its spaces; over half a
 * simulated day with ~40 samples the slope's standard error is about that noise per day). A leak of
 * 5 kB per block (36 MB/day) fails it; the leak fixture (64 kB per block, ~460 MB/day) fails it
 * by far.
 */
export const maxRssSlopeBytesPerDay = 32 * 2 ** 20
/** The same for the main thread's V8 heap in use: half the RSS bound, as it is the less noisy figure (no allocator slack). */
export const maxHeapSlopeBytesPerDay = 16 * 2 ** 20
/**
 * Open descriptors may grow by at most this many over a life's fitted window: "flat". The engine
 * holds a fixed set (lmdb files, the metrics server, its RPC WebSocket, a keep-alive pool to the
 * orderbook of up to a few sockets); a pool that breathes moves the count by a few, a leaked
 * socket per reconnect or per restart of a module adds one per event.
 */
export const maxFdGrowth = 4
/**
 * The event loop's p99 delay at any sample of the judged window. A block's pass must fit in a 12 s
 * slot with room for the next; a loop blocked 250 ms at p99 delays heads, health answers and
 * scrapes noticeably (2% of a slot), and is what a synchronous bulk decode or store scan looks like.
 */
export const maxLoopP99Seconds = 0.25
/**
 * A life needs this many fitted points (memory: floors, see `floorGroup`; descriptors: samples) in
 * the window to be fitted. With fewer, the residual scatter that the slope's standard error is
 * made from rests on a handful of degrees of freedom and says little; 8 floors is 29-32 samples, what
 * a CI run's one judged life has (36 samples, 9 floors) with a few scrapes to spare. A window in
 * which no life reaches it is "not measured", which fails.
 */
export const minFitPoints = 8
/**
 * How many standard errors a slope must clear its bound by to fail: a leak must be shown beyond the
 * noise. At CI scale the heap floor's fitted slope has a standard error of ~6-22 MB/day (half-day
 * windows of the published week's samples at CI density), as large as the 16 MB/day bound, so a
 * bar on the bare slope failed a flat run now and then; slope - 2 SE over the bound is a leak with
 * ~97.5% confidence. The price: at CI scale a small leak (under the bound plus two SE) passes; the
 * full week's longer lives shrink the SE, and the leak fixture (~450 MB/day) fails by far.
 */
export const slopeStandardErrors = 2
/**
 * Memory is fitted through its floor: the lowest value of each run of this many consecutive samples.
 * The heap in use is a sawtooth (it climbs between collections and drops at each: 24-45 MB in one CI
 * run), and a line through every sample reads where in the tooth each sample fell: over half a
 * simulated day that alone moved the slope by ~25 MB/day. What a leak raises is the floor (what
 * survives collections), so the floor is what is fitted; RSS likewise, for the allocator's slack.
 */
export const floorGroup = 4

/** The soak's verdict: every bar, the fitted trends, and the first figure that drifts (if any). */
export type SoakVerdict = { bars: BarResult[]; pass: boolean; trends: SoakTrend[]; firstDrift: string | undefined }

/** One figure's fit per engine life in the judged window. */
export type SoakTrend = {
  figure: DriftFigure
  unit: string
  /** Lives fitted; `samples` is how many samples the fitted points came from. */
  lives: Array<{ pid: number; trend: Trend; fromDay: number; toDay: number; samples: number }>
  /** Lives in the window with too few points to fit (fewer than `minFitPoints`): named, never judged flat. */
  unfitted: Array<{ pid: number; points: number }>
  worstSlopePerDay: number | undefined
}

/** The figures judged by their trend. */
export type DriftFigure = 'rssBytes' | 'heapBytes' | 'fds'

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

/**
 * The samples the drift bars judge: the second half of the run in chain time (the first half warms
 * caches, fills the schedule to its steady size and reaches the retention window), split into
 * engine lives by PID. A restart starts a cold process, so a line fitted across one would read the
 * restart as a drop; each life is fitted on its own and the worst slope is judged, since a leak
 * grows within a life.
 *
 * @example
 * const lives = judgedLives(evidence.samples)
 */
export function judgedLives(samples: readonly SoakSample[]): SoakSample[][] {
  if (samples.length === 0) return []
  const lastDay = Math.max(...samples.map((s) => s.chainDays))
  const window = samples.filter((s) => s.chainDays >= lastDay / 2)
  const lives: SoakSample[][] = []
  for (const s of window) {
    const life = lives.at(-1)
    if (life && life[0]!.pid === s.pid) life.push(s)
    else lives.push([s])
  }
  return lives
}

/** The lowest point of each run of `floorGroup` consecutive points (a shorter last run included). */
function floors(points: ReadonlyArray<readonly [number, number]>): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = []
  for (let i = 0; i < points.length; i += floorGroup) {
    const group = points.slice(i, i + floorGroup)
    out.push(group.reduce((low, p) => (p[1] < low[1] ? p : low)))
  }
  return out
}

/**
 * Fits one figure per life of the judged window (lives with at least `minFitPoints` points to fit),
 * slope per simulated day with its standard error: memory through its floor (see `floorGroup`),
 * descriptors through every sample (a count has no sawtooth). Shorter lives are listed in
 * `unfitted`.
 *
 * @example
 * const rss = fitFigure(evidence.samples, 'rssBytes', 'bytes')
 */
export function fitFigure(samples: readonly SoakSample[], figure: DriftFigure, unit: string): SoakTrend {
  const lives: SoakTrend['lives'] = []
  const unfitted: SoakTrend['unfitted'] = []
  for (const life of judgedLives(samples)) {
    const finite = life.filter((s) => Number.isFinite(s[figure])).map((s) => [s.chainDays, s[figure]] as const)
    const points = figure === 'fds' ? finite : floors(finite)
    const trend = points.length >= minFitPoints ? fitTrend(points) : undefined
    if (trend) lives.push({ pid: life[0]!.pid, trend, fromDay: trend.from.x, toDay: trend.to.x, samples: finite.length })
    else unfitted.push({ pid: life[0]!.pid, points: points.length })
  }
  return { figure, unit, lives, unfitted, worstSlopePerDay: lives.length > 0 ? Math.max(...lives.map((l) => l.trend.slope)) : undefined }
}

/** The slope less `slopeStandardErrors` standard errors: what a slope bar judges. */
const lowSlope = (trend: Trend) => trend.slope - slopeStandardErrors * trend.slopeStandardError

/** The life whose slope clears the least noise (highest `lowSlope`): the one a bar names. */
function worstLife(trend: SoakTrend): SoakTrend['lives'][number] {
  return trend.lives.reduce((worst, l) => (lowSlope(l.trend) > lowSlope(worst.trend) ? l : worst))
}

/** "1 life (pid 7: 3 points) too short to fit", or '' when every life was fitted. */
function unfittedText(trend: SoakTrend): string {
  if (trend.unfitted.length === 0) return ''
  return `; ${trend.unfitted.length} li${trend.unfitted.length === 1 ? 'fe' : 'ves'} too short to fit (${trend.unfitted.map((u) => `pid ${u.pid}: ${u.points} points`).join(', ')})`
}

/**
 * Judges a soak run from its evidence alone (pure). Drift: RSS and heap slope per simulated day in
 * each engine life of the second half not above their bounds by more than two standard errors (a
 * leak must show beyond the noise), open descriptors flat likewise, the event loop's
 * p99 below its bound. Store: at every sample, twap-monitor's watches and due entries within the
 * TWAPs that may still be live, and its markers within the parts whose retention has not passed
 * (finished work pruned). Ground truth: every due TWAP part accepted once, no duplicate, nothing
 * unexplained, every EthFlow order observed, price and balance alerts for every trigger (a SIGKILL
 * may repeat one: at-least-once), one stop-loss order. Faults: at least one SIGTERM and one SIGKILL
 * restart and one WebSocket drop happened. Missing evidence is "not measured", which fails.
 *
 * @example
 * const verdict = judgeSoak(evidence)
 * if (!verdict.pass) console.log(verdict.firstDrift, verdict.bars.filter((b) => !b.pass))
 */
export function judgeSoak(e: SoakEvidence): SoakVerdict {
  const bars: BarResult[] = []
  const trends = [fitFigure(e.samples, 'rssBytes', 'bytes'), fitFigure(e.samples, 'heapBytes', 'bytes'), fitFigure(e.samples, 'fds', 'descriptors')]
  const [rss, heap, fds] = trends as [SoakTrend, SoakTrend, SoakTrend]
  const drift: string[] = []

  const fitted = `${slopeStandardErrors} standard errors`
  const slopeBar = (name: string, trend: SoakTrend, bound: number, what: string) => {
    const description = `${what} slope less ${fitted} in every engine life of the second half <= ${mb(bound)} per simulated day (a leak must show beyond the noise; a life needs ${minFitPoints} fitted points)`
    if (trend.lives.length === 0) return notMeasured(name, description, `no life with ${minFitPoints} points to fit in the second half${unfittedText(trend)}`)
    const worst = worstLife(trend)
    const pass = trend.lives.every((l) => lowSlope(l.trend) <= bound)
    if (!pass) drift.push(`${what} grows ${mb(worst.trend.slope)} per simulated day`)
    const measured = `slope ${mb(worst.trend.slope)}/day, SE ${mb(worst.trend.slopeStandardError)}/day, slope - ${slopeStandardErrors} SE ${mb(lowSlope(worst.trend))}/day; ${worst.trend.points} points from ${worst.samples} samples (pid ${worst.pid}); ${trend.lives.length} li${trend.lives.length === 1 ? 'fe' : 'ves'} fitted${unfittedText(trend)}`
    return bar(name, description, measured, pass)
  }
  bars.push(slopeBar('rss-slope', rss, maxRssSlopeBytesPerDay, 'engine RSS'))
  bars.push(slopeBar('heap-slope', heap, maxHeapSlopeBytesPerDay, 'engine heap used'))

  const fdDescription = `open descriptors flat: fitted growth over each life's window, less ${fitted}, <= ${maxFdGrowth} (a life needs ${minFitPoints} samples)`
  if (fds.lives.length === 0) bars.push(notMeasured('fds-flat', fdDescription, `no life with ${minFitPoints} fd counts in the second half${unfittedText(fds)}`))
  else {
    const growthOf = (l: SoakTrend['lives'][number]) => lowSlope(l.trend) * (l.toDay - l.fromDay)
    const worst = fds.lives.reduce((w, l) => (growthOf(l) > growthOf(w) ? l : w))
    const growth = growthOf(worst)
    const pass = growth <= maxFdGrowth
    if (!pass) drift.push(`open descriptors grow by ${growth.toFixed(1)} in one life`)
    bars.push(
      bar(
        'fds-flat',
        fdDescription,
        `worst fitted growth less ${fitted} ${growth.toFixed(1)} (slope ${worst.trend.slope.toFixed(1)}/day, SE ${worst.trend.slopeStandardError.toFixed(1)}/day; ${worst.trend.points} samples, pid ${worst.pid}); ${fds.lives.length} li${fds.lives.length === 1 ? 'fe' : 'ves'} fitted${unfittedText(fds)}`,
        pass,
      ),
    )
  }

  const window = judgedLives(e.samples).flat()
  const loops = window.map((s) => s.loopP99Seconds)
  const loopDescription = `event-loop delay p99 <= ${maxLoopP99Seconds * 1000} ms at every sample of the second half`
  if (window.length === 0 || loops.some((v) => !Number.isFinite(v))) bars.push(notMeasured('loop-p99', loopDescription, window.length === 0 ? 'no sample' : 'nodejs_eventloop_lag_p99_seconds missing from the scrape'))
  else {
    const worst = Math.max(...loops)
    bars.push(bar('loop-p99', loopDescription, `worst ${(worst * 1000).toFixed(1)} ms over ${loops.length} samples`, worst <= maxLoopP99Seconds))
  }

  const storeDescription = 'at every sample: watches and due entries <= TWAPs that may still be live; markers <= parts within validTo + retention (finished work pruned)'
  const storeFigures = e.samples.flatMap((s) => [s.watches, s.due, s.markers, s.watchBound, s.markerBound])
  if (e.samples.length === 0 || storeFigures.some((v) => !Number.isFinite(v))) bars.push(notMeasured('store-bounded', storeDescription, e.samples.length === 0 ? 'no sample' : 'a store count or bound is missing'))
  else {
    const over = e.samples.filter((s) => s.watches > s.watchBound || s.due > s.watchBound || s.markers > s.markerBound)
    const last = e.samples.at(-1)!
    const first = over[0]
    if (first) drift.push(`store entries pass their bound from block ${first.block}`)
    bars.push(
      bar(
        'store-bounded',
        storeDescription,
        first
          ? `${over.length}/${e.samples.length} samples over; first at block ${first.block}: ${first.watches} watches, ${first.due} due (bound ${first.watchBound}), ${first.markers} markers (bound ${first.markerBound})`
          : `all ${e.samples.length} within; at the end ${last.watches} watches, ${last.due} due (bound ${last.watchBound}), ${last.markers} markers (bound ${last.markerBound})`,
        over.length === 0,
      ),
    )
  }

  const d = e.delivery
  if (!d) {
    bars.push(notMeasured('parts-posted', 'every due TWAP part accepted', 'no ground truth collected'))
    bars.push(notMeasured('parts-once', 'no duplicate posts, nothing unexplained', 'no ground truth collected'))
    bars.push(notMeasured('ethflow-observed', 'every EthFlow order observed', 'no ground truth collected'))
  } else {
    bars.push(
      bar(
        'parts-posted',
        'every TWAP part due during the run (chain logs and timestamps) accepted by the stub; parts of a TWAP cancelled before they started excused',
        `${d.deliveredParts}/${d.expectedParts} delivered, ${d.missing.length} missing${d.missing.length ? ` (${d.missing.slice(0, 3).join(', ')})` : ''}`,
        d.expectedParts > 0 && d.missing.length === 0,
      ),
    )
    bars.push(bar('parts-once', 'no UID posted again after its acceptance, no accepted order unexplained', `${d.duplicates} duplicate posts, ${d.unexplained} unexplained`, d.duplicates === 0 && d.unexplained === 0))
    bars.push(bar('ethflow-observed', 'every EthFlow order placed on chain looked up by ethflow-watcher', `${d.ethFlowObserved}/${d.ethFlowPlaced}`, d.ethFlowPlaced > 0 && d.ethFlowObserved === d.ethFlowPlaced))
  }

  const kills = e.restarts.filter((r) => r.signal === 'SIGKILL').length
  const t = e.triggers
  if (!t) bars.push(notMeasured('triggers', 'an alert per oracle drop and per transfer, one stop-loss order', 'no trigger evidence'))
  else {
    const inRange = (alerts: number, fired: number) => fired > 0 && alerts >= fired && alerts <= fired + kills
    bars.push(
      bar(
        'triggers',
        `price alerts and balance alerts between the triggers fired and that plus the SIGKILLs (${kills}: a block replayed after a kill may alert again); exactly one stop-loss order`,
        `price ${t.priceAlerts} for ${t.oracleDrops} drops, balance ${t.balanceAlerts} for ${t.transfers} transfers, stop-loss ${t.stopLossPosts}`,
        inRange(t.priceAlerts, t.oracleDrops) && inRange(t.balanceAlerts, t.transfers) && t.stopLossPosts === 1,
      ),
    )
  }

  const terms = e.restarts.filter((r) => r.signal === 'SIGTERM').length
  bars.push(bar('faults-applied', 'at least one SIGTERM restart, one SIGKILL restart and one WebSocket drop happened', `${terms} SIGTERM, ${kills} SIGKILL, ${e.wsDrops} drops`, terms >= 1 && kills >= 1 && e.wsDrops >= 1))

  return { bars, pass: bars.every((b) => b.pass), trends, firstDrift: drift[0] }
}
