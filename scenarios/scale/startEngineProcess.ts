import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { packageRoot } from '../../engine/packageInfo.ts'
import { writeScenarioConfig } from '../../harness/scenario/startScenarioEngine.ts'
import { waitForHealthy } from '../../harness/scenario/waitForHealthy.ts'

export type StartEngineProcessParameters = {
  dir: string
  rpcUrl: string
  orderbookUrl: string
  metricsPort: number
  /** Every line the engine writes (stdout and stderr), in order: nothing is dropped. */
  onLine: (line: string) => void
}

export type EngineProcess = {
  pid: number
  metricsUrl: string
  /** The last lines (bounded), for errors. */
  recent(): readonly string[]
  /** SIGTERM, SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * A `shepherd run` child with twap-monitor at debug level (its one debug line per block says how
 * many due watches it polled), every output line handed to `onLine` (the scenario's own stream,
 * unlike startScenarioEngine's bounded buffer: a 10,000-part ingest writes 10,000 info lines and no
 * per-block line may be lost). Resolves when `/healthz` answers 200.
 *
 * @example
 * const engine = await startEngineProcess({ dir, rpcUrl: net.wsUrl, orderbookUrl, metricsPort, onLine: console.log })
 */
export async function startEngineProcess({ dir, rpcUrl, orderbookUrl, metricsPort, onLine }: StartEngineProcessParameters): Promise<EngineProcess> {
  const file = writeScenarioConfig({ dir, rpcUrl, orderbookUrl, metricsPort, modules: [{ name: 'twap-monitor' }], logLevel: 'debug' })
  const child = spawn(process.execPath, [join(packageRoot, 'bin/shepherd.js'), 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
  const recent: string[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      onLine(line)
      recent.push(line)
      if (recent.length > 200) recent.shift()
    })
  const metricsUrl = `http://127.0.0.1:${metricsPort}`
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(timer)
      }
    })())
  try {
    await waitForHealthy({
      metricsUrl,
      timeoutMs: 120_000,
      what: `the engine process (pid ${child.pid}, config ${file})`,
      abortIf: () => (child.exitCode !== null || child.signalCode !== null ? `it exited (code ${child.exitCode}, signal ${child.signalCode})` : undefined),
      details: () => recent.slice(-20),
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { pid: child.pid!, metricsUrl, recent: () => recent, stop }
}
