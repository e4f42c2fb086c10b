import type { BarResult } from '../../harness/scenario/judge.ts'
import type { BurstEvidence, GrowthPhase, ScaleEvidence } from './scaleEvidence.ts'

/** Steady CPU per block at the largest N may be at most this many times the figure at the smallest (1k). */
export const cpuGrowthLimit = 2
/**
 * The reference CPU per block is floored at one /proc clock tick (10 ms): an idle engine reads 0 or
 * 10 ms per block, and a ratio against a mean of a few ms measures tick jitter, not cost.
 */
export const cpuFloorMs = 10
/**
 * Ingest time per creation at the largest N may be at most this many times the figure at the
 * smallest: "flat". Each figure is noisy by about ±25% on two shared cores (toolchain-facts.md), so
 * noise alone rarely moves the ratio past 1.25 / 0.8 = 1.56; 1.5x still fails anything quadratic
 * (10x at 10x N) and any total ingest time growing faster than N^1.18 over a 10x step. The small-N figure carries the
 * fixed latency of one head notification, which only makes the bar easier, never harder.
 */
export const ingestFlatTolerance = 1.5
/** Largest head - cursor sampled during a burst. */
export const maxBurstCursorLag = 2
/** The engine's RSS at the largest N. */
export const maxRssBytes = 1_000_000_000

/** The scale run's verdict: every bar, and PASS only when each passed. */
export type ScaleVerdict = { bars: BarResult[]; pass: boolean }

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
const finite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value)
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length

/**
 * Median engine CPU per steady block of a phase, ms; undefined without steady blocks. The median,
 * not the mean: a major GC lands in some window and not in another (one 200 ms block in 15 moves
 * a mean of 10 ms to 23 ms), and the bar is about the cost of a block. The report gives the mean
 * and the worst block beside it.
 */
export function steadyCpuMs(phase: GrowthPhase): number | undefined {
  if (phase.steady.length === 0) return undefined
  const sorted = phase.steady.map((b) => b.cpuMs).sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Mean engine CPU per steady block of a phase, ms (GC spikes included); undefined without steady blocks. */
export function steadyCpuMeanMs(phase: GrowthPhase): number | undefined {
  return phase.steady.length > 0 ? mean(phase.steady.map((b) => b.cpuMs)) : undefined
}

/** Ingest time per creation of a phase, ms; undefined when nothing was created. */
export function ingestMsPerCreation(phase: GrowthPhase): number | undefined {
  return phase.created > 0 ? phase.ingestMs / phase.created : undefined
}

function judgeBurst(transport: 'ws' | 'http', burst: BurstEvidence | undefined, burstBlocks: number): BarResult[] {
  const name = `burst-${transport}`
  if (!burst)
    return [
      notMeasured(`${name}-polled`, `every part polled at the due block or the next (over ${transport})`, `no burst ran over ${transport}`),
      notMeasured(`${name}-posted`, `every part at the stub within ${burstBlocks} blocks`, `no burst ran over ${transport}`),
      notMeasured(`${name}-once`, 'each part posted exactly once', `no burst ran over ${transport}`),
      notMeasured(`${name}-cursor`, `cursor never more than ${maxBurstCursorLag} blocks behind`, `no burst ran over ${transport}`),
    ]
  const bars: BarResult[] = []
  bars.push(
    bar(`${name}-polled`, `all ${burst.parts} parts polled at the due block or the next (over ${transport}; twap-monitor's own count)`, `${burst.polledByNextBlock} polls`, burst.parts > 0 && burst.polledByNextBlock >= burst.parts),
  )
  const inTime = burst.blocksToPost !== undefined && burst.blocksToPost <= burstBlocks
  bars.push(
    bar(
      `${name}-posted`,
      `all ${burst.parts} parts (from the chain's logs) at the stub within ${burstBlocks} blocks`,
      `${burst.posted}/${burst.expected} expected parts (${burst.parts} created) in ${burst.blocksToPost ?? '-'} blocks`,
      burst.expected === burst.parts && burst.posted === burst.expected && inTime,
    ),
  )
  bars.push(bar(`${name}-once`, 'each part posted exactly once (stub record)', `${burst.duplicates} extra posts`, burst.expected > 0 && burst.duplicates === 0))
  bars.push(
    burst.lagSamples > 0
      ? bar(`${name}-cursor`, `cursor never more than ${maxBurstCursorLag} blocks behind the head (sampled every ~100 ms)`, `max ${burst.maxCursorLag} over ${burst.lagSamples} samples`, burst.maxCursorLag <= maxBurstCursorLag)
      : notMeasured(`${name}-cursor`, `cursor never more than ${maxBurstCursorLag} blocks behind`, 'no cursor sample'),
  )
  return bars
}

/**
 * Judges a scale run from its evidence alone (pure): creations against the chain's logs; ingest
 * time per creation flat across N; steady CPU per block at the largest N within 2x of the smallest
 * when the same number is due per block; every steady part posted once and nothing else posted
 * (stub record against the chain); a burst over ws AND over http each polled by the next block,
 * at the stub within the block bound, each part once, the cursor at most 2 blocks behind; RSS at
 * the largest N at most 1 GB. Missing evidence is "not measured", which fails.
 *
 * @example
 * const verdict = judgeScale(evidence)
 * if (!verdict.pass) console.log(verdict.bars.filter((b) => !b.pass))
 */
export function judgeScale(e: ScaleEvidence): ScaleVerdict {
  const bars: BarResult[] = []
  const phases = e.growth
  const first = phases[0]
  const last = phases.at(-1)

  if (!first) bars.push(notMeasured('creation', 'every planned TWAP created on chain', 'no growth phase ran'))
  else {
    const short = phases.filter((p) => p.created === 0 || p.createdLogs !== p.created)
    bars.push(bar('creation', 'one ConditionalOrderCreated log per planned TWAP, every phase', phases.map((p) => `${p.createdLogs}/${p.created}`).join(', '), short.length === 0))
  }

  const firstIngest = first && ingestMsPerCreation(first)
  const lastIngest = last && ingestMsPerCreation(last)
  if (phases.length < 2 || !finite(firstIngest) || !finite(lastIngest))
    bars.push(notMeasured('ingest-flat', `ingest time per creation flat across N (largest <= ${ingestFlatTolerance}x smallest)`, 'fewer than two growth phases'))
  else
    bars.push(
      bar(
        'ingest-flat',
        `ingest time per creation at N=${last!.n} <= ${ingestFlatTolerance}x the figure at N=${first!.n}`,
        `${lastIngest.toFixed(3)} vs ${firstIngest.toFixed(3)} ms per creation (${(lastIngest / firstIngest).toFixed(2)}x)`,
        lastIngest <= ingestFlatTolerance * firstIngest,
      ),
    )

  const firstCpu = first && steadyCpuMs(first)
  const lastCpu = last && steadyCpuMs(last)
  if (phases.length < 2 || !finite(firstCpu) || !finite(lastCpu))
    bars.push(notMeasured('steady-cpu', `steady CPU per block at the largest N <= ${cpuGrowthLimit}x the smallest`, 'fewer than two steady windows'))
  else if (first!.duePerBlock !== last!.duePerBlock || first!.duePerBlock === 0)
    bars.push(notMeasured('steady-cpu', `steady CPU per block at the largest N <= ${cpuGrowthLimit}x the smallest`, `due per block differs (${first!.duePerBlock} vs ${last!.duePerBlock})`))
  else {
    const reference = Math.max(firstCpu, cpuFloorMs)
    bars.push(
      bar(
        'steady-cpu',
        `median engine CPU per block at N=${last!.n} <= ${cpuGrowthLimit}x the figure at N=${first!.n} (${first!.duePerBlock} due per block; reference floored at ${cpuFloorMs} ms)`,
        `${lastCpu.toFixed(1)} vs ${firstCpu.toFixed(1)} ms per block (means ${steadyCpuMeanMs(last!)!.toFixed(1)} vs ${steadyCpuMeanMs(first!)!.toFixed(1)})`,
        lastCpu <= cpuGrowthLimit * reference,
      ),
    )
  }

  const due = e.dueParts
  if (!due || due.expected === 0) bars.push(notMeasured('steady-parts', 'every part due in the steady windows posted once, nothing else posted', 'no due part'))
  else
    bars.push(
      bar(
        'steady-parts',
        'every part due in the steady windows (from the chain) posted once, nothing else posted (stub record)',
        `${due.posted}/${due.expected} posted, ${due.duplicates} extra posts, ${due.unexpectedPosts} unexpected UIDs`,
        due.posted === due.expected && due.duplicates === 0 && due.unexpectedPosts === 0,
      ),
    )

  for (const transport of ['ws', 'http'] as const) bars.push(...judgeBurst(transport, e.bursts.find((b) => b.transport === transport), e.burstBlocks))

  if (!last || !finite(last.rssBytes)) bars.push(notMeasured('memory', `engine RSS at the largest N <= ${maxRssBytes / 1e9} GB`, 'no RSS reading'))
  else bars.push(bar('memory', `engine RSS at N=${last.n} <= ${maxRssBytes / 1e9} GB`, `${(last.rssBytes / 1e6).toFixed(0)} MB (${(last.rssBytes / last.n / 1024).toFixed(1)} kB per watch)`, last.rssBytes <= maxRssBytes))

  return { bars, pass: bars.every((b) => b.pass) }
}
