import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { startEngine, type Engine } from '../../engine/startEngine.ts'
import { ShepherdError } from '../../engine/errors/base.ts'
import type { ScenarioModule } from './defineScenario.ts'
import { parsePrometheus, type Sample } from './prometheus.ts'

export type ScenarioEngine = {
  metricsUrl: string
  /** Process mode only: the child's PID. */
  pid?: number
  /** Recent engine log lines, for errors and the report's anomalies. */
  logs(): readonly string[]
  /** Stops gracefully (SIGTERM in process mode), SIGKILL after a bound. Safe to call twice. */
  stop(): Promise<void>
  /** Process mode only: SIGKILL now (chaos). */
  kill?(): void
  /**
   * Process mode only: scrapes the engine's counters, SIGKILLs it, and starts it again on the same
   * config and state (it resumes from its cursor). Resolves when the new process is healthy.
   */
  killAndRestart?(options?: { downMs?: number }): Promise<{ downMs: number }>
  /** Counters and histograms of earlier (killed) engine processes, to add to a scrape of this one. */
  carried(): readonly Sample[]
}

/** Counters and histograms add up across engine lives; gauges do not. */
const cumulative = (sample: Sample) => /(_total|_bucket|_count|_sum)$/.test(sample.name)

export type StartScenarioEngineParameters = {
  mode: 'in-process' | 'process'
  dir: string
  rpcUrl: string
  orderbookUrl: string
  metricsPort: number
  modules: readonly ScenarioModule[]
  logLevel?: 'debug' | 'info' | 'warn' | 'error'
}

/** Writes the engine.toml a scenario runs with. TOML values are written with JSON quoting. */
export function writeScenarioConfig({ dir, rpcUrl, orderbookUrl, metricsPort, modules, logLevel = 'info' }: Omit<StartScenarioEngineParameters, 'mode'>): string {
  const file = join(dir, 'engine.toml')
  const value = (v: unknown): string => (Array.isArray(v) ? `[${v.map(value).join(', ')}]` : typeof v === 'bigint' ? `"${v}"` : JSON.stringify(v))
  const lines = [
    '[engine]',
    `state_dir = ${JSON.stringify(join(dir, 'state'))}`,
    `log_level = ${JSON.stringify(logLevel)}`,
    '[engine.metrics]',
    'enabled = true',
    `bind = "127.0.0.1:${metricsPort}"`,
    '[chains.11155111]',
    `rpc_url = ${JSON.stringify(rpcUrl)}`,
    `orderbook_url = ${JSON.stringify(orderbookUrl)}`,
    'poll_interval_ms = 200',
    'start_block = "latest"',
  ]
  for (const module of modules) {
    lines.push('[[modules]]', `name = ${JSON.stringify(module.name)}`)
    if (module.path) lines.push(`path = ${JSON.stringify(resolve(module.path))}`)
    if (module.isolation) lines.push(`isolation = ${JSON.stringify(module.isolation)}`)
    lines.push('[modules.config]')
    for (const [key, v] of Object.entries(module.config ?? {})) lines.push(`${key} = ${value(v)}`)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** Starts the engine under test, in this process or as a `shepherd run` child. Resolves when /healthz answers. */
export async function startScenarioEngine(parameters: StartScenarioEngineParameters): Promise<ScenarioEngine> {
  const file = writeScenarioConfig(parameters)
  const metricsUrl = `http://127.0.0.1:${parameters.metricsPort}`
  const recent: string[] = []
  const keep = (line: string) => {
    recent.push(line)
    if (recent.length > 2000) recent.shift()
  }
  if (parameters.mode === 'in-process') {
    const engine: Engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: parameters.logLevel ?? 'info', write: keep }) })
    let stopping: Promise<void> | undefined
    return { metricsUrl, logs: () => recent, stop: () => (stopping ??= engine.stop()), carried: () => [] }
  }
  // SHEPHERD_ENGINE_NODE_ARGS passes Node flags to the engine, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.SHEPHERD_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const carried: Sample[] = []
  let child: ChildProcess
  let exited: Promise<number | null>

  async function spawnHealthy() {
    child = spawn(process.execPath, [...nodeArgs, resolve('bin/shepherd.js'), 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
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
    exited = new Promise<number | null>((resolveExit) => current.once('exit', (code) => resolveExit(code)))
    // Each module worker loads viem and cow-sdk through tsx: 5 workers take 5-30 s on 2 busy cores.
    const deadline = Date.now() + 120_000
    for (;;) {
      const ok = await fetch(`${metricsUrl}/healthz`).then((r) => r.ok, () => false)
      if (ok) break
      if (current.exitCode !== null || Date.now() > deadline) {
        current.kill('SIGKILL')
        throw new ShepherdError('The engine process did not become healthy', { details: [`config: ${file}`, ...recent.slice(-20)] })
      }
      await new Promise((r) => setTimeout(r, 100))
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
    kill: () => void child.kill('SIGKILL'),
    carried: () => carried,
    async killAndRestart({ downMs = 1000 } = {}) {
      // What the dying engine counted so far; a SIGKILL gives it no chance to say more.
      const text = await fetch(`${metricsUrl}/metrics`).then((r) => r.text(), () => '')
      carried.push(...parsePrometheus(text).filter(cumulative))
      const killedAt = Date.now()
      child.kill('SIGKILL')
      await exited
      keep(`[harness] engine SIGKILLed (pid ${child.pid}, exited in ${Date.now() - killedAt} ms); restarting in ${downMs} ms`)
      await new Promise((r) => setTimeout(r, downMs))
      const spawnedAt = Date.now()
      await spawnHealthy()
      keep(`[harness] engine restarted (pid ${child.pid}), healthy in ${Date.now() - spawnedAt} ms`)
      return { downMs: Date.now() - killedAt }
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
