/**
 * @packageDocumentation
 * `shepherd/harness`: the test harness as a library. A local devnet with the real CoW contracts, the
 * orderbook stub, the load generator, the RPC fault proxy, declarative scenarios judged from ground
 * truth, record/replay backtests, and report rendering. Explicit names only: what is exported here
 * is the public API (see docs/semver.md).
 *
 * @example
 * import { defineScenario, runAndReport } from 'shepherd/harness'
 * const scenario = defineScenario({
 *   name: 'mine',
 *   description: 'Given a 1 s devnet, when my module runs, then every TWAP part arrives once.',
 *   devnet: { blockTime: 1 },
 *   engine: { mode: 'process', modules: [{ name: 'twap-monitor' }, { name: 'mine', path: './myModule.ts' }] },
 *   load: { senders: 1, twapPerBlock: 2, ethFlowPerBlock: 0, blocks: { full: 60, ci: 10 } },
 *   expectsNone: ['ethFlow'],
 * })
 * const { run } = await runAndReport(scenario)
 *
 * @module shepherd/harness
 */

// prool (the devnet) calls Promise.withResolvers, which Node 20 lacks: installed before anything runs.
import '../engine/polyfills.ts'

// Devnet: Anvil with the protocol at its Sepolia addresses.
export { startDevnet } from './devnet/startDevnet.ts'
export type { Devnet, StartDevnetParameters } from './devnet/startDevnet.ts'
export { createDevnetClient, devnetChain } from './devnet/createDevnetClient.ts'
export { assertBlockSeconds, setBlockSeconds } from './devnet/helpers/setBlockSeconds.ts'
export type { CreateDevnetClientParameters, DevnetClient } from './devnet/createDevnetClient.ts'
export { DevnetError } from './devnet/DevnetError.ts'
export type { DevnetErrorParameters } from './devnet/DevnetError.ts'

// Orderbook stub.
export { startOrderbookStub } from './orderbook/startOrderbookStub.ts'
export type { StartOrderbookStubParameters, StartedOrderbookStub } from './orderbook/startOrderbookStub.ts'
export type { ChainCheckStatus, OrderbookStub, StoredOrder } from './orderbook/orderbookStubTypes.ts'
export type { OrderChecks } from './orderbook/orderChecks.ts'
export { DEFAULT_ORDER_POLICY } from './orderbook/orderPolicy.ts'
export type { OrderPolicy } from './orderbook/orderPolicy.ts'
export { createChainReader } from './orderbook/createChainReader.ts'
export type { ChainReader, CreateChainReaderParameters, OrderChainFacts, OrderChainQuery } from './orderbook/createChainReader.ts'
export { DEFAULT_ORDER_VALIDITY } from './orderbook/chainChecks.ts'
export type { OrderValidity } from './orderbook/chainChecks.ts'
export type { AcceptThenLose, FailRate, FaultRule, InjectedResponse, LatencyKnob, OrderbookKnobs, RequestFacts, RequestMatcher } from './orderbook/knobs.ts'
export type { RecordEntry, RequestRecord } from './orderbook/createRequestRecord.ts'

// Load.
export { runLoad } from './load/runLoad.ts'
export type { LoadAddresses, LoadOptions, LoadTwapShape } from './load/loadOptions.ts'
export type { LoadAppDataDocument } from './load/loadAppData.ts'
export type { CreatedEthFlowOrder, CreatedTwap, LoadCounts, LoadResult, LoadSenderCounts, LoadTx, LoadTxKind, LoadTxStatus } from './load/loadTypes.ts'

// Faults between an engine and its node.
export { startFaultProxy } from './faults/startFaultProxy.ts'
export type { FaultProxy, StartFaultProxyParameters } from './faults/startFaultProxy.ts'
export type { FaultKnobs, MethodRates } from './faults/faultKnobs.ts'

// Scenarios.
export { blockSecondsOf, currentScale, defaultBars, defaultBlockSeconds, defaultPartBlocks, defineScenario, scaled, scenarioTwapShape } from './scenario/defineScenario.ts'
export { judgeValidityRefusals } from './scenario/judgeValidityRefusals.ts'
export type { JudgeValidityRefusalsParameters, JudgeValidityRefusalsReturnType } from './scenario/judgeValidityRefusals.ts'
export { compressedTimeValidity } from './scenario/compressedTimeValidity.ts'
export type {
  BarKey,
  ComparisonMetric,
  Scaled,
  ScenarioBars,
  ScenarioComparison,
  ScenarioDefinition,
  ScenarioModule,
} from './scenario/defineScenario.ts'
export { runScenario } from './scenario/runScenario.ts'
export type { RunScenarioOptions, ScenarioRun } from './scenario/runScenario.ts'
export { runAndReport } from './scenario/runAndReport.ts'
export type { BarResult, BarStatus } from './scenario/judge.ts'

// Record and replay.
export { recordRange } from './replay/record.ts'
export type { RecordRangeParameters, RecordRangeReturnType } from './replay/record.ts'
export { runBacktest } from './replay/replay.ts'
export type { OrderbookPolicy, RunBacktestParameters, RunBacktestReturnType } from './replay/replay.ts'
export { loadCassette } from './replay/loadCassette.ts'
export type { LoadedCassette } from './replay/loadCassette.ts'
export { DEFAULT_PASS_BAR } from './replay/judgeBacktest.ts'
export type { BacktestResult, PassBar } from './replay/judgeBacktest.ts'
export { renderBacktestJson, renderBacktestReport } from './replay/renderBacktestReport.ts'

// Reports.
export { toReportResult } from './scenario/toReportResult.ts'
export { renderReport } from './report/renderReport.ts'
export type { RenderReportOptions } from './report/renderReport.ts'
export { writeReport } from './report/writeReport.ts'
export type { ReportPaths, WriteReportOptions } from './report/writeReport.ts'
export { reportVerdict } from './report/types.ts'
export type { AcceptanceBar, ScenarioResult, Verdict } from './report/types.ts'
