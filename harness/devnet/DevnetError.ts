import { ShepherdError, type ErrorAction } from '../../modules/sdk/errors/base.ts'

export type DevnetErrorParameters = {
  /** Recent Anvil output (stdout and stderr lines), newest last. */
  output?: readonly string[]
  /** PID of the Anvil child concerned, when there was one. */
  pid?: number
  details?: readonly string[]
  hint?: string
  cause?: unknown
  action?: ErrorAction
}

/**
 * A devnet failed to start, deploy or stop. Carries Anvil's recent output in its details, so a
 * failed test shows what the node said.
 *
 * @example
 * throw new DevnetError('Anvil did not start in 10000 ms', { output: ['error: address in use'] })
 */
export class DevnetError extends ShepherdError {
  override name = 'DevnetError'
  readonly output: readonly string[]
  readonly pid: number | undefined

  constructor(shortMessage: string, parameters: DevnetErrorParameters = {}) {
    const output = parameters.output ?? []
    const details = [...(parameters.pid === undefined ? [] : [`anvil pid: ${parameters.pid}`]), ...(parameters.details ?? [])]
    if (output.length) details.push('recent anvil output:', ...output.map((line) => `  ${line.trimEnd()}`))
    super(shortMessage, { details, hint: parameters.hint, cause: parameters.cause, action: parameters.action ?? 'stop' })
    this.output = output
    this.pid = parameters.pid
  }
}
