import { describe, expect, test } from 'vitest'
import type { LoadResult } from '../../load/loadTypes.ts'
import type { GroundTruth } from '../groundTruth.ts'
import scenario, { plan } from '../../../scenarios/multichain/scenario.ts'
import { judgeMultichain, type MultichainEvidence } from './judgeMultichain.ts'
import { keyNumbers, renderMultichainReport, renderMultichainSvg } from './renderMultichainReport.ts'
import type { ChainRun, MultichainRun } from './runMultichain.ts'

// A small synthetic run: 4 parts per chain, chain 100 down from t=10 s to t=20 s (its blocks 10-19).
const deliveries = (offset: number, late: boolean) =>
  [5, 12, 15, 25].map((block, i) => {
    const seenAt = block * 1000
    const acceptedAt = late && block >= 10 && block <= 19 ? 20_500 + i : seenAt + offset
    return { uid: `0x${block}`, tradeableBlock: BigInt(block), seenAt, acceptedAt, latencyMs: acceptedAt - seenAt }
  })
const lag = (during: number) => Array.from({ length: 30 }, (_, i) => ({ at: i * 1000, head: BigInt(i), cursor: BigInt(i - (i >= 10 && i <= 20 ? during : 0)) }))
const evidence: MultichainEvidence = {
  blockTimeMs: 500,
  steady: { chainId: 11155111, expected: 4, delivered: 4, missing: [], duplicates: 0, deliveries: deliveries(50, false), unexplained: 0, ethFlow: { placed: 3, observed: 3 } },
  faulted: { chainId: 100, expected: 4, delivered: 4, missing: [], duplicates: 0, deliveries: deliveries(60, true), unexplained: 0, ethFlow: { placed: 3, observed: 3 } },
  outage: { fromBlock: 10n, toBlock: 19n, plannedBlocks: 10, startedAt: 10_000, endedAt: 20_000, refused: 3 },
  lagSamples: lag(1),
  engine: { moduleErrors: { value: [] }, traps: { value: 0 }, poisoned: { value: 0 } },
}
const chain = (chainId: number, role: ChainRun['role'], during: number): ChainRun => ({
  chainId,
  role,
  orderbook: 'strict',
  blocks: { from: 1n, to: 29n, drainedTo: 39n },
  load: {} as LoadResult,
  loadReport: {
    twap: { sent: 28, accepted: 28, rejected: 0, mined: 28, reverted: 0, unconfirmed: 0 },
    ethFlow: { sent: 28, accepted: 28, rejected: 0, mined: 27, reverted: 0, unconfirmed: 1 },
    senders: [{ address: `0x${String(chainId).padStart(40, '0')}`, accepted: 56, mined: 55, reverted: 0, rejected: 0, unconfirmed: 1 }],
    rejectionsByMessage: {},
  },
  truth: { twap: { orders: 4, expected: 4, delivered: 4, missing: [], duplicates: 0 }, orders: { accepted: 4, unexplained: [] }, ethFlow: { placed: 3, observed: 3 } } as unknown as GroundTruth,
  latencyMs: { p50: 50, p99: 60, max: 60, count: 4 },
  cursorAtEnd: 39,
  lag: lag(during),
})
const run: MultichainRun = {
  definition: scenario,
  plan: { steadyChainId: 11155111, faultedChainId: 100, ...plan } as MultichainRun['plan'],
  scale: 'ci',
  startedAt: new Date('2026-12-07T12:00:00Z'),
  durationMs: 40_000,
  chains: [chain(11155111, 'steady', 1), chain(100, 'faulted', 9)],
  evidence,
  verdict: judgeMultichain(evidence),
  errors: { errors: { moduleErrors: [], traps: [], restarts: [], poisoned: [] }, evidence: { notMeasured: [], hostFailures: [], endedEngines: [] } },
  proxyCounters: { down: 1, down_refused: 3 },
  notes: ['a note'],
}
const metadata = { scenario: 'multichain', label: 'ci', date: '2026-12-07T12:00:00.000Z', gitCommit: 'abc1234', versions: { node: 'v20', viem: '2', anvil: '1' }, machine: { cores: 2, memoryGiB: 8 } }

describe('renderMultichainReport', () => {
  test('behavior: the report shows both chains side by side, every bar, the derived bounds with why, and the verdict', () => {
    expect(run.verdict.bars.filter((b) => !b.pass)).toEqual([])
    const md = renderMultichainReport(run, metadata)
    expect(md).toMatch(/^# multichain \(ci\): PASS/)
    expect(md).toContain('| | chain 11155111 (steady) | chain 100 (faulted) |')
    expect(md).toContain('| RPC | direct | through the fault proxy; down for blocks 10-19 (10.0 s) |')
    expect(md).toContain('| cursor lag during the outage | 1-1 blocks (11 samples) | 9-9 blocks (11 samples) |')
    for (const bar of run.verdict.bars) expect(md).toContain(`| ${bar.name} |`)
    expect(md).toContain('| EthFlow placed / observed at its stub | 3 / 3 | 3 / 3 |')
    // The standard errors section, as every scenario report has it.
    expect(md).toContain('## Errors, traps and poison')
    // The standard load section, once per chain, with what its own chain's logs show mined.
    expect(md).toContain('## Load sent against mined, chain 11155111 (steady)')
    expect(md).toContain('## Load sent against mined, chain 100 (faulted)')
    expect(md).toContain('| EthFlow createOrder | 28 | 28 | 0 | 27 | 0 | 1 |')
    expect(md).toContain(`| 0x${'100'.padStart(40, '0')} | 56 | 55 | 0 | 1 |`)
    expect(md).toContain('No module errors, traps, restarts, host failures or poisoned modules.')
    expect(md).toContain('| orderbook | strict |')
    expect(md).toContain('- Cursor: N = 2 blocks: max(2, the largest lag sampled before the outage (0) + 1)')
    expect(keyNumbers(run)).toBe('chain 11155111 4/4, chain 100 4/4; cursor at most 1 blocks behind during the outage; p99 50 ms vs 50 ms; backfill 2/2')
  })

  test('behavior: the errors section names each module error and trap, and what could not be read', () => {
    const errors: MultichainRun['errors'] = {
      errors: { moduleErrors: [{ module: 'ethflow-watcher', kind: 'orderbook', count: 2 }], traps: [{ module: 'twap-monitor', kind: 'throw', count: 1 }], restarts: [], poisoned: [] },
      evidence: { notMeasured: ['shepherd_module_poisoned absent'], hostFailures: [], endedEngines: [] },
    }
    const md = renderMultichainReport({ ...run, errors }, metadata)
    expect(md).toContain('| ethflow-watcher | error handled by the module: orderbook | 2 |')
    expect(md).toContain('| twap-monitor | trap (throw) | 1 |')
    expect(md).toContain('- **Not measured**: shepherd_module_poisoned absent')
  })

  test('behavior: a failing bar makes the report FAIL', () => {
    const failed = { ...run, verdict: judgeMultichain({ ...evidence, steady: { ...evidence.steady, duplicates: 1 } }) }
    expect(renderMultichainReport(failed, metadata)).toMatch(/^# multichain \(ci\): FAIL/)
  })

  test('behavior: the SVG has one lag panel per chain, with the outage shaded', () => {
    const svg = renderMultichainSvg(run)
    expect(svg).toMatch(/^<svg /)
    expect(svg).toContain('chain 11155111 (steady): head - cursor, by second')
    expect(svg).toContain('chain 100 (faulted): head - cursor, by second')
    expect(svg.match(/fill="#fbe3e3"\/>/g)?.length).toBeGreaterThanOrEqual(2)
    expect(svg.match(/<polyline /g)?.length).toBe(2)
  })
})
