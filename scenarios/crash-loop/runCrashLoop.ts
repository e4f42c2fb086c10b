import { createPrng } from '../../harness/orderbook/createPrng.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import { sumOf } from '../../harness/scenario/prometheus.ts'
import { blockSecondsOf } from '../../harness/scenario/defineScenario.ts'
import type { ExtraBars, ScenarioContext } from '../../harness/scenario/runScenario.ts'
import { scrape } from '../../harness/scenario/startMetricsSampler.ts'
import { judgeCrashLoop, type CrashLoopEvidence } from './judgeCrashLoop.ts'

export type RunCrashLoopParameters = {
  loadBlocks: number
  blockTime: number
  /** Seconds between kills, drawn uniformly. */
  intervalSeconds: readonly [number, number]
  seed?: number
}

/** One kill as the harness saw it: wall-clock moments, and the head block numbers (the watcher's) at the kill and when caught up. */
type Kill = { killedAt: number; healthyAt: number; caughtUpAt: number; killHead: bigint; caughtUpHead: bigint }

/** validTo is the last 4 bytes of the 56-byte UID (digest ‖ owner ‖ validTo). */
const validToOfUid = (uid: string) => BigInt(`0x${uid.slice(-8)}`)

/**
 * The crash loop, beside the load: SIGKILL the engine process at random intervals and restart it
 * (each time waiting until it is healthy and its cursor has reached the head the harness's watcher
 * sees), until shortly before the load ends. It collects evidence only; at the end of the run
 * `judgeCrashLoop` judges it with the run's ground truth and the stub's record. Chain time comes
 * from the head watcher (its own worker thread: when each block was first seen) and the blocks'
 * own timestamps (the node's newHeads, or the chain when the watcher has none): a post arrived at
 * the chain time of the newest block seen by then.
 *
 * @example
 * await runAndReport(scenario, { during: (context) => runCrashLoop(context, { loadBlocks: 90, blockTime: 1, intervalSeconds: [4, 10] }) })
 */
export async function runCrashLoop(context: ScenarioContext, parameters: RunCrashLoopParameters): Promise<ExtraBars> {
  const { engine, clock, log } = context
  const { loadBlocks, blockTime, intervalSeconds, seed = 15 } = parameters
  if (!engine.killAndRestart) throw new Error('crash-loop: the engine must run as a process (engine.mode = "process") to be killed')
  const random = createPrng(seed)
  const kills: Kill[] = []
  const loadEndsAt = Date.now() + loadBlocks * blockTime * 1000
  // The last kill leaves time for a restart and a catch-up inside the load.
  const lastKillAt = loadEndsAt - 15_000
  for (;;) {
    const [min, max] = intervalSeconds
    const wait = (min + random() * (max - min)) * 1000
    if (Date.now() + wait > lastKillAt) break
    await new Promise((r) => setTimeout(r, wait))
    let killHead = clock.head()!
    let killedAt = Date.now()
    await engine.killAndRestart({ downMs: 300, onKilled: () => ([killHead, killedAt] = [clock.head()!, Date.now()]) })
    const healthyAt = Date.now()
    // Caught up: the engine's cursor has reached the head the watcher sees now (not the head of some earlier moment).
    const deadline = Date.now() + 60_000
    while (sumOf(await scrape(engine.metricsUrl), 'shepherd_cursor_block') < Number(clock.head()!)) {
      if (Date.now() > deadline) throw new Error(`crash-loop: the engine did not catch up with the head (${clock.head()}) within 60 s of its restart`)
      await new Promise((r) => setTimeout(r, 50))
    }
    kills.push({ killedAt, healthyAt, caughtUpAt: Date.now(), killHead, caughtUpHead: clock.head()! })
    const k = kills.at(-1)!
    log(`kill ${kills.length}: down ${healthyAt - killedAt} ms, caught up ${k.caughtUpAt - healthyAt} ms later (head ${killHead} -> ${k.caughtUpHead})`)
  }

  return {
    judgeAtEnd: async (final) => {
      // The newest block the watcher had seen at each moment, and the chain's timestamps of those blocks.
      const seen = [...clock.seenAt].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      const blockAt = (at: number): bigint | undefined => {
        let found: bigint | undefined
        for (const [number, seenAt] of seen) if (seenAt <= at && (found === undefined || number > found)) found = number
        return found
      }
      const posts = final.record.filter((e) => isOrderPost(e) && e.uid !== undefined).map((e) => ({ entry: e, block: blockAt(e.at) }))
      const needed = new Set<bigint>([...kills.flatMap((k) => [k.killHead, k.caughtUpHead]), ...posts.flatMap((p) => (p.block === undefined ? [] : [p.block]))])
      const timestamps = await blockTimestamps(context, needed)
      const timeOf = (block: bigint) => {
        const t = timestamps.get(block)
        if (t === undefined) throw new Error(`crash-loop: no timestamp for block ${block}`)
        return t
      }
      const evidence: CrashLoopEvidence = {
        blockTimeMs: final.blockTimeMs,
        blockSeconds: blockSecondsOf(context.definition),
        loadSeconds: loadBlocks * blockTime,
        intervalSeconds,
        outages: kills.map((k) => ({ killedAt: k.killedAt, healthyAt: k.healthyAt, caughtUpAt: k.caughtUpAt, killHeadTime: timeOf(k.killHead), caughtUpHeadTime: timeOf(k.caughtUpHead) })),
        posts: posts.map(({ entry, block }) => ({
          uid: entry.uid!,
          validTo: BigInt((entry.body as { validTo?: number } | undefined)?.validTo ?? validToOfUid(entry.uid!)),
          chainTime: block === undefined ? undefined : timestamps.get(block),
        })),
        parts: {
          expected: final.truth.twap.expected,
          delivered: final.truth.twap.delivered,
          duplicates: final.truth.twap.duplicates,
          missing: final.truth.twap.missing.map((p) => ({ uid: p.uid, start: p.start, validTo: p.validTo })),
        },
      }
      return judgeCrashLoop(evidence)
    },
  }

  /** Timestamps of the given blocks: the watcher's (from newHeads), else the chain's own. */
  async function blockTimestamps({ devnet: { client } }: ScenarioContext, numbers: ReadonlySet<bigint>): Promise<Map<bigint, bigint>> {
    const known = new Map<bigint, bigint>()
    const ask: bigint[] = []
    for (const n of numbers) {
      const t = clock.timestamps.get(n)
      if (t === undefined) ask.push(n)
      else known.set(n, t)
    }
    const blocks = await Promise.all(ask.map((n) => client.getBlock({ blockNumber: n })))
    for (const b of blocks) known.set(b.number!, b.timestamp)
    return known
  }
}
