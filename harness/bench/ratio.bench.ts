// The headline of `npm run bench`: Shepherd's CPU per poll against the floor (issue 18, "The ratio
// against the floor"). Run alone: `npm run bench -- ratio` (BENCH_WATCHES=N to change the watch count).
//
// One devnet, N real TWAPs (ComposableCoW.create transactions, one block, t0 a day ahead so every
// poll answers PollTryAtEpoch: the steady case, where a watch is polled and rescheduled). Both sides
// poll the same N watches at the same block through the same viem client, N per iteration:
//   shepherd  twap-monitor's pollDueWatches over the engine's host (createChainHost over the client,
//             the real lmdb store, metrics on): due scan, multicall, decode, reschedule.
//   floor     a bare loop: encode each getTradeableOrderWithSignature call, aggregate3 batches of the
//             same size sent concurrently, decode aggregate3 and each inner result. Nothing else.
// Figures are CPU of this process (user + system, every thread: lmdb's writer included) per poll.
// Between Shepherd's iterations every watch is made due again (not timed), as a new block would.
// BENCH_RATIO_ONLY=shepherd|floor runs one side alone (to profile it with node --cpu-prof).
import '../../engine/polyfills.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { decodeErrorResult, decodeFunctionResult, encodeFunctionData, multicall3Abi, type Address, type Hex } from 'viem'
import { createRpcChainSource } from '../../engine/chain/createRpcChainSource.ts'
import { createChainHost } from '../../engine/host/createChainHost.ts'
import { createCowApiHost } from '../../engine/host/createCowApiHost.ts'
import { createHost } from '../../engine/host/createHost.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { createMetrics } from '../../engine/metrics/createMetrics.ts'
import { createStore } from '../../engine/store/createStore.ts'
import { getTradeableOrderWithSignatureFunction, pollErrorsAbi } from '../../modules/sdk/abi/composableCow.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import { twapMonitorConfig } from '../../modules/twap-monitor/config.ts'
import twapMonitor from '../../modules/twap-monitor/index.ts'
import { pollDueWatches } from '../../modules/twap-monitor/pollDueWatches.ts'
import { rescheduleWatch, type TwapWatch } from '../../modules/twap-monitor/watchStore.ts'
import { createTwapBurst } from '../../scenarios/burst/createTwapBurst.ts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { benchOptions } from './benchOptions.ts'
import { cpuTimed } from './cpuTimed.ts'
import { defineBenchmark, type BenchRow } from './defineBenchmark.ts'
import { rowsOf } from './rowsOf.ts'

/** topic0 of ConditionalOrderCreated. */
const createdTopic = '0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361'
/** The engine's default `multicall_batch_size`. */
const BATCH = 500
/** Shepherd within this factor of the floor (issue 18). */
const TARGET = 1.2

export default defineBenchmark({
  name: 'ratio',
  summary: "Shepherd's CPU per poll (pollDueWatches over the engine host) against a bare aggregate3 loop, same watches, devnet and client",
  async run({ quick, log }) {
    const watches = Number(process.env.BENCH_WATCHES ?? (quick ? 500 : 2000))
    // One side alone, to profile it (`node --cpu-prof`): no ratio then.
    const only = process.env.BENCH_RATIO_ONLY
    if (only !== undefined && only !== 'shepherd' && only !== 'floor')
      throw new ShepherdError('BENCH_RATIO_ONLY must be "shepherd" or "floor"', { details: [`found: ${only}`] })
    const transports = quick ? (['ws'] as const) : (['ws', 'http'] as const)
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-ratio-'))
    const net = await startDevnet({ gasLimit: BigInt(watches) * 100_000n + 30_000_000n, log: () => {} })
    const store = createStore({ stateDir: join(dir, 'state') })
    try {
      const head = await net.client.getBlock()
      const created = performance.now()
      const burst = await createTwapBurst({ rpcUrl: net.rpcUrl, count: watches, t0: head.timestamp + 86_400n, seed: 'ratio' })
      log(`${watches} TWAPs created in block ${burst.block} (${Math.round(performance.now() - created)} ms)`)
      const mined = await net.client.getBlock({ blockNumber: burst.block })
      const block: BlockRef = { chainId: net.chainId, number: mined.number, hash: mined.hash, parentHash: mined.parentHash, timestamp: mined.timestamp }
      const composableCow = net.addresses.composableCow as Address
      const multicall3 = net.addresses.multicall3 as Address
      const config = twapMonitorConfig.parse({ chainId: net.chainId, composableCow, maxPollsPerBlock: Math.max(5000, watches) })
      const rows: BenchRow[] = []
      const ratios: Record<string, number> = {}
      for (const transport of transports) {
        const metrics = createMetrics()
        const source = createRpcChainSource({ chainId: net.chainId, rpcUrl: transport === 'ws' ? net.wsUrl : net.rpcUrl, metrics })
        const cowApi = createCowApiHost({ baseUrls: new Map(), metrics })
        const storeName = `twap-monitor-${transport}`
        const host = createHost({
          module: 'twap-monitor',
          chain: createChainHost(new Map([[net.chainId, { client: source.client, multicallAddress: multicall3, multicallBatchSize: BATCH, requestLimit: source.requestLimit }]])),
          cowApi,
          store: store.forModule(storeName),
          logger: createLogger({ level: 'info', write: () => {} }),
          metrics,
        })
        try {
          // The watches, made as the engine makes them: the module ingests the block's real logs.
          const logs = await source.getLogs({ fromBlock: block.number, toBlock: block.number, address: [composableCow], topic0: [createdTopic] })
          await twapMonitor.onLogs!({ host, config, block, logs: logs.map((raw) => ({ ...raw, chainId: net.chainId, subscription: 'composable-cow:ConditionalOrderCreated', decoded: null })) })
          const ids = (await host.store.list<TwapWatch>('watch:')).map(([, watch]) => watch.id)
          if (ids.length !== watches) throw new ShepherdError('The ratio benchmark did not get one watch per TWAP', { details: [`TWAPs: ${watches}`, `watches: ${ids.length}`] })
          const rearm = async () => {
            const current = await Promise.all(ids.map((id) => host.store.get<TwapWatch>(`watch:${id}`)))
            await Promise.all(current.map((watch) => rescheduleWatch(host.store, watch!, { kind: 'block', at: block.number })))
          }
          let polled = 0
          const shepherd = async () => {
            const pass = await pollDueWatches({ host, config, block })
            polled = pass.polled
          }
          const twaps = burst.twaps
          let answered = 0
          const floor = async () => {
            const callData = twaps.map(({ owner, params }) =>
              encodeFunctionData({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', args: [owner, params, '0x', []] }),
            )
            const batches: Hex[][] = []
            for (let i = 0; i < callData.length; i += BATCH) batches.push(callData.slice(i, i + BATCH))
            const decoded = await Promise.all(
              batches.map(async (batch) => {
                const data = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [batch.map((call) => ({ target: composableCow, allowFailure: true, callData: call }))] })
                const { data: answer } = await source.client.call({ to: multicall3, data, blockNumber: block.number })
                const results = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: answer! })
                return results.map((result) =>
                  result.success
                    ? decodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', data: result.returnData })
                    : decodeErrorResult({ abi: pollErrorsAbi, data: result.returnData }),
                )
              }),
            )
            answered = decoded.flat().length
          }
          const shepherdTask = `shepherd pollDueWatches (${transport})`
          const floorTask = `floor bare aggregate3 loop (${transport})`
          const bench = new Bench(benchOptions(quick, { timeMs: 2000, iterations: 16, warmupIterations: 3 }))
          if (only !== 'floor') bench.add(shepherdTask, cpuTimed(shepherd), { beforeEach: rearm })
          if (only !== 'shepherd') bench.add(floorTask, cpuTimed(floor))
          await bench.run()
          if (only !== undefined) {
            rows.push(...rowsOf(bench, { benchmark: 'ratio', unit: 'poll', clock: 'cpu', opsPerIteration: watches }))
            continue
          }
          if (polled !== watches) throw new ShepherdError('pollDueWatches did not poll every watch', { details: [`watches: ${watches}`, `polled: ${polled}`] })
          if (answered !== watches) throw new ShepherdError('The bare loop did not get one answer per watch', { details: [`watches: ${watches}`, `answers: ${answered}`] })
          const taskRows = rowsOf(bench, { benchmark: 'ratio', unit: 'poll', clock: 'cpu', opsPerIteration: watches, notes: { [shepherdTask]: { watches, batch: BATCH }, [floorTask]: { watches, batch: BATCH } } })
          rows.push(...taskRows)
          const [ours, bare] = taskRows
          ratios[transport] = ours!.meanMs / bare!.meanMs
          const median = (name: string) => bench.getTask(name)!.result
          const medians = [median(shepherdTask), median(floorTask)].map((r) => (r.state === 'completed' ? r.latency.p50 : NaN))
          ratios[`${transport}Median`] = medians[0]! / medians[1]!
          ratios[`${transport}ShepherdUsPerPoll`] = ours!.meanMs * 1000
          ratios[`${transport}FloorUsPerPoll`] = bare!.meanMs * 1000
        } finally {
          cowApi.close()
          await source.close()
        }
      }
      if (only !== undefined) return { rows }
      return { rows, headline: { watches, batch: BATCH, target: TARGET, answer: 'PollTryAtEpoch', ...ratios, withinTarget: (ratios.ws ?? Infinity) <= TARGET } }
    } finally {
      await store.close()
      await net.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  },
})
