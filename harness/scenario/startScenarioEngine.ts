import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { packageRoot } from '../../engine/packageInfo.ts'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { startEngine, type Engine } from '../../engine/startEngine.ts'
import type { ScenarioModule } from './defineScenario.ts'
import { parseExposition } from './prometheus.ts'
import type { EndedEngine, RunMetrics, Scrape } from './runMetrics.ts'
import { waitForHealthy, type HealthAnswer } from './waitForHealthy.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/**
 * What the harness saw of one kill (SIGKILL, or a SIGTERM shutdown) and restart: the old process ended after the signal sent (its
 * exit as Node reported it, and its PID gone afterwards), its last figures (and cursor) read just
 * before the kill, and the new process answering `/healthz` 200 after the old one was gone.
 */
export type KillEvidence = {
  signal: 'SIGKILL' | 'SIGTERM'
  old: {
    pid: number | undefined
    killedAt: number
    exitedAt: number
    exit: { code: number | null; signal: NodeJS.Signals | null }
    /** `process.kill(pid, 0)` failed with ESRCH after the exit: no process has that PID any more. */
    pidGone: boolean
    /** `shepherd_cursor_block` in the scrape just before the kill (set only after the cursor is persisted). */
    lastCursor: number | undefined
    /** The final scrape, or why it failed. */
    final: Scrape | undefined
    finalError: string | undefined
  }
  new: { pid: number | undefined; spawnedAt: number; healthy: HealthAnswer }
  /** From the kill to the new process's first healthy answer. */
  downMs: number
}

export type ScenarioEngine = {
  metricsUrl: string
  /** Process mode only: the child's PID. */
  pid?: number
  /** Recent engine log lines, for errors and the report's anomalies. */
  logs(): readonly string[]
  /** Stops gracefully (SIGTERM in process mode), SIGKILL after a bound. Safe to call twice. */
  stop(): Promise<void>
  /**
   * Process mode only: reads the engine's final figures, SIGKILLs it (or, with `signal: 'SIGTERM'`,
   * asks it to shut down gracefully, SIGKILL after 15 s), and starts it again on the same config and
   * state (it resumes from its cursor). Resolves when the new process answers `/healthz` 200, with
   * the evidence of the kill. `onKilled` runs right after the signal is sent.
   */
  killAndRestart?(options?: { downMs?: number; onKilled?: () => void; signal?: 'SIGKILL' | 'SIGTERM' }): Promise<KillEvidence>
  /** Engine processes that ended during the run, each with its final figures (scraped just before the kill). */
  ended(): readonly EndedEngine[]
  /** The run's metrics now: the live process's scrape plus the final figures of every process that ended. */
  metrics(): Promise<RunMetrics>
}

/**
 * Scrapes one engine process's `/metrics` (samples and declared families).
 *
 * @example
 * const scrape = await scrapeEngine('http://127.0.0.1:9100', child.pid)
 */
export async function scrapeEngine(metricsUrl: string, pid?: number): Promise<Scrape> {
  const response = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
  if (!response.ok) throw new Error(`GET ${metricsUrl}/metrics answered HTTP ${response.status}`)
  return { ...parseExposition(await response.text()), at: Date.now(), pid }
}

/** The highest `shepherd_cursor_block` in a scrape; undefined when no chain has committed a cursor yet. */
function cursorOf(scrape: Scrape | undefined): number | undefined {
  const values = scrape?.samples.filter((s) => s.name === 'shepherd_cursor_block').map((s) => s.value) ?? []
  return values.length ? Math.max(...values) : undefined
}

/** True when no process has this PID (kill(pid, 0) fails with ESRCH). */
function pidGone(pid: number | undefined): boolean {
  if (pid === undefined) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Replaces `{runDir}` in string config values (and arrays of them) with the run's folder. */
function withRunDir(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{runDir}', dir)
  if (Array.isArray(value)) return value.map((v) => withRunDir(v, dir))
  return value
}

export type StartScenarioEngineParameters = {
  mode: 'in-process' | 'process'
  dir: string
  rpcUrl: string
  orderbookUrl: string
  metricsPort: number
  modules: readonly ScenarioModule[]
  logLevel?: 'debug' | 'info' | 'warn' | 'error'
  /** Several chains: one `[chains.<id>]` table each (then `rpcUrl` and `orderbookUrl` are not used). Default: chain 11155111 at `rpcUrl`. */
  chains?: ReadonlyArray<{ chainId: number; rpcUrl: string; orderbookUrl: string }>
  /** Every engine log line, in order, as it is written (`logs()` keeps only the last 2,000). */
  onLine?: (line: string) => void
  /**
   * An engine.toml written by someone else (the sandbox contract's `stack.engine.config`, expanded):
   * used as it is, and `modules`, `chains` and `logLevel` are not written. Its metrics must bind
   * `127.0.0.1:<metricsPort>`.
   */
  configFile?: string
}

/** Writes the engine.toml a scenario runs with. TOML values are written with JSON quoting. */
export function writeScenarioConfig({ dir, rpcUrl, orderbookUrl, metricsPort, modules, logLevel = 'info', chains = [{ chainId: 11155111, rpcUrl, orderbookUrl }] }: Omit<StartScenarioEngineParameters, 'mode' | 'onLine' | 'configFile'>): string {
  const file = join(dir, 'engine.toml')
  const value = (v: unknown): string => (Array.isArray(v) ? `[${v.map(value).join(', ')}]` : typeof v === 'bigint' ? `"${v}"` : JSON.stringify(v))
  const lines = [
    '[engine]',
    `state_dir = ${JSON.stringify(join(dir, 'state'))}`,
    `log_level = ${JSON.stringify(logLevel)}`,
    '[engine.metrics]',
    'enabled = true',
    `bind = "127.0.0.1:${metricsPort}"`,
    ...chains.flatMap((chain) => [
      `[chains.${chain.chainId}]`,
      `rpc_url = ${JSON.stringify(chain.rpcUrl)}`,
      `orderbook_url = ${JSON.stringify(chain.orderbookUrl)}`,
      'poll_interval_ms = 200',
      'start_block = "latest"',
    ]),
  ]
  for (const module of modules) {
    lines.push('[[modules]]', `name = ${JSON.stringify(module.name)}`)
    if (module.path) lines.push(`path = ${JSON.stringify(resolve(module.path))}`)
    if (module.isolation) lines.push(`isolation = ${JSON.stringify(module.isolation)}`)
    if (module.chains) lines.push(`chains = ${value([...module.chains])}`)
    lines.push('[modules.config]')
    for (const [key, v] of Object.entries(module.config ?? {})) lines.push(`${key} = ${value(withRunDir(v, dir))}`)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/**
 * Starts the engine under test, in this process or as a `shepherd run` child. In process mode it
 * resolves when `/healthz` answers 200; a process that exits first, or never gets healthy, fails
 * with the last `/healthz` answer and the engine's recent log lines.
 *
 * @example
 * const engine = await startScenarioEngine({ mode: 'process', dir, rpcUrl: devnet.wsUrl, orderbookUrl, metricsPort, modules })
 * const metrics = await engine.metrics() // every engine process of the run, killed ones included
 */
export async function startScenarioEngine(parameters: StartScenarioEngineParameters): Promise<ScenarioEngine> {
  const file = parameters.configFile ?? writeScenarioConfig(parameters)
  const metricsUrl = `http://127.0.0.1:${parameters.metricsPort}`
  const recent: string[] = []
  const keep = (line: string) => {
    parameters.onLine?.(line)
    recent.push(line)
    if (recent.length > 2000) recent.shift()
  }
  if (parameters.mode === 'in-process') {
    const engine: Engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: parameters.logLevel ?? 'info', write: keep }) })
    let stopping: Promise<void> | undefined
    return {
      metricsUrl,
      logs: () => recent,
      stop: () => (stopping ??= engine.stop()),
      ended: () => [],
      metrics: async () => ({ ended: [], current: await scrapeEngine(metricsUrl) }),
    }
  }
  // SHEPHERD_ENGINE_NODE_ARGS passes Node flags to the engine, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.SHEPHERD_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const ended: EndedEngine[] = []
  let child: ChildProcess
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  let startedAt = Date.now()

  async function spawnHealthy(): Promise<HealthAnswer> {
    startedAt = Date.now()
    child = spawn(process.execPath, [...nodeArgs, join(packageRoot, 'bin/shepherd.js'), 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    const current = child
    let buffer = ''
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) keep(line)
    }
    current.stdout!.on('data', onData)
    current.stderr!.on('data', onData)
    exited = new Promise((resolveExit) => current.once('exit', (code, signal) => resolveExit({ code, signal, at: Date.now() })))
    // Each module worker loads viem and cow-sdk: 5 workers take 5-30 s on 2 busy cores.
    try {
      return await waitForHealthy({
        metricsUrl,
        timeoutMs: 120_000,
        what: `the engine process (pid ${current.pid}, config ${file})`,
        abortIf: () => (current.exitCode !== null || current.signalCode !== null ? `it exited (code ${current.exitCode}, signal ${current.signalCode})` : undefined),
        details: () => recent.slice(-20),
      })
    } catch (error) {
      current.kill('SIGKILL')
      throw error
    }
  }
  await spawnHealthy()

  let stopping: Promise<void> | undefined
  return {
    metricsUrl,
    get pid() {
      return child.pid
    },
    logs: () => recent,
    ended: () => ended,
    metrics: async () => ({ ended: [...ended], current: await scrapeEngine(metricsUrl, child.pid) }),
    async killAndRestart({ downMs = 1000, onKilled, signal = 'SIGKILL' } = {}) {
      // What the dying engine counted so far: a SIGKILL gives it no chance to say more. One retry,
      // bounded, so a slow answer does not cost the figures of a whole engine life.
      const old = child
      let final: Scrape | undefined
      let finalError: string | undefined
      for (let attempt = 0; attempt < 2 && !final; attempt++) {
        try {
          final = await scrapeEngine(metricsUrl, old.pid)
        } catch (error) {
          finalError = errorMessage(error)
        }
      }
      const killedAt = Date.now()
      old.kill(signal)
      onKilled?.()
      // A graceful shutdown is bounded too: past 15 s it ends as a SIGKILL would.
      const forced = signal === 'SIGTERM' ? setTimeout(() => old.kill('SIGKILL'), 15_000) : undefined
      const exit = await exited
      clearTimeout(forced)
      const gone = pidGone(old.pid)
      ended.push({ pid: old.pid, startedAt, endedAt: exit.at, exit: { code: exit.code, signal: exit.signal }, final, finalError: final ? undefined : finalError })
      keep(`[harness] engine ${signal === 'SIGKILL' ? 'SIGKILLed' : 'stopped by SIGTERM'} (pid ${old.pid}, exited in ${exit.at - killedAt} ms with signal ${exit.signal}); restarting in ${downMs} ms`)
      await new Promise((r) => setTimeout(r, downMs))
      const spawnedAt = Date.now()
      const healthy = await spawnHealthy()
      keep(`[harness] engine restarted (pid ${child.pid}), healthy in ${healthy.at - spawnedAt} ms`)
      return {
        signal,
        old: {
          pid: old.pid,
          killedAt,
          exitedAt: exit.at,
          exit: { code: exit.code, signal: exit.signal },
          pidGone: gone,
          lastCursor: cursorOf(final),
          final,
          finalError: final ? undefined : finalError,
        },
        new: { pid: child.pid, spawnedAt, healthy },
        downMs: healthy.at - killedAt,
      }
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
          await exited
          clearTimeout(timer)
        }
      })()
      return stopping
    },
  }
}
