import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/**
 * Why a module's event could not be processed:
 * - `throw`: a handler (or `init`) threw or rejected;
 * - `timeout`: the event ran past the module's `deadline_ms` (its worker was terminated);
 * - `oom`: the worker ran out of its `memory_mb` heap (ERR_WORKER_OUT_OF_MEMORY);
 * - `exit`: the worker died or exited on its own (an uncaught async error, `process.exit`, a failed start).
 */
export type TrapKind = 'throw' | 'timeout' | 'oom' | 'exit'

/** The `kind` label of `shepherd_module_traps_total`: the words an operator reads on a dashboard. */
export const trapMetricKind: Readonly<Record<TrapKind, 'throw' | 'deadline' | 'memory' | 'dead_worker'>> = {
  throw: 'throw',
  timeout: 'deadline',
  oom: 'memory',
  exit: 'dead_worker',
}

export type ModuleTrapErrorParameters = {
  module: string
  kind: TrapKind
  /** What was running: `init`, `block 123`, `logs 123`, `reorg from 120`. */
  during: string
  cause?: unknown
  details?: readonly string[]
}

/**
 * A module trapped: the event was not processed and must be retried after a restart. The supervisor
 * decides by `kind`, never by the message.
 *
 * @example
 * throw new ModuleTrapError({ module: 'twap-monitor', kind: 'timeout', during: 'block 123', details: ['deadline: 200 ms'] })
 */
export class ModuleTrapError extends ShepherdError {
  override name = 'ModuleTrapError'
  readonly module: string
  readonly kind: TrapKind
  readonly during: string

  constructor({ module, kind, during, cause, details = [] }: ModuleTrapErrorParameters) {
    const what = { throw: 'threw', timeout: 'ran past its deadline', oom: 'ran out of memory', exit: 'worker exited' }[kind]
    super(`Module "${module}" ${what} during ${during}`, {
      details: [`module: ${module}`, `trap: ${kind}`, ...details, ...(cause === undefined ? [] : [`cause: ${errorMessage(cause)}`])],
      cause,
      action: 'retry',
      hint: 'The supervisor restarts the module with backoff and retries the same event.',
    })
    this.module = module
    this.kind = kind
    this.during = during
  }
}

/** True for a ModuleTrapError (also one from another copy of this file, by name and kind). */
export function isModuleTrapError(error: unknown): error is ModuleTrapError {
  return error instanceof ModuleTrapError || (error instanceof Error && error.name === 'ModuleTrapError' && typeof (error as { kind?: unknown }).kind === 'string')
}
