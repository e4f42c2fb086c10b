import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevnet } from '../devnet/startDevnet.ts'
import { findFreePort } from '../devnet/findFreePort.ts'
import { runLoad } from '../load/runLoad.ts'
import type { LoadResult } from '../load/loadTypes.ts'
import { startOrderbookStub } from '../orderbook/startOrderbookStub.ts'
import { startFaultProxy, type FaultProxy } from '../faults/startFaultProxy.ts'
import { collectGroundTruth, type GroundTruth } from './groundTruth.ts'
import { readOrderbookRecord } from './readOrderbookRecord.ts'
import { currentScale, scaled, type ScenarioDefinition } from './defineScenario.ts'
import { judge, type BarResult } from './judge.ts'
import { histogramOf, histogramQuantile, labelValues, quantile, sumOf, type Sample } from './prometheus.ts'
import { startBlockClock } from './startBlockClock.ts'
import { scrape, startMetricsSampler, type BlockSample } from './startMetricsSampler.ts'
import { startScenarioEngine, type ScenarioEngine } from './startScenarioEngine.ts'
import type { Devnet } from '../devnet/startDevnet.ts'
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

export type ExtraBars = { bars: BarResult[]; notes?: string[] }

export type ScenarioContext = {
  devnet: Devnet
  orderbook: StartedOrderbookStub
  engine: ScenarioEngine
  /** The fault proxy between the engine and the devnet, when the scenario declares `faults`. */
  proxy?: FaultProxy
  /** The engine's metrics now, plus the counters of engine processes killed earlier in the run. */
  scrape(): Promise<Sample[]>
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
  truth: GroundTruth
  engine: {
    /** Per module: handling time quantiles (ms) from the histogram over the load window, and max. */
    latency: Array<{ module: string; events: number; p50: number | undefined; p95: number | undefined; p99: number | undefined; max: number | undefined }>
    moduleErrors: Record<string, number>
    restarts: number
    poisoned: number
    alerts: Record<string, number>
    requestsByMethod: Record<string, number>
    reconnects: number
    reorgs: number
    ingestErrors: number
  }
  submissionLatencyMs: { p50: number | undefined; p95: number | undefined; p99: number | undefined; max: number | undefined; count: number }
  series: readonly BlockSample[]
  verdict: { pass: boolean; bars: BarResult[] }
  anomalies: string[]
  notes: string[]
}

const delta = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) => sumOf(after, name, labels) - sumOf(before, name, labels)

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
  const dir = mkdtempSync(join(tmpdir(), `shepherd-${definition.name}-`))
  teardown.push(async () => rmSync(dir, { recursive: true, force: true }))
  const blockTimeMs = definition.devnet.blockTime * 1000
  const externalOrderbook = options.orderbookUrl ?? (process.env.SHEPHERD_ORDERBOOK_URL || undefined)
  if (externalOrderbook !== undefined) {
    if (!/^https?:\/\//.test(externalOrderbook)) throw new Error(`scenario ${definition.name}: orderbook URL must be http(s)://..., got "${externalOrderbook}" (option orderbookUrl or SHEPHERD_ORDERBOOK_URL)`)
    // Knobs and hooks act on the stub; against an orderbook we do not run they would silently do nothing.
    if (definition.orderbook?.knobs || options.during)
      throw new Error(`scenario ${definition.name} drives the orderbook stub (knobs or a during-hook) and cannot run against the external orderbook ${externalOrderbook}; unset SHEPHERD_ORDERBOOK_URL for it`)
  }
  try {
    // provision
    const devnet = await startDevnet({ blockTime: definition.devnet.blockTime, fork: definition.devnet.fork, gasLimit: definition.devnet.gasLimit ?? 300_000_000n, log })
    teardown.push(devnet.stop)
    const orderbook = externalOrderbook ? undefined : await startOrderbookStub({ devnet, knobs: definition.orderbook?.knobs, ethFlow: { indexingDelayMs: definition.orderbook?.ethFlowIndexingDelayMs ?? 0 } })
    if (orderbook) teardown.push(orderbook.stop)
    const orderbookUrl = externalOrderbook ?? orderbook!.baseUrl
    const sampler: { current?: ReturnType<typeof startMetricsSampler> } = {}
    const clock = startBlockClock(devnet.rpcUrl, { onBlock: (block) => sampler.current?.onBlock(block) })
    teardown.push(clock.stop)
    const proxy = definition.faults ? await startFaultProxy({ target: devnet.rpcUrl, seed: definition.faults.seed, knobs: definition.faults.rpc }) : undefined
    if (proxy) teardown.push(proxy.stop)
    const node = proxy ?? { wsUrl: devnet.wsUrl, url: devnet.rpcUrl }
    const engine = await startScenarioEngine({
      mode: definition.engine.mode ?? 'in-process',
      dir,
      rpcUrl: (definition.engine.transport ?? 'ws') === 'ws' ? node.wsUrl : node.url,
      orderbookUrl,
      metricsPort: await findFreePort(),
      modules: definition.engine.modules,
    })
    teardown.push(engine.stop)
    // SHEPHERD_ENGINE_LOG=<file> keeps the engine's recent log lines after the run, for post-mortems.
    if (process.env.SHEPHERD_ENGINE_LOG) teardown.push(async () => writeFileSync(process.env.SHEPHERD_ENGINE_LOG!, `${engine.logs().join('\n')}\n`))
    log(`engine up (${definition.engine.mode ?? 'in-process'}), metrics ${engine.metricsUrl}, orderbook ${orderbookUrl}${orderbook ? '' : ' (external)'}`)

    // health-wait: the engine follows the head
    await clock.waitFor((clock.head() ?? 0n) + 1n, 30_000)
    const healthDeadline = Date.now() + 30_000
    while (sumOf(await scrape(engine.metricsUrl), 'shepherd_cursor_block') < Number(clock.head()! - 1n)) {
      if (Date.now() > healthDeadline) throw new Error('engine did not catch up with the devnet head within 30 s')
      await new Promise((r) => setTimeout(r, 100))
    }
    // warm-up
    await clock.waitFor(clock.head()! + BigInt(definition.warmupBlocks ?? 2), 60_000)
    // Counters of a killed engine process carry over (its restarts, reconnects, errors still count).
    const scrapeAll = async () => [...(await scrape(engine.metricsUrl)), ...engine.carried()]
    const before = await scrapeAll()
    sampler.current = startMetricsSampler(engine.metricsUrl)
    teardown.push(() => sampler.current!.stop())
    const fromBlock = clock.head()! + 1n
    const loadBlocks = definition.load ? scaled(definition.load.blocks, scale) : 0
    log(`load: ${definition.load ? `${definition.load.senders} x (${definition.load.twapPerBlock} + ${definition.load.ethFlowPerBlock}) per block for ${loadBlocks} blocks` : 'none'} from block ${fromBlock}`)

    const context: ScenarioContext | undefined = orderbook && { devnet, orderbook, engine, proxy, scrape: scrapeAll, log }
    const progress = setInterval(() => {
      const last = sampler.current?.samples.at(-1)
      if (!last) return
      const p99 = Object.entries(last.p99Ms).map(([m, v]) => `${m} ${v === undefined ? '-' : v.toFixed(1)}ms`).join(', ')
      const submissions = orderbook ? orderbook.record.entries.filter((e) => e.method === 'POST' && e.status === 201).length : 'n/a (external orderbook)'
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
            twap: definition.load.twap,
            signal: options.signal,
          })
        : Promise.resolve(undefined),
      context && options.during?.(context),
    ])
    const toBlock = clock.head()!
    // drain: let the engine finish what the load made due, then stop sampling
    const drainBlocks = BigInt(definition.drainBlocks ?? 5)
    await clock.waitFor(toBlock + drainBlocks, Number(drainBlocks + 5n) * blockTimeMs + 30_000)
    const drainDeadline = Date.now() + 30_000
    while (sumOf(await scrape(engine.metricsUrl), 'shepherd_cursor_block') < Number(toBlock + drainBlocks)) {
      if (Date.now() > drainDeadline) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await sampler.current.stop()
    const after = await scrapeAll()
    const drainedTo = clock.head()!
    clearInterval(progress)

    // collect ground truth from the chain and the stub's record (or the external orderbook's answers)
    const lookupFailures: Array<{ uid: string; reason: string }> = []
    const truth = await collectGroundTruth({
      client: devnet.client as never,
      addresses: devnet.addresses,
      fromBlock,
      toBlock,
      record: orderbook
        ? orderbook.record.entries
        : async (uids) => {
            const readout = await readOrderbookRecord({ url: orderbookUrl, twapUids: uids.twap, ethFlowUids: uids.ethFlow })
            lookupFailures.push(...readout.failures)
            return readout.entries
          },
      blockSeenAt: clock.seenAt,
    })

    const latency = labelValues(after, 'shepherd_event_latency_seconds_count', 'module').map((module) => {
      const window = histogramOf(after, 'shepherd_event_latency_seconds', { module })
      const ms = (q: number) => {
        const v = histogramQuantile(window, q)
        return v === undefined ? undefined : v * 1000
      }
      const max = sumOf(after, 'shepherd_event_latency_max_seconds', { module }) * 1000
      // Interpolating inside a histogram bucket can overshoot the largest value seen: cap at it.
      const capped = (q: number) => {
        const v = ms(q)
        return v === undefined || max <= 0 ? v : Math.min(v, max)
      }
      return { module, events: window.count, p50: capped(0.5), p95: capped(0.95), p99: capped(0.99), max }
    })
    const moduleErrors: Record<string, number> = {}
    for (const kind of labelValues(after, 'shepherd_module_errors_total', 'error_kind')) moduleErrors[kind] = delta(after, before, 'shepherd_module_errors_total', { error_kind: kind })
    const alerts: Record<string, number> = {}
    for (const module of labelValues(after, 'shepherd_module_alerts_total', 'module')) alerts[module] = sumOf(after, 'shepherd_module_alerts_total', { module })
    const requestsByMethod: Record<string, number> = {}
    for (const method of labelValues(after, 'shepherd_chain_request_total', 'method')) requestsByMethod[method] = delta(after, before, 'shepherd_chain_request_total', { method })
    const engineFigures = {
      latency,
      moduleErrors,
      restarts: delta(after, before, 'shepherd_module_restarts_total'),
      poisoned: sumOf(after, 'shepherd_module_poisoned'),
      alerts,
      requestsByMethod,
      reconnects: delta(after, before, 'shepherd_stream_reconnects_total'),
      reorgs: delta(after, before, 'shepherd_reorgs_total'),
      ingestErrors: delta(after, before, 'shepherd_ingest_errors_total'),
    }
    const lat = truth.twap.latenciesMs
    const submissionLatencyMs = { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), p99: quantile(lat, 0.99), max: lat.length ? Math.max(...lat) : undefined, count: lat.length }

    const verdict = judge(
      {
        twap: truth.twap,
        ethFlow: truth.ethFlow,
        moduleErrors: Object.values(moduleErrors).reduce((a, b) => a + b, 0),
        traps: engineFigures.restarts,
        poisoned: engineFigures.poisoned,
        p99LatencyMs: submissionLatencyMs.p99,
        blockTimeMs,
        extra: extra?.bars,
        externalOrderbook: orderbook === undefined,
      },
      definition.bars,
    )
    const anomalies: string[] = []
    if (load) {
      const lost = load.totals.accepted - load.totals.mined - load.totals.reverted
      if (lost > 0) anomalies.push(`${lost} accepted load transactions were never mined (evicted by the node?); they are not engine loss`)
      if (load.totals.reverted > 0) anomalies.push(`${load.totals.reverted} load transactions reverted: ${load.reverts.slice(0, 3).map((r) => r.reason).join('; ')}`)
    }
    if (truth.twap.unexpectedAccepted.length) anomalies.push(`${truth.twap.unexpectedAccepted.length} accepted orders fall outside the judged window (TWAP parts that became tradeable during the drain, or other modules' orders)`)
    if (lookupFailures.length) anomalies.push(`${lookupFailures.length} order lookups at the external orderbook failed (counted neither way), e.g. ${lookupFailures.slice(0, 3).map((f) => `${f.uid.slice(0, 18)}...: ${f.reason}`).join('; ')}`)
    if (clock.errors()) anomalies.push(`${clock.errors()} block-clock polls failed`)
    if (sampler.current.failures()) anomalies.push(`${sampler.current.failures()} metrics scrapes failed`)
    for (const part of truth.twap.missing.slice(0, 10)) anomalies.push(`missing TWAP part ${part.part} of ${part.owner}: uid ${part.uid}, tradeable at block ${part.tradeableBlock}`)
    for (const order of truth.ethFlow.missing.slice(0, 10)) anomalies.push(`EthFlow order not verified: uid ${order.uid}, placed at block ${order.block}`)

    const run: ScenarioRun = {
      definition,
      scale,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      devnetStartMs: devnet.startedInMs,
      blocks: { from: fromBlock, to: toBlock, drainedTo },
      load,
      truth,
      engine: engineFigures,
      submissionLatencyMs,
      series: sampler.current.samples,
      verdict,
      anomalies,
      notes: [
        ...(extra?.notes ?? []),
        ...(orderbook ? [] : [`orderbook: external (${orderbookUrl}); delivery and latency come from GET /api/v1/orders/{uid} and each order's creationDate; duplicate posts and the watcher's EthFlow lookups cannot be seen from outside, so those bars are not judged`]), ...(proxy ? [`fault proxy injected: ${Object.entries(proxy.record.counters).filter(([k]) => !k.includes(':') || k.startsWith('fail:')).map(([k, v]) => `${k} ${v}`).join(', ')}`] : [])],
    }
    log(`verdict: ${verdict.pass ? 'PASS' : 'FAIL'}; ${verdict.bars.map((b) => `${b.name} ${b.pass ? 'ok' : 'FAIL'} (${b.measured})`).join('; ')}`)
    return run
  } finally {
    for (const step of teardown.reverse()) await step().catch((error: unknown) => log(`teardown step failed: ${String(error)}`))
  }
}
