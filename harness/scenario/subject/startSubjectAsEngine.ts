import type { SepoliaAddresses } from '../../devnet/addresses.ts'
import type { ScenarioEngine } from '../startScenarioEngine.ts'
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
 * expects an engine. It serves no Shepherd metrics: `metrics()` is an empty scrape, so every figure
 * read from it is "not measured", and the judge marks the engine-only bars "not measured for this
 * subject" (see judge.ts).
 *
 * @example
 * const engine = await startSubjectAsEngine({ subject, dir, chainId: 11155111, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds: 1, addresses })
 */
export async function startSubjectAsEngine({ subject, dir, chainId, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds, addresses, log }: StartSubjectAsEngineParameters): Promise<SubjectEngine> {
  const { env } = writeSubjectEnvironment({ version: 1, chainId, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds, runDir: dir, addresses })
  const started = await startExternalSubject({ subject, env, log })
  let stopped = false
  const empty = (): Scrape => ({ samples: [], families: new Set(), at: Date.now(), pid: started.pid })
  return {
    metricsUrl: '',
    pid: started.pid,
    env,
    logs: started.logs,
    ended: () => [],
    metrics: async () => ({ ended: [], current: empty() }),
    exitedEarly: () => (stopped ? undefined : started.exit()),
    async stop() {
      if (!started.exit()) stopped = true
      const exit = await started.stop()
      if (stopped) log?.(`subject stopped (pid ${started.pid}): code ${exit.code}, signal ${exit.signal}${exit.killed ? ' (SIGKILL after the stop bound)' : ''}`)
    },
  }
}
