import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/**
 * A module could not process an event and the error's action says no retry in this process helps
 * (`stop`), or the engine is shutting down: the block is left uncommitted, so the ingestor stops
 * the chain (or, at shutdown, simply does not move the cursor) and a restart delivers it again.
 *
 * @example
 * throw new ModuleEventError({ module: 'twap-monitor', event: 'block 12', cause: error })
 */
export class ModuleEventError extends ShepherdError {
  override name = 'ModuleEventError'
  readonly module: string

  constructor(parameters: { module: string; event: string; cause: unknown }) {
    super(`Module "${parameters.module}" could not process ${parameters.event}`, {
      details: [`module: ${parameters.module}`, `event: ${parameters.event}`, `error: ${errorMessage(parameters.cause)}`],
      hint: "The block is not committed: a restart delivers it again. The module's log lines say why it failed.",
      cause: parameters.cause,
      action: 'stop',
    })
    this.module = parameters.module
  }
}
