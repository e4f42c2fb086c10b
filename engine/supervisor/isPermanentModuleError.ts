import { ConfigError } from '../errors/config.ts'

/**
 * True when retrying cannot help: a ConfigError in the cause chain, which only loading a module
 * raises (its file does not load, it exports no module, its config fails its schema, it needs a
 * chain that is not configured). Any other error, whatever its `action` (a CowApiError 404, a
 * ChainRequestTooLargeError, a plain ShepherdError), is a trap: restarted with backoff, parked only
 * after repeated traps. The supervisor asks this only for a failure while the module loads.
 *
 * @example
 * isPermanentModuleError(new ModuleTrapError({ module: 'm', kind: 'throw', during: 'start', cause: configError })) // true
 * isPermanentModuleError(new ModuleTrapError({ module: 'm', kind: 'throw', during: 'block 7', cause: new CowApiError({ status: 404 }) })) // false
 */
export function isPermanentModuleError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++) if (current instanceof ConfigError) return true
  return false
}
