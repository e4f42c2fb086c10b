import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnet, type Devnet } from '../../devnet/startDevnet.ts'
import { findFreePort } from '../../devnet/findFreePort.ts'
import { startFaultProxy } from '../../faults/startFaultProxy.ts'
import { runLoad } from '../../load/runLoad.ts'
import type { LoadResult } from '../../load/loadTypes.ts'
import { scenarioStubOptions } from '../scenarioStubOptions.ts'
import { describeOrderbookSetup } from '../describeOrderbookSetup.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../orderbook/startOrderbookStub.ts'
import { scaled, type ScenarioDefinition, type Scaled } from '../defineScenario.ts'
import { collectGroundTruth, type GroundTruth } from '../groundTruth.ts'
import { quantile } from '../prometheus.ts'
import { startBlockClock, type BlockClock } from '../startBlockClock.ts'
import { scrapeEngine, startScenarioEngine } from '../startScenarioEngine.ts'
import { waitForHealthy } from '../waitForHealthy.ts'
import { judgeMultichain, type ChainEvidence, type EngineHealthEvidence, type MultichainEvidence, type MultichainVerdict } from './judgeMultichain.ts'
import { countOf, readEngineFigures } from '../readEngineFigures.ts'
import { engineErrorsOf } from '../engineErrorsOf.ts'
import { readModuleErrorRows } from './readModuleErrorRows.ts'
import type { ErrorsSectionInput } from '../../report/renderSections.ts'
import type { LoadSection } from '../../report/types.ts'
import { compareLoadWithChain } from '../compareLoadWithChain.ts'
import { loadReportOf } from '../loadReportOf.ts'
import { errorMessage } from '../../../modules/sdk/errors/errorMessage.ts'

/** What a multi-chain scenario adds to a scenario definition: which chain faults, and for how long. */
export type MultichainPlan = {
  /** The chain that must not notice (default 11155111) and the one whose RPC goes down (default 100). */
  steadyChainId?: number
  faultedChainId?: number
  /** Blocks of the faulted chain its RPC stays down. */
  outageBlocks: Scaled
  /** Blocks of load on the faulted chain before the outage begins (the steady chain's baseline). */
  outageAfterBlocks: Scaled
}

export type RunMultichainOptions = { scale: 'full' | 'ci'; log?: (line: string) => void }

/** One chain's side of the run, for the report. */
export type ChainRun = {
  chainId: number
  role: 'steady' | 'faulted'
  /** Its orderbook stub and how strictly it validated (`describeOrderbookSetup`). */
  orderbook?: string
  blocks: { from: bigint; to: bigint; drainedTo: bigint }
  load: LoadResult
  /** The standard report's "Load sent against mined" figures of this chain (mined from its own logs). */
  loadReport: LoadSection
  truth: GroundTruth
  latencyMs: { p50: number | undefined; p99: number | undefined; max: number | undefined; count: number }
  /** The engine's cursor on this chain at the end, and its head then. */
  cursorAtEnd: number | undefined
  /** Head-minus-cursor samples through the run (the SVG plots them). */
  lag: ReadonlyArray<{ at: number; head: bigint; cursor: bigint | undefined }>
}

/** Everything one multi-chain run measured; the report is rendered from this alone. */
export type MultichainRun = {
  definition: ScenarioDefinition
  plan: Required<MultichainPlan>
  scale: 'full' | 'ci'
  startedAt: Date
  durationMs: number
  chains: [ChainRun, ChainRun]
  evidence: MultichainEvidence
  verdict: MultichainVerdict
  /** The engine's module errors, traps, restarts, host failures and poison over the run (both chains' instances), for the standard errors section. */
  errors: ErrorsSectionInput
  proxyCounters: Readonly<Record<string, number>>
  notes: string[]
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs the multi-chain isolation scenario end to end: two devnets (the steady and the faulted chain
 * id, the protocol at the same addresses on both), an orderbook stub for each, ONE engine following
 * both (the faulted chain through the fault proxy), the definition's TWAP and EthFlow load on both;
 * after the baseline blocks the faulted chain's RPC goes down for `outageBlocks` of its blocks, then
 * comes back. Both cursors are
 * sampled throughout; ground truth is collected per chain (its logs against its own stub); then
 * `judgeMultichain`. Tears everything down, always.
 *
 * @example
 * const run = await runMultichain(scenario, plan, { scale: 'ci' })
 * run.verdict.bars.filter((b) => !b.pass) // []
 */
export async function runMultichain(definition: ScenarioDefinition, plan: MultichainPlan, options: RunMultichainOptions): Promise<MultichainRun> {
  const { scale } = options
  const log = options.log ?? ((line: string) => console.info(`[${definition.name}] ${line}`))
  const full: Required<MultichainPlan> = { steadyChainId: 11155111, faultedChainId: 100, ...plan }
  const outageBlocks = scaled(full.outageBlocks, scale)
  const outageAfter = scaled(full.outageAfterBlocks, scale)
  const load = definition.load
  if (!load) throw new Error(`scenario ${definition.name}: a multi-chain run needs load (TWAPs on both chains)`)
  const loadBlocks = scaled(load.blocks, scale)
  if (outageAfter + outageBlocks >= loadBlocks) throw new Error(`scenario ${definition.name}: the outage (${outageAfter} + ${outageBlocks} blocks) must end before the load does (${loadBlocks} blocks)`)
  const blockTimeMs = definition.devnet.blockTime * 1000
  const startedAt = new Date()
  const teardown: Array<() => Promise<void>> = []
  const dir = mkdtempSync(join(tmpdir(), `shepherd-${definition.name}-`))
  teardown.push(async () => rmSync(dir, { recursive: true, force: true }))
  try {
    // provision: two chains, a stub each, the faulted chain behind the proxy, one engine
    const ids = [full.steadyChainId, full.faultedChainId] as const
    const devnets = await Promise.all(ids.map((chainId) => startDevnet({ chainId, blockTime: definition.devnet.blockTime, gasLimit: definition.devnet.gasLimit ?? 300_000_000n, log })))
    for (const devnet of devnets) teardown.push(devnet.stop)
    const stubs: StartedOrderbookStub[] = await Promise.all(devnets.map((devnet) => startOrderbookStub({ devnet, chainId: devnet.chainId, ...scenarioStubOptions(definition) })))
    for (const stub of stubs) teardown.push(stub.stop)
    const clocks: BlockClock[] = devnets.map((devnet) => startBlockClock(devnet.wsUrl))
    for (const clock of clocks) teardown.push(clock.stop)
    const [steadyNet, faultedNet] = devnets as [Devnet, Devnet]
    const [steadyClock, faultedClock] = clocks as [BlockClock, BlockClock]
    const proxy = await startFaultProxy({ target: faultedNet.rpcUrl, seed: 1 })
    teardown.push(proxy.stop)
    const engine = await startScenarioEngine({
      mode: definition.engine.mode ?? 'in-process',
      dir,
      rpcUrl: steadyNet.wsUrl,
      orderbookUrl: stubs[0]!.baseUrl,
      metricsPort: await findFreePort(),
      modules: definition.engine.modules,
      chains: [
        { chainId: full.steadyChainId, rpcUrl: steadyNet.wsUrl, orderbookUrl: stubs[0]!.baseUrl },
        { chainId: full.faultedChainId, rpcUrl: proxy.wsUrl, orderbookUrl: stubs[1]!.baseUrl },
      ],
    })
    teardown.push(engine.stop)
    log(`engine up on chains ${ids.join(' and ')} (chain ${full.faultedChainId} through the fault proxy), metrics ${engine.metricsUrl}`)

    const cursors = async (): Promise<Map<number, bigint>> => {
      const scrape = await scrapeEngine(engine.metricsUrl)
      return new Map(scrape.samples.filter((s) => s.name === 'shepherd_cursor_block').map((s) => [Number(s.labels.chain_id), BigInt(s.value)]))
    }
    /** Waits (bounded) until the engine's cursor on every chain is at least `to` of that chain. */
    const waitForCursors = async (to: readonly bigint[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const now = await cursors()
        if (ids.every((id, i) => (now.get(id) ?? -1n) >= to[i]!)) return true
        if (Date.now() > deadline) return false
        await sleep(100)
      }
    }

    await Promise.all(clocks.map((clock) => clock.waitFor((clock.head() ?? 0n) + 1n, 30_000)))
    await waitForHealthy({ metricsUrl: engine.metricsUrl, timeoutMs: 60_000, details: () => engine.logs().slice(-10) })
    if (!(await waitForCursors(clocks.map((c) => c.head()! - 1n), 60_000))) throw new Error(`the engine did not catch up with both heads within 60 s; its last lines: ${engine.logs().slice(-5).join(' | ')}`)
    await Promise.all(clocks.map((clock) => clock.waitFor(clock.head()! + BigInt(definition.warmupBlocks ?? 2), 60_000)))

    // Sample both chains' head and cursor every 200 ms for the whole run (the steady chain's lag is a bar).
    const lag = new Map<number, Array<{ at: number; head: bigint; cursor: bigint | undefined }>>(ids.map((id) => [id, []]))
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now()
        const heads = clocks.map((c) => c.head())
        try {
          const now = await cursors()
          ids.forEach((id, i) => heads[i] !== undefined && lag.get(id)!.push({ at, head: heads[i]!, cursor: now.get(id) }))
        } catch {
          ids.forEach((id, i) => heads[i] !== undefined && lag.get(id)!.push({ at, head: heads[i]!, cursor: undefined }))
        }
        await sleep(200)
      }
    })()
    teardown.push(async () => {
      sampling = false
      await sampler
    })

    const from = clocks.map((c) => c.head()! + 1n)
    log(`load: ${load.senders} x (${load.twapPerBlock} TWAP + ${load.ethFlowPerBlock} EthFlow) per block for ${loadBlocks} blocks on each chain; chain ${full.faultedChainId} RPC down for ${outageBlocks} of its blocks after ${outageAfter}`)
    const outage = { fromBlock: 0n, toBlock: -1n, plannedBlocks: outageBlocks, startedAt: 0, endedAt: 0, refused: 0 }
    const fault = async () => {
      await faultedClock.waitFor(from[1]! + BigInt(outageAfter), 120_000)
      // Bounded whatever happens here: the proxy serves again by itself after twice the planned span.
      proxy.setKnobs({ downForMs: Math.max(30_000, 2 * outageBlocks * blockTimeMs + 30_000) })
      outage.startedAt = Date.now()
      // Read from the node itself after the cut: every later block was mined while the engine could not see it.
      outage.fromBlock = (await faultedNet.client.getBlockNumber()) + 1n
      log(`chain ${full.faultedChainId} RPC down from block ${outage.fromBlock}`)
      await faultedClock.waitFor(outage.fromBlock + BigInt(outageBlocks) - 1n, (outageBlocks + 20) * blockTimeMs + 30_000)
      outage.toBlock = await faultedNet.client.getBlockNumber()
      outage.endedAt = Date.now()
      proxy.setKnobs({ downForMs: null })
      outage.refused = (proxy.record.counters.down_cut ?? 0) + (proxy.record.counters.down_refused ?? 0)
      log(`chain ${full.faultedChainId} RPC back after blocks ${outage.fromBlock}-${outage.toBlock} (${outage.refused} connections refused)`)
    }
    const [steadyLoad, faultedLoad] = await Promise.all([
      ...devnets.map((devnet) =>
        runLoad({ rpcUrl: devnet.rpcUrl, senders: load.senders, twapPerBlock: load.twapPerBlock, ethFlowPerBlock: load.ethFlowPerBlock, blocks: loadBlocks, seed: `${definition.name}-${devnet.chainId}-${startedAt.getTime()}`, twap: load.twap, log: () => {} }),
      ),
      fault(),
    ])
    const to = clocks.map((c) => c.head()!)
    const drain = BigInt(definition.drainBlocks ?? 10)
    await Promise.all(clocks.map((clock, i) => clock.waitFor(to[i]! + drain, Number(drain + 5n) * blockTimeMs + 30_000)))
    // The faulted chain backfills after its reconnect backoff: give it time, bounded.
    const caughtUp = await waitForCursors(to.map((t) => t + drain), 120_000)
    if (!caughtUp) log('the engine had not reached the end of the drain on every chain within 120 s; judging what it did')
    sampling = false
    await sampler
    const proxyCounters = { ...proxy.record.counters }
    const finalCursors = await cursors().catch(() => new Map<number, bigint>())
    // The engine's bad-news counters over the whole run (one in-process engine: its final scrape holds them all).
    const endScrape = await scrapeEngine(engine.metricsUrl).then((scrape) => ({ scrape }), (error: unknown) => ({ error: errorMessage(error) }))
    const figures = 'scrape' in endScrape ? readEngineFigures({ ended: [], current: endScrape.scrape }, { ended: [], current: endScrape.scrape }) : undefined
    const unread = { notMeasured: `the engine's /metrics could not be read at the end: ${'error' in endScrape ? endScrape.error : ''}` }
    const health: EngineHealthEvidence = figures
      ? { moduleErrors: 'scrape' in endScrape ? readModuleErrorRows({ ended: [], current: endScrape.scrape }) : unread, traps: countOf(figures.traps), poisoned: 'notMeasured' in figures.poisoned ? figures.poisoned : { value: figures.poisoned.value.length } }
      : { moduleErrors: unread, traps: unread, poisoned: unread }
    const engineErrors = figures ? engineErrorsOf(figures) : { errors: { moduleErrors: [], traps: [], restarts: [], poisoned: [] }, evidence: { notMeasured: [unread.notMeasured], hostFailures: [] } }
    const records = stubs.map((stub) => stub.record.entries.slice())
    const drainedTo = await Promise.all(devnets.map((devnet) => devnet.client.getBlockNumber()))

    const truths = await Promise.all(
      devnets.map((devnet, i) =>
        collectGroundTruth({ client: devnet.client as never, addresses: devnet.addresses, fromBlock: from[i]!, toBlock: to[i]!, drainedTo: drainedTo[i]!, record: records[i]!, blockSeenAt: clocks[i]!.seenAt, chainId: devnet.chainId }),
      ),
    )
    const evidenceOf = (i: number): ChainEvidence => {
      const twap = truths[i]!.twap
      return {
        chainId: ids[i]!,
        expected: twap.expected,
        delivered: twap.delivered,
        missing: twap.missing.map((m) => ({ uid: m.uid, tradeableBlock: m.tradeableBlock })),
        duplicates: twap.duplicates,
        deliveries: twap.deliveries.map((d) => ({ uid: d.uid, tradeableBlock: d.tradeableBlock, seenAt: d.seenAt, acceptedAt: d.acceptedAt, latencyMs: d.latencyMs })),
        unexplained: truths[i]!.orders.unexplained.length,
        ethFlow: { placed: truths[i]!.ethFlow.placed, observed: truths[i]!.ethFlow.observed },
      }
    }
    const evidence: MultichainEvidence = { blockTimeMs, steady: evidenceOf(0), faulted: evidenceOf(1), outage, lagSamples: lag.get(full.steadyChainId)!, engine: health }
    const verdict = judgeMultichain(evidence)
    const chainRun = (i: number, role: ChainRun['role'], loadResult: LoadResult): ChainRun => {
      const latencies = truths[i]!.twap.latenciesMs
      return {
        chainId: ids[i]!,
        role,
        orderbook: describeOrderbookSetup(stubs[i]!),
        blocks: { from: from[i]!, to: to[i]!, drainedTo: drainedTo[i]! },
        load: loadResult,
        loadReport: loadReportOf(loadResult, compareLoadWithChain(loadResult, truths[i]!.chainCounts)),
        truth: truths[i]!,
        latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.length ? Math.max(...latencies) : undefined, count: latencies.length },
        cursorAtEnd: finalCursors.has(ids[i]!) ? Number(finalCursors.get(ids[i]!)) : undefined,
        lag: lag.get(ids[i]!)!,
      }
    }
    const run: MultichainRun = {
      definition,
      plan: full,
      scale,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      chains: [chainRun(0, 'steady', steadyLoad as LoadResult), chainRun(1, 'faulted', faultedLoad as LoadResult)],
      evidence,
      verdict,
      errors: { errors: engineErrors.errors, evidence: { ...engineErrors.evidence, endedEngines: [] } },
      proxyCounters,
      notes: [
        `one engine, one instance of each module per chain (${definition.engine.modules.map((m) => m.name).join(', ')} on ${ids.join(' and ')}), chain ${full.faultedChainId} reached through the fault proxy, chain ${full.steadyChainId} directly`,
        `block-to-submission starts when the harness's head watcher of that chain saw the block that made a part tradeable, and ends when that chain's orderbook stub accepted the post`,
        `cursor lag = the head the harness's watcher had seen minus the engine's shepherd_cursor_block{chain_id}, sampled every 200 ms`,
        `fault proxy: ${Object.entries(proxyCounters).filter(([k]) => k.startsWith('down')).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing injected'}`,
      ],
    }
    log(`verdict: ${verdict.bars.every((b) => b.pass) ? 'PASS' : 'FAIL'}; ${verdict.bars.map((b) => `${b.name} ${b.pass ? 'ok' : 'FAIL'} (${b.measured})`).join('; ')}`)
    return run
  } finally {
    for (const step of teardown.reverse()) await step().catch((error: unknown) => log(`teardown step failed: ${String(error)}`))
  }
}
