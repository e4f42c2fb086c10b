import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { engineConfigSchema, type EngineConfig } from '../../engine/config/schema.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { loadModules, type LoadedModule } from '../../engine/module/loadModules.ts'
import type { CowApiHost } from '../../modules/sdk/module/types.ts'
import { startEngine } from '../../engine/startEngine.ts'
import { createOrderbookStub } from '../orderbook/createOrderbookStub.ts'
import { serveOrderbookStub } from '../orderbook/serveOrderbookStub.ts'
import { createCowApiHost } from '../../engine/host/createCowApiHost.ts'
import type { FaultRule } from '../orderbook/knobs.ts'
import type { CassetteModule } from './cassette.ts'
import { instrumentModule, sortOutcomes, type Outcome } from './instrumentModule.ts'
import { judgeBacktest, type BacktestResult, type PassBar } from './judgeBacktest.ts'
import { loadCassette } from './loadCassette.ts'
import { createAcceptAllCowApi, createCassetteChainHost, createRecordedCowApi, createReplayChainSource } from './replayHosts.ts'

export type OrderbookPolicy = 'recorded' | 'accept-all' | { rules: FaultRule[] }

export type RunBacktestParameters = {
  /** Path of the cassette (.ndjson or .ndjson.gz). */
  cassette: string
  /** Module names from the header to keep, or modules to run instead (a changed config, or loaded modules). */
  modules?: ReadonlyArray<string | CassetteModule | LoadedModule>
  orderbook?: OrderbookPolicy
  /** Compare outcomes with the recorded ones. */
  drift?: boolean
  bar?: Partial<PassBar>
  expectedRejections?: readonly string[]
  /** How long the cursor may stand still before the replay is abandoned. Default 30 s. */
  stallMs?: number
}

export type RunBacktestReturnType = { result: BacktestResult; outcomes: Outcome[]; blocks: number; durationMs: number; blocksPerSecond: number }

/**
 * Replays a cassette through the same ingestion and dispatch code as a live run (startEngine with
 * a replay ChainSource, a cassette-backed chain host, the orderbook policy, the block timestamp as
 * the clock, every module in process, state in a temp folder) and judges what the modules did.
 *
 * @example
 * const { result } = await runBacktest({ cassette: 'fixtures/devnet-sepolia.ndjson.gz', drift: true })
 * if (!result.passed) console.error(result.failures)
 */
export async function runBacktest(parameters: RunBacktestParameters): Promise<RunBacktestReturnType> {
  const cassette = await loadCassette(parameters.cassette)
  const { header } = cassette
  const stateDir = mkdtempSync(join(tmpdir(), 'shepherd-replay-'))
  const requested = parameters.modules ?? header.modules
  const entries = requested.flatMap((m): CassetteModule[] => {
    if (typeof m === 'string') {
      const found = header.modules.find((h) => h.name === m)
      if (!found) throw new Error(`Module "${m}" is not in the cassette (it has: ${header.modules.map((h) => h.name).join(', ')})`)
      return [found]
    }
    return 'definition' in m ? [] : [m]
  })
  const given = requested.filter((m): m is LoadedModule => typeof m === 'object' && 'definition' in m)
  const config: EngineConfig = {
    ...engineConfigSchema.parse({
      engine: { state_dir: stateDir, log_level: 'error', supervisor: { backoff_initial_ms: 0, backoff_max_ms: 0, poison_after: 5, poison_window_s: 600 } },
      chains: {},
      modules: entries.map((m) => ({ name: m.name, ...(m.path ? { path: m.path } : {}), config: m.config, isolation: 'in-process' })),
    }),
    chains: new Map([
      [
        header.chainId,
        {
          rpc_url: 'http://127.0.0.1:9/replay-has-no-rpc',
          confirmations: 0,
          poll_interval_ms: 10,
          max_lookback_blocks: Number.MAX_SAFE_INTEGER,
          start_block: Number(cassette.blocks[0]?.number ?? header.from),
          max_block_range: 500,
          multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11',
          multicall_batch_size: 500,
          max_request_bytes: 1_572_864,
          max_block_logs_bytes: 268_435_456,
        },
      ],
    ]),
    // Module paths in the header are relative to the working directory.
    file: resolve('backtest.toml'),
  }
  const outcomes: Outcome[] = []
  const misses: string[] = []
  const onMiss = (error: Error & { details?: readonly string[] }) => misses.push(`${error.message.split('\n')[0]} (${(error.details ?? []).filter((d) => !d.startsWith('cassette:')).join(', ')})`)
  const loaded = [...(await loadModules(config)), ...given].map((m) => instrumentModule(m, (o) => outcomes.push(o)))

  const policy = parameters.orderbook ?? 'recorded'
  let stub: Awaited<ReturnType<typeof serveOrderbookStub>> | undefined
  let cowApi: CowApiHost
  if (policy === 'recorded') cowApi = createRecordedCowApi(cassette, onMiss)
  else if (policy === 'accept-all') cowApi = createAcceptAllCowApi()
  else {
    stub = await serveOrderbookStub(createOrderbookStub({ chainId: header.chainId, knobs: { rules: policy.rules }, now: () => 0 }), { port: 0 })
    cowApi = createCowApiHost({ baseUrls: new Map([[header.chainId, stub.baseUrl]]) })
  }

  const last = cassette.blocks.at(-1)?.number
  const started = performance.now()
  const engine = await startEngine({
    config,
    modules: loaded,
    sources: new Map([[header.chainId, createReplayChainSource(cassette)]]),
    chainHost: createCassetteChainHost(cassette, onMiss),
    cowApi,
    isolation: 'in-process',
    logger: createLogger({ level: 'error', write: (line) => process.stderr.write(`${line}\n`) }),
    shutdownGraceMs: 2_000,
  })
  try {
    // A stalled cursor (a module parked after repeated traps) must end the replay, not hang it.
    let seen = -1n
    let movedAt = performance.now()
    while (last !== undefined) {
      const cursor = engine.status()[0]?.cursor ?? -1n
      if (cursor >= last) break
      if (cursor !== seen) [seen, movedAt] = [cursor, performance.now()]
      else if (performance.now() - movedAt > (parameters.stallMs ?? 30_000)) throw new Error(`Replay stalled at block ${cursor} of ${last}; see the engine log above`)
      await new Promise((r) => setTimeout(r, 2))
    }
  } finally {
    await engine.stop()
    await stub?.close()
    rmSync(stateDir, { recursive: true, force: true })
  }
  const durationMs = performance.now() - started
  const sorted = sortOutcomes(outcomes)
  const names = loaded.map((m) => m.entry.name)
  const result = judgeBacktest({
    outcomes: sorted,
    modules: names,
    cassette: { file: parameters.cassette, chainId: header.chainId, recordedOn: header.recordedOn, from: header.from.toString(), to: header.to.toString(), tool: header.tool },
    orderbook: typeof policy === 'string' ? policy : `stub rules (${policy.rules.map((r) => r.name ?? '?').join(', ')})`,
    blocks: cassette.blocks.length,
    bar: parameters.bar,
    expectedRejections: parameters.expectedRejections,
    recorded: parameters.drift ? sortOutcomes(cassette.outcomes) : undefined,
  })
  // A read the cassette could not answer fails the backtest, whatever the module did with the error.
  if (misses.length) {
    result.failures.push(`${misses.length} reads the cassette cannot answer: ${[...new Set(misses)].slice(0, 5).join('; ')}`)
    result.passed = false
  }
  return { result, outcomes: sorted, blocks: cassette.blocks.length, durationMs, blocksPerSecond: cassette.blocks.length / (durationMs / 1000) }
}
