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
