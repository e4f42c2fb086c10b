import { completeReportResult } from '../report/completeReportResult.ts'
import { loadReportOf } from './loadReportOf.ts'
import { engineErrorsOf } from './engineErrorsOf.ts'
import { readRunEnvironment, type RunEnvironment } from '../report/readRunEnvironment.ts'
import type { LatencySummary, ScenarioResult } from '../report/types.ts'
import { compareWithReference } from './compareWithReference.ts'
import { scaled } from './defineScenario.ts'
import type { BarStatus } from './judge.ts'
import type { OrderExplanation } from './judgeDelivery.ts'
import type { ScenarioRun } from './runScenario.ts'
import { describeSubject, isExternalSubject } from './subject/subjectTypes.ts'

const summary = (s: { p50?: number; p95?: number; p99?: number; max?: number; count: number }): LatencySummary | undefined =>
  s.count === 0 || s.p50 === undefined ? undefined : { p50: s.p50, p95: s.p95 ?? s.p50, p99: s.p99 ?? s.p50, max: s.max ?? s.p99 ?? s.p50, count: s.count }

/**
 * What this mapping adds to `ScenarioResult` (harness/report/types.ts), for the report to render:
 * the evidence behind the verdict that the result's own sections have no place for yet.
 */
export type ScenarioResultEvidence = {
  evidence: {
    /** Each bar's outcome: pass, fail, not measured (its evidence is missing: fails the run) or not applicable. */
    barStatus: Array<{ bar: string; status: BarStatus }>
    /** Figures that could not be read, with why (a metric missing from /metrics, a lost engine process's figures). */
    notMeasured: string[]
    /** Traps by module and kind (`shepherd_module_traps_total`). */
    traps: Array<{ module: string; kind: string; count: number }>
    /** Host calls that rejected to a module, by capability (`shepherd_module_host_failures_total`). */
    hostFailures: Array<{ module: string; capability: string; count: number }>
    /** Every order the orderbook accepted, by what explains it; `unexplained` fails its bar. */
    orders: { accepted: number; byExplanation: Partial<Record<OrderExplanation, number>>; unexplained: string[]; drainParts: number }
    /** Where each block's start time (block-to-submission) comes from. */
    blockClock: string
    /** Block-to-submission minimum (negative: a clock problem, kept in the data). */
    submissionMinMs: number | undefined
    /** The load as the chain shows it; the load section's `mined` figures come from here. */
    loadOnChain: { twapCreations: number; ethFlowPlacements: number; generatorMined: { twap: number; ethFlow: number }; disagreements: string[] } | undefined
    /** Engine processes that ended during the run (chaos kills), with whether their final figures were read. */
    endedEngines: ScenarioRun['endedEngines']
  }
}

/**
 * Turns a scenario run (evidence) into the report's result object. Mapping only: every number was
 * judged in runScenario. The load's mined counts are the chain's (logs of the load's senders), not
 * the load generator's; the comparison comes from the scenario definition's `comparison` field.
 *
 * @example
 * writeReport(toReportResult(run, 'ci'), { dir: 'reports' })
 */
export function toReportResult(run: ScenarioRun, label?: string): ScenarioResult & ScenarioResultEvidence {
  // Read once: the header's short commit and the git state the report shows come from the same tree.
  const environment = readRunEnvironment()
  const result = buildResult(run, environment, label)
  return completeReportResult({ ...result, comparison: compareWithReference(run.definition.comparison, result), evidence: evidenceOf(run) }, run, { git: environment.git })
}

function evidenceOf(run: ScenarioRun): ScenarioResultEvidence['evidence'] {
  const { engine, truth, loadOnChain, load } = run
  const { evidence } = engineErrorsOf(engine)
  return {
    barStatus: run.verdict.bars.map((b) => ({ bar: b.name, status: b.status ?? (b.pass ? 'pass' : 'fail') })),
    notMeasured: evidence.notMeasured,
    traps: 'value' in engine.traps ? engine.traps.value : [],
    hostFailures: evidence.hostFailures,
    orders: { accepted: truth.orders.accepted, byExplanation: truth.orders.byExplanation, unexplained: truth.orders.unexplained, drainParts: truth.twap.drainParts },
    blockClock: run.blockClock,
    submissionMinMs: run.submissionLatencyMs.min,
    loadOnChain: loadOnChain && load ? { twapCreations: loadOnChain.twapCreations, ethFlowPlacements: loadOnChain.ethFlowPlacements, generatorMined: { twap: load.byKind.twap.mined, ethFlow: load.byKind.ethFlow.mined }, disagreements: loadOnChain.disagreements } : undefined,
    endedEngines: run.endedEngines,
  }
}

function buildResult(run: ScenarioRun, environment: RunEnvironment, label?: string): ScenarioResult {
  const { definition: def, load, truth, engine, loadOnChain } = run
  const blocksInRun = Number(run.blocks.to - run.blocks.from + 1n)
  const loadByBlock = new Map((load?.minedPerBlock ?? []).map((m) => [m.block, m.mined]))
  const t0 = run.series[0]?.at ?? run.startedAt.getTime()
  return {
    metadata: {
      scenario: def.name,
      label,
      date: run.startedAt.toISOString(),
      gitCommit: environment.gitCommit,
      versions: environment.versions,
      machine: environment.machine,
      parameters: {
        blockTimeSeconds: def.devnet.blockTime,
        senders: def.load?.senders ?? 0,
        twapPerBlock: def.load?.twapPerBlock ?? 0,
        ethFlowPerBlock: def.load?.ethFlowPerBlock ?? 0,
        durationBlocks: def.load ? scaled(def.load.blocks, run.scale) : blocksInRun,
        // An external subject runs no modules of ours: the report names the command instead.
        modules: isExternalSubject(def.subject) ? [describeSubject(def.subject)] : def.engine.modules.map((m) => m.name),
      },
      durationSeconds: Math.round(run.durationMs / 1000),
      orderbook: run.orderbookSetup,
    },
    // Mined comes from the chain; the generator's receipts miss transactions a reorg replayed.
    load: loadReportOf(load, loadOnChain),
    latency: isExternalSubject(def.subject)
      ? // Block to submission is ground truth (any subject); dispatch is the engine's own metric, absent here.
        [{ module: describeSubject(def.subject), blockToSubmission: summary(run.submissionLatencyMs), noSubmissionsBecause: run.submissionLatencyMs.count === 0 ? 'no expected part was delivered' : undefined }]
      : engine.latency.map((m) => ({
      module: m.module,
      dispatch: summary({ p50: m.p50, p95: m.p95, p99: m.p99, max: m.max, count: m.events }),
      blockToSubmission: m.module === 'twap-monitor' ? summary(run.submissionLatencyMs) : undefined,
    })),
    delivery: {
      twap: {
        expectedParts: truth.twap.expected,
        submittedOnce: truth.twap.delivered - truth.twap.duplicateUids.length,
        duplicates: truth.twap.duplicatePosts.map(({ uid, posts }) => ({ uid, count: posts })),
        missing: truth.twap.missing.map((p) => p.uid),
        // Accepted orders nothing explains (drain parts, EthFlow and declared orders are accounted for).
        unexpected: truth.orders.unexplained,
      },
      ethFlow: { placed: truth.ethFlow.placed, observed: truth.ethFlow.observed, missing: truth.ethFlow.missing.map((m) => m.uid) },
    },
    // Per module; a figure that was not measured has no rows here (its bar and `evidence.notMeasured` say so).
    errors: engineErrorsOf(engine).errors,
    rpc: Object.entries(engine.requestsByMethod)
      .filter(([, total]) => total > 0)
      .map(([method, total]) => ({ method, total, perBlock: total / Math.max(1, blocksInRun) }))
      .sort((a, b) => b.total - a.total),
    series: run.series.map((s) => {
      const values = Object.values(s.dispatchMs).filter((v): v is number => v !== undefined)
      return { block: Number(s.block), timeSeconds: (s.at - t0) / 1000, dispatchMs: values.length ? Math.max(...values) : null, loadTxs: loadByBlock.get(s.block) ?? 0 }
    }),
    anomalies: [...run.anomalies, ...run.notes],
    acceptance: run.verdict.bars.map((b) => ({ bar: b.name, target: b.bar, measured: b.measured, pass: b.pass })),
    comparison: undefined,
  }
}
