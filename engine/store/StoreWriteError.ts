import { ShepherdError } from '../../modules/sdk/errors/base.ts'

export type StoreWriteErrorParameters = {
  /** `engine` or `module:<name>`. */
  database: string
  /** How many writes the failed transaction held; none of them is on disk. */
  writes: number
  cause: unknown
}

/**
 * lmdb refused a transaction (disk full, I/O error, a closed environment): none of its writes is
 * stored, and the reads of the module no longer see them. The event they belong to was not
 * processed and is run again; this is the engine's fault, not the module's, so it never counts as a
 * module trap or parks a module.
 *
 * @example
 * try { await moduleStore.commit() } catch (error) { if (error instanceof StoreWriteError) retryLater() }
 */
export class StoreWriteError extends ShepherdError {
  override name = 'StoreWriteError'
  readonly database: string

  constructor({ database, writes, cause }: StoreWriteErrorParameters) {
    super(`lmdb refused a write to ${database}`, {
      details: [`database: ${database}`, `writes in the transaction: ${writes} (none stored)`],
      hint: 'The event is retried with backoff. Check the state_dir disk (space, permissions, I/O errors).',
      cause,
      action: 'retry',
    })
    this.database = database
  }
}
