/**
 * How the runner knows an external subject is ready to be judged: an HTTP URL answering 2xx, a line
 * of its output matching, or a fixed wait (the last resort, for a bot that says nothing).
 */
export type SubjectReady = { url: string } | { logLine: string | RegExp } | { afterMs: number }

/**
 * A bot under test that is not Shepherd's engine: any command. The runner starts it after the devnet
 * and the orderbook stub, hands it their URLs and the protocol's addresses (environment variables
 * and a JSON file, see docs/external-subject.md), waits for `ready`, drives the load, drains, and
 * stops it with `stop` (then SIGKILL after `stopTimeoutMs`). It is judged from ground truth only.
 *
 * @example
 * const subject: ExternalSubject = { command: 'node', args: ['fixtures/external-bot/bot.mjs'], ready: { logLine: 'ready' } }
 */
export type ExternalSubject = {
  kind?: 'external'
  /** Executable (looked up on PATH), run without a shell. */
  command: string
  args?: readonly string[]
  /** Added to the runner's environment and the SHEPHERD_* variables (these win over the SHEPHERD_* ones). */
  env?: Readonly<Record<string, string>>
  /** Working folder (absolute, or relative to the runner's working folder); default the runner's. */
  cwd?: string
  ready: SubjectReady
  /** Signal sent to stop it (default SIGTERM); SIGKILL follows after `stopTimeoutMs`. */
  stop?: 'SIGTERM' | 'SIGINT'
  /** How long `ready` may take (default 30 s). */
  readyTimeoutMs?: number
  /** How long it may take to exit after the stop signal (default 5 s). */
  stopTimeoutMs?: number
}

/** The default subject: Shepherd's engine with the scenario's `engine.modules`. */
export type EngineSubject = { kind: 'engine' }

/** Who a scenario judges: Shepherd's engine (default) or an external command. */
export type ScenarioSubject = EngineSubject | ExternalSubject

/**
 * True when the subject is an external command.
 *
 * @example
 * if (isExternalSubject(definition.subject)) console.info(definition.subject.command)
 */
export function isExternalSubject(subject: ScenarioSubject | undefined): subject is ExternalSubject {
  return subject !== undefined && subject.kind !== 'engine'
}

/**
 * The subject as one line for reports and logs: `engine (twap-monitor, ethflow-watcher)` or the command.
 *
 * @example
 * describeSubject({ command: 'node', args: ['bot.mjs'], ready: { afterMs: 1 } }) // 'external command: node bot.mjs'
 */
export function describeSubject(subject: ScenarioSubject | undefined, modules: ReadonlyArray<{ name: string }> = []): string {
  if (!isExternalSubject(subject)) return `Shepherd engine (${modules.map((m) => m.name).join(', ') || 'no modules'})`
  return `external command: ${[subject.command, ...(subject.args ?? [])].map((a) => (/[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`
}
