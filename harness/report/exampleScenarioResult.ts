import type { RunCharts, ScenarioResult } from './types.ts'

/**
 * A fixed, realistic scenario result: the fixture of the report tests and a worked example of
 * what the scenario runner fills in. Every number is invented but consistent with the others: a
 * 0.5 s saturation run at CI scale (blocks 101-110 carry the load, 111-114 are the drain) that
 * fails on two missing parts, one duplicate post, one unexplained order and its latency bar, with
 * one figure not measured and the load generator disagreeing with the chain.
 *
 * @example
 * import { renderReport } from './renderReport.ts'
 * console.log(renderReport(exampleScenarioResult()))
 */
export function exampleScenarioResult(): ScenarioResult {
  const series = Array.from({ length: 12 }, (_, i) => ({
    block: 101 + i,
    timeSeconds: i * 0.5,
    dispatchMs: i === 5 ? null : [4.1, 6.2, 5.8, 9.4, 12.5, 0, 7.7, 8.1, 30.2, 6.6, 5.2, 4.9][i]!,
    loadTxs: i < 10 ? 100 : 0,
  }))
  return {
    metadata: {
      scenario: 'saturation',
      label: 'ci',
      date: '2026-11-23T20:00:00.000Z',
      gitCommit: '0123456-dirty',
      git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: true, changed: ['package-lock.json'] },
      versions: { node: '20.20.2', viem: '2.57.20', anvil: '1.7.1', shepherd: '0.1.0' },
      machine: { cores: 2, memoryGiB: 7.8, cpuModel: 'Example CPU @ 2.4GHz' },
      parameters: { blockTimeSeconds: 0.5, senders: 10, twapPerBlock: 5, ethFlowPerBlock: 5, durationBlocks: 10, modules: ['twap-monitor', 'ethflow-watcher'] },
      durationSeconds: 21.4,
    },
    load: {
      twap: { sent: 500, accepted: 500, rejected: 0, mined: 500, reverted: 0, unconfirmed: 0 },
      ethFlow: { sent: 500, accepted: 498, rejected: 2, mined: 495, reverted: 1, unconfirmed: 2 },
      senders: [
        { address: '0x00000000000000000000000000000000000000a1', accepted: 100, mined: 100, reverted: 0, rejected: 0, unconfirmed: 0 },
        { address: '0x00000000000000000000000000000000000000a2', accepted: 98, mined: 95, reverted: 1, rejected: 2, unconfirmed: 2 },
      ],
      rejectionsByMessage: { 'nonce too low': 2 },
    },
    latency: [
      { module: 'twap-monitor', dispatch: { p50: 6.2, p95: 12.5, p99: 30.2, max: 30.2, count: 11 }, blockToSubmission: { p50: 420, p95: 910, p99: 1_480, max: 1_512, count: 998 } },
      { module: 'ethflow-watcher', dispatch: { p50: 0.8, p95: 2.1, p99: 3.3, max: 4, count: 11 }, noSubmissionsBecause: 'posts nothing by design: it checks that each EthFlow order reached the orderbook' },
    ],
    delivery: {
      twap: {
        expectedParts: 1_000,
        submittedOnce: 997,
        duplicates: [{ uid: `0x${'ab'.repeat(56)}`, count: 2 }],
        missing: [`0x${'cd'.repeat(56)}`, `0x${'ef'.repeat(56)}`],
        unexpected: [`0x${'99'.repeat(56)}`],
      },
      ethFlow: { placed: 495, observed: 495, missing: [] },
    },
    errors: {
      moduleErrors: [{ module: 'twap-monitor', kind: 'cow_api_retry', count: 3 }],
      traps: [],
      restarts: [],
      poisoned: [],
    },
    rpc: [
      { method: 'eth_call (multicall)', total: 120, perBlock: 10 },
      { method: 'eth_getLogs', total: 12, perBlock: 1 },
      { method: 'eth_getBlockByNumber', total: 13, perBlock: 1.08 },
    ],
    series,
    anomalies: [
      "EthFlow placements: the load generator counted 492 mined (from its receipts), the chain shows 495 (logs of the load's senders); the report uses the chain's figure",
      `1 accepted orders nothing explains (not an expected part, a drain part, an EthFlow order or a declared order): 0x${'99'.repeat(56)}`,
    ],
    notes: ['accepted orders: 1520 = 998 expected TWAP part + 26 TWAP part tradeable during the drain + 495 EthFlow order + 1 unexplained; drain parts are computed by the TWAP reference model over the drain blocks'],
    acceptance: [
      { bar: 'TWAP delivery', target: '>= 100% of expected part UIDs reach the orderbook', measured: '99.80% (998/1000)', pass: false, status: 'fail' },
      { bar: 'EthFlow observed', target: '>= 100% of placements verified at the orderbook', measured: '100.00% (495/495)', pass: true, status: 'pass' },
      { bar: 'EthFlow never posted', target: '0 EthFlow orders posted by the watcher', measured: '0', pass: true, status: 'pass' },
      { bar: 'Duplicates', target: '<= 0 posts of an already accepted UID', measured: '1', pass: false, status: 'fail' },
      { bar: 'Unexplained orders', target: '<= 0 accepted orders that are not an expected part, a part tradeable during the drain, an EthFlow order or an order the scenario declares', measured: '1', pass: false, status: 'fail' },
      { bar: 'Module errors', target: '<= 0', measured: '3', pass: false, status: 'fail' },
      { bar: 'Traps', target: '<= 0', measured: 'not measured: shepherd_module_traps_total absent from /metrics of engine pid 4242', pass: false, status: 'not measured' },
      { bar: 'Poisoned modules', target: '<= 0', measured: '0', pass: true, status: 'pass' },
      { bar: 'p99 block-to-submission', target: '< 500 ms (1 block time)', measured: '1480 ms', pass: false, status: 'fail' },
    ],
    comparison: {
      reference: 'the Rust original, from its published load reports',
      rows: [
        { metric: 'delivery', reference: '38-43% of events', measured: '99.8% of events' },
        { metric: 'worst-case dispatch', reference: '101 s', measured: '30.2 ms' },
      ],
      notes: ['The reference numbers come from the original load-test report; the machines differ.'],
    },
    evidence: {
      notMeasured: ['shepherd_module_traps_total absent from /metrics of engine pid 4242'],
      hostFailures: [{ module: 'twap-monitor', capability: 'cow_api', count: 3 }],
      orders: { accepted: 1_520, byExplanation: { 'expected TWAP part': 998, 'TWAP part tradeable during the drain': 26, 'EthFlow order': 495, unexplained: 1 }, unexplained: [`0x${'99'.repeat(56)}`], drainParts: 26 },
      blockClock: 'a head watcher in its own worker thread, subscribed to newHeads over WebSocket, stamping each block when its notification arrives',
      submissionMinMs: 35,
      endedEngines: [],
    },
    charts: exampleCharts(),
  }
}

/** Per-block series consistent with the example's totals (1000 parts due in blocks 101-110, 998 delivered). */
function exampleCharts(): RunCharts {
  const blocks = Array.from({ length: 10 }, (_, i) => 101 + i)
  const p99 = [380, 420, 510, 640, 1_480, 900, 610, 450, 430, 400]
  return {
    window: { from: 101, to: 110, drainedTo: 114 },
    submission: {
      modules: [
        { module: 'twap-monitor', perBlock: blocks.map((block, i) => ({ block, p50: Math.round(p99[i]! * 0.45), p99: p99[i]!, max: p99[i]! + 20, count: 100 })) },
        { module: 'ethflow-watcher', noneBecause: 'posts nothing by design: it checks that each EthFlow order reached the orderbook' },
      ],
      limitMs: 500,
      source: "head watcher's stamp of the block that made a part due, to the orderbook's receipt of its accepted post",
    },
    delivery: {
      perBlock: [...blocks.map((block, i) => ({ block, expected: 100, delivered: i === 0 ? 60 : i === 4 ? 70 : 100 })), { block: 111, expected: 0, delivered: 68 }],
      leftOut: 0,
      source: "expected: the chain (TWAP reference model); delivered: the orderbook's record, at the head block when accepted",
    },
    load: {
      perBlock: blocks.map((block, i) => ({ block, sent: 100, mined: i === 3 ? 97 : 100 })),
      source: 'sent: the load generator; mined: transactions in the block (the chain, all senders)',
    },
  }
}
