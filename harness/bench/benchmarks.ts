/**
 * Every benchmark of `npm run bench`, by name, in the order a full run takes them, with the file
 * that default-exports its `defineBenchmark({...})`. Files are loaded only when selected (a bench
 * file may start a devnet's worth of imports), by path, so the runner has no static import of
 * bench code (runtime code never imports test code: .dependency-cruiser.mjs). A new `*.bench.ts`
 * must be listed here (benchRunner.test.ts checks that every one on disk is).
 *
 * @example
 * const { file } = benchmarkFiles.find((b) => b.name === 'ratio')!
 */
export const benchmarkFiles: ReadonlyArray<{ name: string; file: string }> = [
  { name: 'ratio', file: 'harness/bench/ratio.bench.ts' },
  { name: 'uid', file: 'harness/bench/uid.bench.ts' },
  { name: 'poll-outcome', file: 'modules/sdk/codecs/pollOutcome.bench.ts' },
  { name: 'schedule', file: 'modules/twap-monitor/schedule.bench.ts' },
  { name: 'prune', file: 'modules/twap-monitor/prune.bench.ts' },
  { name: 'worker', file: 'engine/runner/worker.bench.ts' },
  { name: 'worker-startup', file: 'engine/bundle/workerStartup.bench.ts' },
  { name: 'engine-start', file: 'engine/bundle/engineStart.bench.ts' },
  { name: 'block-cost', file: 'engine/store/blockCost.bench.ts' },
  { name: 'orderbook-transport', file: 'engine/host/orderbookTransport.bench.ts' },
  { name: 'stub-server', file: 'harness/orderbook/serveOrderbookStub.bench.ts' },
  { name: 'chain-checks', file: 'harness/orderbook/chainChecks.bench.ts' },
  { name: 'load-tx', file: 'harness/load/buildLoadTx.bench.ts' },
  { name: 'load-owners', file: 'harness/load/prepareLoadOwners.bench.ts' },
  { name: 'devnet', file: 'harness/devnet/startDevnet.bench.ts' },
  { name: 'replay', file: 'harness/replay/replay.bench.ts' },
]
