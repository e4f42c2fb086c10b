import { ShepherdError } from '../../modules/sdk/errors/base.ts'

export type StoreCheckErrorParameters = {
  /** The state or backup directory checked. */
  dir: string
  /** One line per problem found, each naming its database, key or chain. */
  problems: readonly string[]
  hint?: string
  cause?: unknown
}

/**
 * A store (a state directory or a backup) failed an integrity check: `shepherd store verify`,
 * `backup` and `restore` exit 1 with it. Each problem names what is wrong and where.
 *
 * @example
 * throw new StoreCheckError('The store failed its integrity check', { dir: '.state', problems: ['cursor:11155111: block 120 is ahead of the chain head 100'] })
 */
export class StoreCheckError extends ShepherdError {
  override name = 'StoreCheckError'
  readonly dir: string
  readonly problems: readonly string[]

  constructor(shortMessage: string, parameters: StoreCheckErrorParameters) {
    super(shortMessage, { details: [`directory: ${parameters.dir}`, ...parameters.problems.map((p) => `problem: ${p}`)], hint: parameters.hint, cause: parameters.cause, action: 'stop' })
    this.dir = parameters.dir
    this.problems = parameters.problems
  }
}
