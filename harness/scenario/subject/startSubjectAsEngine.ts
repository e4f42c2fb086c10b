import type { SepoliaAddresses } from '../../devnet/addresses.ts'
import type { KillEvidence, ScenarioEngine } from '../startScenarioEngine.ts'
import type { Scrape } from '../runMetrics.ts'
import { startExternalSubject } from './startExternalSubject.ts'
import type { ExternalSubject } from './subjectTypes.ts'
import { writeSubjectEnvironment } from './subjectEnvironment.ts'

export type StartSubjectAsEngineParameters = {
  subject: ExternalSubject
  dir: string
  chainId: number
  rpcUrl: string
  wsUrl: string
  orderbookUrl: string
  blockTimeSeconds: number
  addresses: SepoliaAddresses
  log?: (line: string) => void
}

/** An external subject in the runner's engine slot: no metrics (every engine figure is "not measured"), its output as the logs. */
export type SubjectEngine = ScenarioEngine & {
  /** The subject's exit if it ended before the runner stopped it (a crash to report). */
  exitedEarly(): { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** The SHEPHERD_* variables it was given. */
  env: Readonly<Record<string, string>>
}

/**
 * Writes the subject's environment, starts it (waiting for ready) and presents it where the runner
 * expects an engine. `killAndRestart` SIGKILLs its process group, checks its PID is gone, waits
 * `downMs` and starts the same command with the same environment and run folder, waiting for ready
 * again: the kill evidence the chaos scenario judges. It serves no Shepherd metrics: `metrics()` is an empty scrape, so every figure
 * read from it is "not measured", and the judge marks the engine-only bars "not measured for this
 * subject" (see judge.ts).
 *
 * @example
 * const engine = await startSubjectAsEngine({ subject, dir, chainId: 11155111, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds: 1, addresses })
 */
export async function startSubjectAsEngine({ subject, dir, chainId, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds, addresses, log }: StartSubjectAsEngineParameters): Promise<SubjectEngine> {
  const { env } = writeSubjectEnvironment({ version: 1, chainId, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds, runDir: dir, addresses })
  let started = await startExternalSubject({ subject, env, log })
  // The output of processes killed earlier, so the report's last lines span every life of the subject.
  const earlier: string[] = []
  let stopped = false
  const empty = (): Scrape => ({ samples: [], families: new Set(), at: Date.now(), pid: started.pid })
  return {
    metricsUrl: '',
    get pid() {
      return started.pid
    },
    env,
    logs: () => [...earlier, ...started.logs()].slice(-200),
    ended: () => [],
    metrics: async () => ({ ended: [], current: empty() }),
    exitedEarly: () => (stopped ? undefined : started.exit()),
    async killAndRestart({ downMs = 1000, onKilled } = {}): Promise<KillEvidence> {
      const old = started
      const exit = await old.kill()
      onKilled?.()
      const gone = pidGone(old.pid)
      earlier.push(...old.logs(), `[harness] subject SIGKILLed (pid ${old.pid}, exited in ${exit.exitedAt - exit.killedAt} ms with signal ${exit.signal}); restarting in ${downMs} ms`)
      await new Promise((r) => setTimeout(r, downMs))
      const spawnedAt = Date.now()
      // The same command, environment and run folder: whatever state it kept there is its to resume from.
      started = await startExternalSubject({ subject, env, log })
      const readyAt = Date.now()
      log?.(`subject restarted (pid ${started.pid}), ready in ${readyAt - spawnedAt} ms`)
      return {
        signal: 'SIGKILL',
        old: { pid: old.pid, killedAt: exit.killedAt, exitedAt: exit.exitedAt, exit: { code: exit.code, signal: exit.signal }, pidGone: gone, lastCursor: undefined, final: undefined, finalError: 'an external subject serves no Shepherd metrics (no cursor, no final figures)' },
        // An external subject has no /healthz of ours: "healthy" is its own ready signal (startExternalSubject
        // throws when it does not come), recorded as 200 with what it was.
        new: { pid: started.pid, spawnedAt, healthy: { status: 200, body: `ready: ${describeReady(subject.ready)}`, at: readyAt } },
        downMs: readyAt - exit.killedAt,
      }
    },
    async stop() {
      if (!started.exit()) stopped = true
      const exit = await started.stop()
      if (stopped) log?.(`subject stopped (pid ${started.pid}): code ${exit.code}, signal ${exit.signal}${exit.killed ? ' (SIGKILL after the stop bound)' : ''}`)
    },
  }
}

/** The ready signal in words, for the kill evidence. */
function describeReady(ready: ExternalSubject['ready']): string {
  return 'url' in ready ? `${ready.url} answered 2xx` : 'logLine' in ready ? `printed a line matching ${String(ready.logLine)}` : `${ready.afterMs} ms passed`
}

/** True when no process has this PID (kill(pid, 0) fails with ESRCH). */
function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
