import { createPrng } from '../../harness/orderbook/createPrng.ts'
import { collectGroundTruth } from '../../harness/scenario/groundTruth.ts'
import type { BarResult } from '../../harness/scenario/judge.ts'
import { sumOf } from '../../harness/scenario/prometheus.ts'
import { counterTotals, describeEvidence, total } from '../../harness/scenario/runMetrics.ts'
import type { ExtraBars, ScenarioContext } from '../../harness/scenario/runScenario.ts'
import { scrape } from '../../harness/scenario/startMetricsSampler.ts'

/** One kill: when, and the chain's head time when the engine died and when it had caught up again. */
export type Outage = { killedAt: number; healthyAt: number; caughtUpAt: number; killHeadTime: bigint; caughtUpHeadTime: bigint }

export type RunCrashLoopParameters = {
  loadBlocks: number
  blockTime: number
  /** Seconds between kills, drawn uniformly. */
  intervalSeconds: readonly [number, number]
  /** Seconds of each TWAP part (span 0): a part's window is [validTo + 1 - t, validTo]. */
  partSeconds: number
  seed?: number
}

type Head = { seenAt: number; number: bigint; timestamp: bigint }

/** Follows the head every 100 ms: what the chain's time was at any wall-clock moment of the run. */
function followHeads(context: ScenarioContext) {
  const heads: Head[] = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      try {
        const block = await context.devnet.client.getBlock()
        if (heads.at(-1)?.number !== block.number) heads.push({ seenAt: Date.now(), number: block.number, timestamp: block.timestamp })
      } catch {
        // A failed poll only makes the record coarser.
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  return {
    latest: () => heads.at(-1)!,
    /** The newest head seen at or before `at` (ms). */
    timeAt(at: number): bigint | undefined {
      let found: Head | undefined
      for (const head of heads) {
        if (head.seenAt > at) break
        found = head
      }
      return found?.timestamp
    },
    async stop() {
      stopped = true
      await loop
    },
  }
}

const bar = (name: string, description: string, measured: string | number, pass: boolean): BarResult => ({ name, bar: description, measured: String(measured), pass })
/** validTo is the last 4 bytes of the 56-byte UID (digest ‖ owner ‖ validTo). */
const validToOfUid = (uid: string) => BigInt(`0x${uid.slice(-8)}`)

/**
 * The crash loop, beside the load: SIGKILL the engine process at random intervals and restart it
 * (each time waiting until it is healthy and its cursor has reached the head), until shortly before
 * the load ends; then, once the last parts have had time to settle, judge from the chain and the
 * stub's record: no post after validTo (by the chain's time at arrival), no duplicate, every part
 * posted once unless its window lay wholly inside an outage (then not posted at all).
 *
 * @example
 * await runAndReport(scenario, { during: (context) => runCrashLoop(context, { loadBlocks: 90, blockTime: 1, intervalSeconds: [4, 10], partSeconds: 4 }) })
 */
export async function runCrashLoop(context: ScenarioContext, parameters: RunCrashLoopParameters): Promise<ExtraBars> {
  const { devnet, orderbook, engine, log } = context
  const client = devnet.client
  const { loadBlocks, blockTime, intervalSeconds, partSeconds, seed = 15 } = parameters
  if (!engine.killAndRestart) throw new Error('crash-loop: the engine must run as a process (engine.mode = "process") to be killed')
  const fromBlock = (await client.getBlockNumber()) + 1n
  const heads = followHeads(context)
  const random = createPrng(seed)
  const outages: Outage[] = []
  const loadEndsAt = Date.now() + loadBlocks * blockTime * 1000
  // The last kill leaves time for a restart and a catch-up inside the load.
  const lastKillAt = loadEndsAt - 15_000
  try {
    for (;;) {
      const [min, max] = intervalSeconds
      const wait = (min + random() * (max - min)) * 1000
      if (Date.now() + wait > lastKillAt) break
      await new Promise((r) => setTimeout(r, wait))
      const killHeadTime = heads.latest().timestamp
      const killedAt = Date.now()
      await engine.killAndRestart({ downMs: 300 })
      const healthyAt = Date.now()
      const target = await client.getBlockNumber()
      const deadline = Date.now() + 60_000
      while (sumOf(await scrape(engine.metricsUrl), 'shepherd_cursor_block') < Number(target)) {
        if (Date.now() > deadline) throw new Error(`crash-loop: the engine did not catch up with block ${target} within 60 s of its restart`)
        await new Promise((r) => setTimeout(r, 50))
      }
      outages.push({ killedAt, healthyAt, caughtUpAt: Date.now(), killHeadTime, caughtUpHeadTime: heads.latest().timestamp })
      const o = outages.at(-1)!
      log(`kill ${outages.length}: down ${healthyAt - killedAt} ms, caught up ${o.caughtUpAt - healthyAt} ms later (chain time ${killHeadTime} -> ${o.caughtUpHeadTime})`)
    }
    // Let the load end and the last parts settle before judging what arrived.
    const toBlock = fromBlock + BigInt(loadBlocks)
    const settle = toBlock + 8n
    const settleDeadline = Date.now() + 120_000
    while ((await client.getBlockNumber()) < settle && Date.now() < settleDeadline) await new Promise((r) => setTimeout(r, 200))
    await new Promise((r) => setTimeout(r, 1000))

    const truth = await collectGroundTruth({ client: client as never, addresses: devnet.addresses, fromBlock, toBlock, record: orderbook.record.entries, blockSeenAt: new Map() })
    const posts = orderbook.record.entries.filter((e) => e.method === 'POST' && e.path.endsWith('/api/v1/orders') && e.uid !== undefined)
    const late = posts.flatMap((e) => {
      const validTo = BigInt((e.body as { validTo?: number }).validTo ?? validToOfUid(e.uid!))
      const chainTime = heads.timeAt(e.at)
      return chainTime !== undefined && chainTime > validTo ? [{ uid: e.uid!, validTo, chainTime, status: e.status }] : []
    })
    const t = BigInt(partSeconds)
    const excused = (uid: string) => {
      const validTo = validToOfUid(uid)
      const start = validTo + 1n - t
      // The window began no earlier than a block before the kill and ended before the engine had caught up.
      return outages.some((o) => start >= o.killHeadTime - 2n * BigInt(blockTime) && validTo <= o.caughtUpHeadTime)
    }
    const unexcused = truth.twap.missing.filter((part) => !excused(part.uid))
    const missedByEngine = describeEvidence(total(counterTotals(await context.scrape(), 'shepherd_module_errors_total', ['module', 'error_kind']), { module: 'twap-monitor', error_kind: 'part_missed' }))
    const downs = outages.map((o) => o.healthyAt - o.killedAt)
    const catchUps = outages.map((o) => o.caughtUpAt - o.healthyAt)
    const minKills = Math.max(1, Math.floor((loadBlocks * blockTime - 20) / (intervalSeconds[1] + 10)))
    const bars: BarResult[] = [
      bar('Engine killed repeatedly', `>= ${minKills} SIGKILLs at ${intervalSeconds[0]}-${intervalSeconds[1]} s intervals, each restarted and caught up`, `${outages.length} kills`, outages.length >= minKills),
      bar(
        'Nothing posted after its validTo',
        '0 order posts whose validTo was already past by the chain time when the post reached the orderbook',
        late.length === 0 ? `0 of ${posts.length} posts` : `${late.length} of ${posts.length} posts, e.g. ${late.slice(0, 3).map((l) => `validTo ${l.validTo} at chain time ${l.chainTime}`).join('; ')}`,
        late.length === 0,
      ),
      bar('Nothing posted twice', '0 posts of an already accepted UID', truth.twap.duplicates, truth.twap.duplicates === 0),
      bar(
        'Every part once, or not at all when its window lay inside an outage',
        '0 expected parts missing outside an outage (kill -> caught up)',
        `${truth.twap.delivered}/${truth.twap.expected} delivered; ${truth.twap.missing.length - unexcused.length} missing with their whole window inside an outage; ${unexcused.length} missing otherwise${unexcused.length ? ` (e.g. ${unexcused.slice(0, 3).map((p) => `${p.uid.slice(0, 18)}... validTo ${validToOfUid(p.uid)}`).join('; ')})` : ''}`,
        unexcused.length === 0 && truth.twap.expected > 0,
      ),
    ]
    const notes = [
      `${outages.length} SIGKILLs of the engine process; down ${Math.min(...downs)}-${Math.max(...downs)} ms until healthy, then caught up with the head in ${Math.min(...catchUps)}-${Math.max(...catchUps)} ms`,
      `${truth.twap.missing.length} parts not posted (their whole window inside an outage); the engine recorded ${missedByEngine} parts as missed (part_missed) instead of posting them after their validTo`,
    ]
    return { bars, notes }
  } finally {
    await heads.stop()
  }
}
