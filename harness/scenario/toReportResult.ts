import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { createRequire } from 'node:module'
import type { LatencySummary, ScenarioResult } from '../report/types.ts'
import { scaled } from './defineScenario.ts'
import type { ScenarioRun } from './runScenario.ts'
import { rustComparison } from './rustReference.ts'

const require = createRequire(import.meta.url)
const versionOf = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return dirty ? `${commit}-dirty` : commit
  } catch {
    return 'unknown'
  }
}
const ownVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
const summary = (s: { p50?: number; p95?: number; p99?: number; max?: number; count: number }): LatencySummary | undefined =>
  s.count === 0 || s.p50 === undefined ? undefined : { p50: s.p50, p95: s.p95 ?? s.p50, p99: s.p99 ?? s.p50, max: s.max ?? s.p99 ?? s.p50, count: s.count }

/** Turns a scenario run (evidence) into the report's result object. */
export function toReportResult(run: ScenarioRun, label?: string): ScenarioResult {
  const result = buildResult(run, label)
  return { ...result, comparison: rustComparison(result) }
}

function buildResult(run: ScenarioRun, label?: string): ScenarioResult {
  const { definition: def, load, truth, engine } = run
  const blocksInRun = Number(run.blocks.to - run.blocks.from + 1n)
  const counts = (kind: 'twap' | 'ethFlow') => {
    const c = load?.byKind[kind]
    return { sent: c?.sent ?? 0, accepted: c?.accepted ?? 0, rejected: c?.rejected ?? 0, mined: c?.mined ?? 0, reverted: c?.reverted ?? 0, unconfirmed: c?.unconfirmed ?? 0 }
  }
  const loadByBlock = new Map((load?.minedPerBlock ?? []).map((m) => [m.block, m.mined]))
  const t0 = run.series[0]?.at ?? run.startedAt.getTime()
  return {
    metadata: {
      scenario: def.name,
      label,
      date: run.startedAt.toISOString(),
      gitCommit: gitCommit(),
      versions: { node: process.version, viem: versionOf('viem'), anvil: versionOf('@foundry-rs/anvil'), shepherd: ownVersion },
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), cpuModel: cpus()[0]?.model },
      parameters: {
        blockTimeSeconds: def.devnet.blockTime,
        senders: def.load?.senders ?? 0,
        twapPerBlock: def.load?.twapPerBlock ?? 0,
        ethFlowPerBlock: def.load?.ethFlowPerBlock ?? 0,
        durationBlocks: def.load ? scaled(def.load.blocks, run.scale) : blocksInRun,
        modules: def.engine.modules.map((m) => m.name),
      },
      durationSeconds: Math.round(run.durationMs / 1000),
    },
    load: {
      twap: counts('twap'),
      ethFlow: counts('ethFlow'),
      senders: (load?.senders ?? []).map((s) => ({ address: s.address, accepted: s.accepted, mined: s.mined, reverted: s.reverted, rejected: s.rejected, unconfirmed: s.unconfirmed })),
      rejectionsByMessage: load?.rejectionsByMessage ?? {},
    },
    latency: engine.latency.map((m) => ({
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
        unexpected: truth.twap.unexpectedAccepted,
      },
      ethFlow: { placed: truth.ethFlow.placed, observed: truth.ethFlow.observed, missing: truth.ethFlow.missing.map((m) => m.uid) },
    },
    errors: {
      moduleErrors: Object.entries(engine.moduleErrors).filter(([, n]) => n > 0).map(([kind, count]) => ({ module: '(all)', kind, count })),
      traps: [],
      restarts: engine.restarts ? [{ module: '(all)', count: engine.restarts }] : [],
      poisoned: engine.poisoned ? [`${engine.poisoned} module(s)`] : [],
    },
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
