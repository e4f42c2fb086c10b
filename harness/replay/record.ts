import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, truncateSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { Address } from 'viem'
import { packageVersion } from '../../engine/packageInfo.ts'
import { createRpcChainSource } from '../../engine/chain/createRpcChainSource.ts'
import type { EngineConfig } from '../../engine/config/schema.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { createChainHost } from '../../engine/host/createChainHost.ts'
import { createCowApiHost } from '../../engine/host/createCowApiHost.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { loadModules } from '../../engine/module/loadModules.ts'
import { startEngine } from '../../engine/startEngine.ts'
import type { FaultRule } from '../orderbook/knobs.ts'
import { createOrderbookStub } from '../orderbook/createOrderbookStub.ts'
import type { OrderbookStub } from '../orderbook/orderbookStubTypes.ts'
import { serveOrderbookStub } from '../orderbook/serveOrderbookStub.ts'
import { CASSETTE_FORMAT, CASSETTE_VERSION, encodeEntry, readCassette, type CassetteEntry, type CassetteHeader } from './cassette.ts'
import { instrumentModule } from './instrumentModule.ts'
import { recordingChainHost, recordingChainSource, recordingCowApi } from './recordingWrappers.ts'

const toolVersion = packageVersion

export type RecordRangeParameters = {
  /** The engine config: its one chain and its modules (rpc_url is replaced by `rpcUrl`). */
  config: EngineConfig
  rpcUrl: string
  from: bigint
  to: bigint
  /** fixtures/<name>.ndjson or .ndjson.gz */
  out: string
  /** 'configured': the chain's orderbook_url (or the public API); 'stub': the harness stub, in this process. */
  orderbook?: 'configured' | 'stub'
  /** Fault rules of the stub (only with orderbook 'stub'). */
  stubRules?: FaultRule[]
  /** A stub prepared by the caller (e.g. with EthFlow orders indexed); default a fresh one. */
  stub?: OrderbookStub
  /** Header provenance; default: the RPC URL's host. */
  recordedOn?: string
  notes?: string[]
  /** Progress lines; default stderr. */
  progress?: (line: string) => void
  /** Stops the recording early (SIGINT); run again with the same arguments to resume. */
  signal?: AbortSignal
  /** Called each time every module has finished a new block. */
  onCheckpoint?: (block: bigint) => void
}

export type RecordRangeReturnType = { out: string; blocks: number; entries: number; bytes: number; durationMs: number; resumed: boolean }

function withRules(stub: OrderbookStub, rules: FaultRule[] | undefined) {
  for (const rule of rules ?? []) stub.addRule(rule)
  return stub
}

/** Refusals of a recording (bad range, several chains, a partial file of another range). */
export class RecordError extends ShepherdError {
  override name = 'RecordError'
}

/**
 * Runs the configured modules over [from, to] of any JSON-RPC endpoint, through recording wrappers
 * around the ChainSource, the chain host and the orderbook host, and writes a cassette. It writes
 * `<out>.partial` as it goes; run it again after an interruption and it resumes after the last
 * checkpoint (the engine's cursor lives in `.shepherd-record/` beside it).
 *
 * @example
 * await recordRange({ config: loadConfig('engine.toml'), rpcUrl, from: 100n, to: 2000n, out: 'fixtures/run.ndjson.gz', orderbook: 'stub' })
 */
export async function recordRange(parameters: RecordRangeParameters): Promise<RecordRangeReturnType> {
  const { config, rpcUrl, from, to, orderbook = 'configured', progress = (line) => process.stderr.write(`${line}\n`) } = parameters
  if (from < 0n || to < from) throw new RecordError(`Bad block range ${from}..${to}`, { details: ['--from must be >= 0 and <= --to'] })
  if (config.chains.size !== 1) throw new RecordError(`A cassette holds one chain; the config has ${config.chains.size}`, { hint: 'Keep one [chains.<id>] table in the config you record with.' })
  const [[chainId, chain]] = [...config.chains] as [[number, EngineConfig['chains'] extends Map<number, infer C> ? C : never]]
  const out = resolve(parameters.out)
  const partial = `${out.replace(/\.gz$/, '')}.partial`
  // lmdb treats a path with an extension as a file, so the state folder name has no dot.
  const stateDir = join(dirname(out), '.shepherd-record', basename(partial).replace(/\./g, '_'))
  mkdirSync(dirname(out), { recursive: true })
  const started = performance.now()

  const entries = { count: 0 }
  const seenBlocks = new Set<bigint>()
  const seenLogs = new Set<string>()
  let lastCheckpoint = from - 1n
  let resumed = false
  if (existsSync(partial) && existsSync(stateDir)) {
    // Resume: keep what a checkpoint covers; drop a torn last line; the engine resumes from its cursor.
    const text = readFileSync(partial, 'utf8')
    const end = text.lastIndexOf('\n') + 1
    if (end < text.length) truncateSync(partial, Buffer.byteLength(text.slice(0, end)))
    for await (const entry of readCassette(partial)) {
      if (entry.t === 'header' && (entry.chainId !== chainId || entry.from !== from || entry.to !== to))
        throw new RecordError(`${partial} records another range (${entry.chainId}: ${entry.from}..${entry.to})`, { hint: 'Delete the .partial file and its .state folder to start over.' })
      if (entry.t === 'block') seenBlocks.add(entry.number)
      if (entry.t === 'log') seenLogs.add(`${entry.blockNumber}:${entry.logIndex}`)
      if (entry.t === 'checkpoint') lastCheckpoint = entry.number
    }
    resumed = true
    progress(`record: resuming after block ${lastCheckpoint}`)
  } else {
    rmSync(partial, { force: true })
    rmSync(stateDir, { recursive: true, force: true })
  }
  const stream = createWriteStream(partial, { flags: 'a' })
  const write = (entry: CassetteEntry) => {
    entries.count++
    stream.write(`${encodeEntry(entry)}\n`)
  }

  const stub = orderbook === 'stub' ? await serveOrderbookStub(withRules(parameters.stub ?? createOrderbookStub({ chainId }), parameters.stubRules), { port: 0 }) : undefined
  const orderbookUrl = stub?.baseUrl ?? chain.orderbook_url
  const modulesForHeader = config.modules
    .filter((m) => m.enabled)
    .map((m) => ({ name: m.name, ...(m.path ? { path: relative(process.cwd(), resolve(dirname(config.file), m.path)) } : {}), config: m.config }))
  if (!resumed) {
    const header: CassetteHeader = {
      t: 'header',
      format: CASSETTE_FORMAT,
      version: CASSETTE_VERSION,
      chainId,
      recordedOn: parameters.recordedOn ?? new URL(rpcUrl).host,
      from,
      to,
      modules: modulesForHeader,
      tool: `shepherd ${toolVersion}`,
      recordedAt: new Date().toISOString(),
      notes: [...(parameters.notes ?? []), `orderbook: ${orderbook === 'stub' ? `stub${parameters.stubRules?.length ? ` with rules ${parameters.stubRules.map((r) => r.name ?? '?').join(', ')}` : ''}` : (orderbookUrl ?? 'public API')}`],
    }
    write(header)
  }

  const runConfig: EngineConfig = {
    ...config,
    engine: { ...config.engine, state_dir: stateDir, metrics: { ...config.engine.metrics, enabled: false } },
    chains: new Map([[chainId, { ...chain, rpc_url: rpcUrl, start_block: Number(from), confirmations: 0, poll_interval_ms: 50, max_lookback_blocks: Number.MAX_SAFE_INTEGER, ...(orderbookUrl ? { orderbook_url: orderbookUrl } : {}) }]]),
  }
  const rpc = createRpcChainSource({ chainId, rpcUrl, maxRequestBytes: chain.max_request_bytes })
  const source = recordingChainSource(rpc, write, { to, seenBlocks, seenLogs })
  const chainHost = recordingChainHost(createChainHost(new Map([[chainId, { client: rpc.client, multicallAddress: chain.multicall_address as Address, multicallBatchSize: chain.multicall_batch_size, requestLimit: rpc.requestLimit }]])), write)
  const cowApi = recordingCowApi(createCowApiHost({ baseUrls: new Map(orderbookUrl ? [[chainId, orderbookUrl]] : []) }), write)
  const modules = (await loadModules(runConfig)).map((m) => instrumentModule(m, (o) => write({ t: 'outcome', ...o })))
  const logger = createLogger({ level: 'error', write: (line) => process.stderr.write(`${line}\n`) })

  const engine = await startEngine({ config: runConfig, modules, sources: new Map([[chainId, source]]), chainHost, cowApi, isolation: 'in-process', logger, shutdownGraceMs: 5_000 })
  let lastReport = performance.now()
  try {
    while (!parameters.signal?.aborted) {
      const cursor = engine.status()[0]?.cursor
      if (cursor !== undefined && cursor > lastCheckpoint) {
        lastCheckpoint = cursor
        write({ t: 'checkpoint', number: cursor })
        parameters.onCheckpoint?.(cursor)
      }
      if (performance.now() - lastReport > 2_000) {
        lastReport = performance.now()
        progress(`record: block ${lastCheckpoint} of ${from}..${to} (${Math.round(Number(lastCheckpoint - from + 1n) / Number(to - from + 1n) * 100)}%)`)
      }
      if (cursor !== undefined && cursor >= to) break
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    await engine.stop()
    // Blocks in flight when the loop ended finished during stop: checkpoint them too.
    const final = engine.status()[0]?.cursor
    if (final !== undefined && final > lastCheckpoint) write({ t: 'checkpoint', number: (lastCheckpoint = final) })
    await stub?.close()
    await new Promise<void>((r) => stream.end(r))
  }
  if (parameters.signal?.aborted) {
    progress(`record: interrupted at block ${lastCheckpoint}; run again to resume`)
    return { out: partial, blocks: seenBlocks.size, entries: entries.count, bytes: statSync(partial).size, durationMs: performance.now() - started, resumed }
  }
  if (out.endsWith('.gz')) {
    await pipeline(createReadStream(partial), createGzip({ level: 9 }), createWriteStream(out))
    rmSync(partial)
  } else renameSync(partial, out)
  rmSync(stateDir, { recursive: true, force: true })
  try {
    rmdirSync(dirname(stateDir)) // only when no other recording is in progress
  } catch {}
  const result = { out, blocks: seenBlocks.size, entries: entries.count, bytes: statSync(out).size, durationMs: performance.now() - started, resumed }
  progress(`record: wrote ${out} (${result.blocks} blocks, ${result.bytes} bytes, ${Math.round(result.durationMs)} ms)`)
  return result
}
