import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnet } from '../devnet/startDevnet.ts'
import { findFreePort } from '../devnet/findFreePort.ts'
import { runLoad } from '../load/runLoad.ts'
import type { LoadResult } from '../load/loadTypes.ts'
import { scenarioStubOptions } from './scenarioStubOptions.ts'
import { describeOrderbookSetup } from './describeOrderbookSetup.ts'
import { startOrderbookStub } from '../orderbook/startOrderbookStub.ts'
import { startFaultProxy, type FaultProxy } from '../faults/startFaultProxy.ts'
import { collectGroundTruth, type GroundTruth } from './groundTruth.ts'
import { readOrderbookRecord } from './readOrderbookRecord.ts'
import { blockSecondsOf, currentScale, scaled, scenarioTwapShape, type ScenarioDefinition } from './defineScenario.ts'
import { judge, type BarResult, type Measures } from './judge.ts'
import type { ExplainedOrder } from './judgeDelivery.ts'
import { quantile, sumOf } from './prometheus.ts'
import { countOf, readEngineFigures, type EngineFigures } from './readEngineFigures.ts'
import type { RunMetrics } from './runMetrics.ts'
import { runAnomalies } from './runAnomalies.ts'
import { scenarioDevnetParameters } from './scenarioDevnetParameters.ts'
import { judgeValidityRefusals } from './judgeValidityRefusals.ts'
import { compareLoadWithChain, type LoadOnChain } from './compareLoadWithChain.ts'
import { startBlockClock, type BlockClock } from './startBlockClock.ts'
import { startMetricsSampler, type BlockSample } from './startMetricsSampler.ts'
import { scrapeEngine, startScenarioEngine, type ScenarioEngine } from './startScenarioEngine.ts'
import { waitForHealthy } from './waitForHealthy.ts'
import { startReaper } from '../sandbox/startReaper.ts'
import { startSubjectAsEngine, type SubjectEngine } from './subject/startSubjectAsEngine.ts'
import { describeSubject, isExternalSubject } from './subject/subjectTypes.ts'
import type { Devnet } from '../devnet/startDevnet.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { isOrderPost } from '../orderbook/isOrderPost.ts'
import type { StartedOrderbookStub } from '../orderbook/startOrderbookStub.ts'

export type RunScenarioOptions = {
  scale?: 'full' | 'ci'
  /** Progress lines; default console.info. */
  log?: (line: string) => void
  /** Runs during the load, with the live parts (fault injection, on-chain triggers). */
  during?: (context: ScenarioContext) => Promise<ExtraBars | void>
  /** Stops early; teardown still runs. */
  signal?: AbortSignal
  /**
   * An orderbook we do not run (a real or staging API, or any stand-in): the engine posts there and
   * ground truth asks it `GET /api/v1/orders/{uid}` for every expected UID. Default: the
   * `SHEPHERD_ORDERBOOK_URL` environment variable; unset runs the orderbook stub.
   */
  orderbookUrl?: string
}

/**
 * What a `during` hook adds to the judgement: bars it judged itself, notes, orders other modules
 * are expected to post (they explain accepted orders), and `judgeAtEnd`, run once the final
 * evidence is in (ground truth, the final metrics, the stub's record), for bars that need it and
 * for bounds derived from what the run injected (they replace the scenario's fixed bounds).
 */
export type ExtraBars = {
  bars?: BarResult[]
  notes?: string[]
  explainedOrders?: ExplainedOrder[]
  judgeAtEnd?: (final: FinalEvidence) => JudgedAtEnd | Promise<JudgedAtEnd>
}

/** What `judgeAtEnd` adds: its bars, notes, and bounds derived from what the run injected. */
export type JudgedAtEnd = { bars: BarResult[]; notes?: string[]; bounds?: Measures['bounds'] }

/** The run's evidence once the drain is over: what `judgeAtEnd` judges. */
export type FinalEvidence = {
  truth: GroundTruth
  figures: EngineFigures
  /** The run's metrics at the end (every engine process). */
  metrics: RunMetrics
  /** The stub's record at the end of the drain (what the delivery judge read). */
  record: readonly RecordEntry[]
  /** The fault proxy's counters read just before the final scrape. */
  proxyCounters: Readonly<Record<string, number>> | undefined
  /** Requests the proxy had forwarded and not seen answered at that moment (the engine counts a request once it ends). */
  proxyPending: number | undefined
  blockTimeMs: number
}

export type ScenarioContext = {
  /** The scenario being run (with the subject it runs against, after any command-line override). */
  definition: ScenarioDefinition
  /** The scale it runs at: what `scaled(...)` turns the definition's counts into. */
  scale: 'full' | 'ci'
  devnet: Devnet
  orderbook: StartedOrderbookStub
  engine: ScenarioEngine
  /** The fault proxy between the engine and the devnet, when the scenario declares `faults`. */
  proxy?: FaultProxy
  /**
   * The harness's head watcher (its own worker thread): the head now, when each block was first
   * seen and its timestamp, independent of the engine and of a busy harness event loop.
   */
  clock: BlockClock
  /** The run's own temporary folder (what `{runDir}` in a module's config stands for). */
  dir: string
  /** The run's metrics now: the live engine process plus the final figures of processes killed earlier. */
  scrape(): Promise<RunMetrics>
  log(line: string): void
}

/** Everything measured in one run; the report is rendered from this alone. */
export type ScenarioRun = {
  definition: ScenarioDefinition
  scale: 'full' | 'ci'
  startedAt: Date
  durationMs: number
  devnetStartMs: number
  blocks: { from: bigint; to: bigint; drainedTo: bigint }
  load: LoadResult | undefined
  /** The load as the chain shows it (logs of the load's senders), and where the generator disagrees. */
  loadOnChain: LoadOnChain | undefined
  truth: GroundTruth
  engine: EngineFigures
  /** Every engine process that ended during the run (killed by chaos), with whether its final figures were read. */
  endedEngines: Array<{ pid: number | undefined; startedAt: number; endedAt: number; exit: { code: number | null; signal: string | null }; finalFiguresRead: boolean }>
  /** Block-to-submission over the expected parts, raw (a negative value is kept: it is a clock problem to report). */
  submissionLatencyMs: { p50: number | undefined; p95: number | undefined; p99: number | undefined; max: number | undefined; min: number | undefined; count: number }
  /** Where each block's start time comes from (the report names it). */
  blockClock: string
  /** Which orderbook the run posted to and how strictly it validated (`describeOrderbookSetup`). */
  orderbookSetup?: string
  series: readonly BlockSample[]
  verdict: { pass: boolean; bars: BarResult[] }
  anomalies: string[]
  notes: string[]
}

/**
 * Runs a scenario end to end: provision a devnet, the orderbook stub and the engine; wait for
 * health; warm up; drive the load; drain; collect ground truth from the chain and the stub's
 * record; judge; tear everything down, always, even on failure.
 */
export async function runScenario(definition: ScenarioDefinition, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const scale = options.scale ?? currentScale()
  const log = options.log ?? ((line: string) => console.info(`[${definition.name}] ${line}`))
  const startedAt = new Date()
  const teardown: Array<() => Promise<void>> = []
  const blockTimeMs = definition.devnet.blockTime * 1000
  const externalOrderbook = options.orderbookUrl ?? (process.env.SHEPHERD_ORDERBOOK_URL || undefined)
  if (externalOrderbook !== undefined) {
    if (!/^https?:\/\//.test(externalOrderbook)) throw new Error(`scenario ${definition.name}: orderbook URL must be http(s)://..., got "${externalOrderbook}" (option orderbookUrl or SHEPHERD_ORDERBOOK_URL)`)
    // Knobs and hooks act on the stub; against an orderbook we do not run they would silently do nothing.
    if (definition.orderbook?.knobs || definition.orderbook?.checks || options.during)
      throw new Error(`scenario ${definition.name} drives the orderbook stub (knobs or a during-hook) and cannot run against the external orderbook ${externalOrderbook}; unset SHEPHERD_ORDERBOOK_URL for it`)
  }
  // Made once the input is known good: a refused run leaves nothing behind.
  const dir = mkdtempSync(join(tmpdir(), `shepherd-${definition.name}-`))
  teardown.push(async () => rmSync(dir, { recursive: true, force: true }))
  // If this process dies without its teardown (SIGKILL, a killed test worker), the reaper ends the
  // devnet and the engine or subject process and removes the run folder. Released last.
  const reaper = startReaper()
  reaper.track({ dir })
  teardown.unshift(async () => reaper.release())
  try {
    // provision
    // Chain time runs at blockSeconds per block (12 s by default) whatever the wall block time: the
    // load's orders are minutes long in chain time and the stub judges them with the real validity.
    const devnet = await startDevnet(scenarioDevnetParameters(definition, log))
    teardown.push(devnet.stop)
    reaper.track({ pid: devnet.pid })
    reaper.track({ dir: devnet.cachePath })
    // The stub reads the devnet itself (its direct URL), so faults injected between the engine and
    // the node do not fail the stub's chain checks; scenarios run strict unless they turn a check off.
    const orderbook = externalOrderbook ? undefined : await startOrderbookStub({ devnet, ...scenarioStubOptions(definition) })
    if (orderbook) teardown.push(orderbook.stop)
    const orderbookUrl = externalOrderbook ?? orderbook!.baseUrl
    const sampler: { current?: ReturnType<typeof startMetricsSampler> } = {}
    const clock = startBlockClock(devnet.wsUrl, { onBlock: (block) => sampler.current?.onBlock(block) })
    teardown.push(clock.stop)
    const proxy = definition.faults ? await startFaultProxy({ target: devnet.rpcUrl, seed: definition.faults.seed, knobs: definition.faults.rpc }) : undefined
    if (proxy) teardown.push(proxy.stop)
    const node = proxy ?? { wsUrl: devnet.wsUrl, url: devnet.rpcUrl }
    // The subject: an external command (judged from ground truth only) or our engine (the default).
    const external = isExternalSubject(definition.subject) ? definition.subject : undefined
    const subjectName = describeSubject(definition.subject, definition.engine.modules)
    const subject: SubjectEngine | undefined = external
      ? await startSubjectAsEngine({ subject: external, dir, chainId: devnet.chainId, rpcUrl: node.url, wsUrl: node.wsUrl, orderbookUrl, blockTimeSeconds: definition.devnet.blockTime, addresses: devnet.addresses, log })
      : undefined
    const engine: ScenarioEngine = subject ?? await startScenarioEngine({
      mode: definition.engine.mode ?? 'in-process',
      dir,
      rpcUrl: (definition.engine.transport ?? 'ws') === 'ws' ? node.wsUrl : node.url,
      orderbookUrl,
      metricsPort: await findFreePort(),
      modules: definition.engine.modules,
    })
    teardown.push(engine.stop)
    if (engine.pid !== undefined) reaper.track({ pid: engine.pid })
    if (engine.killAndRestart) {
      // A chaos restart gives the engine (or subject) a new PID: the reaper follows it.
      const killAndRestart = engine.killAndRestart.bind(engine)
      engine.killAndRestart = async (restart) => {
        const evidence = await killAndRestart(restart)
        reaper.untrack({ pid: evidence.old.pid })
        if (evidence.new.pid !== undefined) reaper.track({ pid: evidence.new.pid })
        return evidence
      }
    }
    // SHEPHERD_ENGINE_LOG=<file> keeps the engine's recent log lines after the run, for post-mortems.
    if (process.env.SHEPHERD_ENGINE_LOG) teardown.push(async () => writeFileSync(process.env.SHEPHERD_ENGINE_LOG!, `${engine.logs().join('\n')}\n`))
    log(`${external ? subjectName : `engine up (${definition.engine.mode ?? 'in-process'}), metrics ${engine.metricsUrl}`}, orderbook ${orderbookUrl}${orderbook ? '' : ' (external)'}`)

    // health-wait: the engine's own /healthz says healthy, and its cursor has reached the head we see
    // (an external subject was waited for by its own ready signal: it has no /healthz of ours)
    await clock.waitFor((clock.head() ?? 0n) + 1n, 30_000)
    if (!external) {
      const healthy = await waitForHealthy({ metricsUrl: engine.metricsUrl, timeoutMs: 30_000, details: () => engine.logs().slice(-10) })
      const healthDeadline = Date.now() + 30_000
      while (sumOf((await scrapeEngine(engine.metricsUrl)).samples, 'shepherd_cursor_block') < Number(clock.head()! - 1n)) {
        if (Date.now() > healthDeadline) throw new Error(`engine did not catch up with the devnet head (${clock.head()}) within 30 s; its /healthz said HTTP ${healthy.status} ${healthy.body.slice(0, 500)}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    // warm-up
    await clock.waitFor(clock.head()! + BigInt(definition.warmupBlocks ?? 2), 60_000)
    const before = await engine.metrics()
    sampler.current = external ? idleSampler() : startMetricsSampler(engine.metricsUrl)
    teardown.push(() => sampler.current!.stop())
    const fromBlock = clock.head()! + 1n
    const loadBlocks = definition.load ? scaled(definition.load.blocks, scale) : 0
    log(`load: ${definition.load ? `${definition.load.senders} x (${definition.load.twapPerBlock} + ${definition.load.ethFlowPerBlock}) per block for ${loadBlocks} blocks` : 'none'} from block ${fromBlock}`)

    const context: ScenarioContext | undefined = orderbook && { definition, scale, devnet, orderbook, engine, proxy, clock, dir, scrape: () => engine.metrics(), log }
    const progress = setInterval(() => {
      const last = sampler.current?.samples.at(-1)
      if (!last) return
      const p99 = Object.entries(last.p99Ms).map(([m, v]) => `${m} ${v === undefined ? '-' : v.toFixed(1)}ms`).join(', ')
      const submissions = orderbook ? orderbook.record.entries.filter((e) => isOrderPost(e) && e.status === 201).length : 'n/a (external orderbook)'
      log(`block ${last.block}: events ${last.logsDelivered}, submissions ${submissions}, p99 ${p99}`)
    }, 5 * blockTimeMs)
    teardown.push(async () => clearInterval(progress))

    const [load, extra] = await Promise.all([
      definition.load
        ? runLoad({
            rpcUrl: devnet.rpcUrl,
            senders: definition.load.senders,
            twapPerBlock: definition.load.twapPerBlock,
            ethFlowPerBlock: definition.load.ethFlowPerBlock,
            blocks: loadBlocks,
            seed: `${definition.name}-${startedAt.getTime()}`,
            twap: scenarioTwapShape(definition),
            ...(definition.load.appData === 'mix' ? { appData: { orderbookUrl } } : {}),
            signal: options.signal,
          })
        : Promise.resolve(undefined),
      context && options.during?.(context),
    ])
    const toBlock = clock.head()!
    // No WebSocket drop during the drain: one in its last moments would still be waiting for its
    // reconnect at the final scrape, and read as a drop the engine never noticed (seen once in CI:
    // 7 drops, 6 reconnects at the scrape). Every drop injected has the drain to show in the metrics.
    proxy?.setKnobs({ dropWsEveryMs: null })
    // drain: let the engine finish what the load made due, then stop sampling
    const drainBlocks = BigInt(definition.drainBlocks ?? 5)
    await clock.waitFor(toBlock + drainBlocks, Number(drainBlocks + 5n) * blockTimeMs + 30_000)
    const drainDeadline = Date.now() + 30_000
    while (!external && sumOf((await scrapeEngine(engine.metricsUrl)).samples, 'shepherd_cursor_block') < Number(toBlock + drainBlocks)) {
      if (Date.now() > drainDeadline) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await sampler.current.stop()
    // The end of the evidence: the proxy's counts, the final scrape, then the stub's record and the
    // head at that moment. Parts the model finds tradeable up to that head explain every post in it.
    const proxyCounters = proxy ? { ...proxy.record.counters } : undefined
    const proxyPending = proxy?.pending()
    const after = await engine.metrics()
    const record = orderbook ? orderbook.record.entries.slice() : []
    const drainedTo = await devnet.client.getBlockNumber()
    clearInterval(progress)
    const subjectExit = subject?.exitedEarly()

    // collect ground truth from the chain and the stub's record (or the external orderbook's answers)
    const truth = await collectGroundTruth({
      client: devnet.client as never,
      addresses: devnet.addresses,
      fromBlock,
      toBlock,
      drainedTo,
      record: orderbook ? record : async (uids) => readOrderbookRecord({ url: orderbookUrl, twapUids: uids.twap, ethFlowUids: uids.ethFlow }),
      blockSeenAt: clock.seenAt,
      explained: extra?.explainedOrders,
    })
    const figures = readEngineFigures(before, after)
    const atEnd = await extra?.judgeAtEnd?.({ truth, figures, metrics: after, record, proxyCounters, proxyPending, blockTimeMs })
    // Strictness, from the stub's record: no order refused for its validTo by a stub with the real window.
    const validity = orderbook ? judgeValidityRefusals({ record, validity: orderbook.validity }) : undefined
    const lat = truth.twap.latenciesMs
    const submissionLatencyMs = {
      p50: quantile(lat, 0.5),
      p95: quantile(lat, 0.95),
      p99: quantile(lat, 0.99),
      max: lat.length ? Math.max(...lat) : undefined,
      min: lat.length ? Math.min(...lat) : undefined,
      count: lat.length,
    }

    const verdict = judge(
      {
        twap: { ...truth.twap, notMeasured: truth.twap.lookupFailed.length },
        ethFlow: truth.ethFlow,
        unexplainedOrders: truth.orders.unexplained.length,
        moduleErrors: countOf(figures.moduleErrors),
        moduleErrorsByKind: figures.moduleErrors,
        traps: countOf(figures.traps),
        poisoned: 'notMeasured' in figures.poisoned ? figures.poisoned : { value: figures.poisoned.value.length },
        p99LatencyMs: submissionLatencyMs.p99,
        blockTimeMs,
        appData: truth.appData,
        ethFlowAppData: truth.ethFlowAppData,
        extra: [...(validity ? [validity.bar] : []), ...(extra?.bars ?? []), ...(atEnd?.bars ?? [])],
        bounds: atEnd?.bounds,
        externalOrderbook: orderbook === undefined,
        externalSubject: external ? subjectName : undefined,
      },
      definition,
    )
    const loadOnChain = load ? compareLoadWithChain(load, truth.chainCounts) : undefined
    const anomalies = runAnomalies({ load, loadOnChain, truth, clock, samplerFailures: sampler.current.failures(), endedEngines: engine.ended() })
    if (subjectExit) anomalies.push(`the subject exited during the run (code ${subjectExit.code}, signal ${subjectExit.signal}); its last lines: ${engine.logs().slice(-5).join(' | ')}`)

    const run: ScenarioRun = {
      definition,
      scale,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      devnetStartMs: devnet.startedInMs,
      blocks: { from: fromBlock, to: toBlock, drainedTo },
      load,
      loadOnChain,
      truth,
      engine: figures,
      endedEngines: engine.ended().map((e) => ({ pid: e.pid, startedAt: e.startedAt, endedAt: e.endedAt, exit: e.exit, finalFiguresRead: e.final !== undefined })),
      submissionLatencyMs,
      blockClock: clock.source,
      orderbookSetup: describeOrderbookSetup(orderbook ?? orderbookUrl),
      series: sampler.current.samples,
      verdict,
      anomalies,
      notes: [
        ...(extra?.notes ?? []),
        ...(atEnd?.notes ?? []),
        `chain time: ${blockSecondsOf(definition)} s per block, blocks mined every ${definition.devnet.blockTime} s`,
        `block-to-submission starts when ${clock.source}, and ends when the orderbook received the accepted post; dispatch latency is windowed to the load (histogram bucket deltas between the scrapes before and after it)`,
        accountingNote(truth),
        ...(validity ? [`order posts refused by the stub, by errorType: ${Object.entries(validity.refusalsByErrorType).map(([type, n]) => `${n} ${type}`).join(', ') || 'none'}`] : []),
        ...(external ? [`subject: ${subjectName}; it serves no Shepherd metrics, so module errors, traps, poisoned modules and dispatch latency are not measured for this subject; every other bar is judged from ground truth (the chain and what the orderbook received)`] : []),
        ...(orderbook ? [] : [`orderbook: external (${orderbookUrl}); delivery and latency come from GET /api/v1/orders/{uid} and each order's creationDate; duplicate posts, unexplained orders and the watcher's EthFlow lookups cannot be seen from outside, so those bars are not applicable`]),
        ...(proxy ? [`fault proxy injected: ${Object.entries(proxy.record.counters).filter(([k]) => !k.includes(':') || k.startsWith('fail:')).map(([k, v]) => `${k} ${v}`).join(', ')}`] : []),
      ],
    }
    log(`verdict: ${verdict.pass ? 'PASS' : 'FAIL'}; ${verdict.bars.map((b) => `${b.name} ${b.pass ? (b.status === 'not applicable' ? 'n/a' : 'ok') : b.status === 'not measured' ? 'NOT MEASURED' : 'FAIL'} (${b.measured})`).join('; ')}`)
    return run
  } finally {
    for (const step of teardown.reverse()) await step().catch((error: unknown) => log(`teardown step failed: ${String(error)}`))
  }
}

/** The sampler for a subject without metrics: it records nothing and never fails. */
function idleSampler(): ReturnType<typeof startMetricsSampler> {
  return { samples: [], failures: () => 0, onBlock: () => {}, stop: async () => {} }
}

/** One line that accounts for every accepted order: what explains each, and how many nothing explains. */
function accountingNote(truth: GroundTruth): string {
  const parts = Object.entries(truth.orders.byExplanation).map(([why, n]) => `${n} ${why}`)
  const declared = truth.orders.declaredReasons.length ? ` (declared: ${truth.orders.declaredReasons.join('; ')})` : ''
  return `accepted orders: ${truth.orders.accepted} = ${parts.length ? parts.join(' + ') : '0'}${declared}; drain parts are computed by the TWAP reference model over the drain blocks`
}
