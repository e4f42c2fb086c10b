import { ShepherdError } from '../../modules/sdk/errors/base.ts'

export type ConfigErrorParameters = {
  file: string
  /** Dotted path of the offending key, e.g. `chains.11155111.rpc_url`. */
  key?: string
  expected?: string
  found?: string
  hint?: string
  cause?: unknown
}

/** Bad engine configuration. The CLI exits with code 2 before anything starts. */
export class ConfigError extends ShepherdError {
  override name = 'ConfigError'
  readonly file: string
  readonly key: string | undefined

  constructor(shortMessage: string, parameters: ConfigErrorParameters) {
    const details = [`file: ${parameters.file}`]
    if (parameters.key !== undefined) details.push(`key: ${parameters.key}`)
    if (parameters.expected !== undefined) details.push(`expected: ${parameters.expected}`)
    if (parameters.found !== undefined) details.push(`found: ${parameters.found}`)
    super(shortMessage, { details, hint: parameters.hint, cause: parameters.cause, action: 'stop' })
    this.file = parameters.file
    this.key = parameters.key
  }
}

export type StateDirLockedErrorParameters = {
  /** The config file whose `engine.state_dir` names the locked directory. */
  file: string
  /** The lock file inside the state directory. */
  lockFile: string
  pid: number
  hostname: string
  since: string
  /** What refused: an engine start, or a restore into the directory. */
  action?: string
}

/**
 * Another engine holds the state directory's lock: two engines on one lmdb store would each
 * process and post every block. A ConfigError, so the CLI exits with code 2.
 *
 * @example
 * throw new StateDirLockedError({ file: 'engine.toml', lockFile: '.state/shepherd-engine.lock', pid: 4242, hostname: 'box', since: '2026-12-07T21:00:00.000Z' })
 */
export class StateDirLockedError extends ConfigError {
  override name = 'StateDirLockedError'
  readonly pid: number
  readonly lockFile: string

  constructor({ file, lockFile, pid, hostname, since, action = 'The engine cannot start' }: StateDirLockedErrorParameters) {
    super(`${action}: another engine is using its state directory`, {
      file,
      key: 'engine.state_dir',
      expected: 'a state directory no other engine is using',
      found: `locked by pid ${pid} on ${hostname} since ${since} (${lockFile})`,
      hint: 'Stop that engine first, or give this one its own state_dir. If you are sure no engine runs on it (one on another host cannot be checked from here), delete the lock file.',
    })
    this.pid = pid
    this.lockFile = lockFile
  }
}
