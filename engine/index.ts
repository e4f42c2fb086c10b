/**
 * @packageDocumentation
 * `shepherd`: the engine as a library. Start it on a config, load and validate configs, and catch
 * the errors an operator meets. The module contract lives in `shepherd/sdk`, the test harness in
 * `shepherd/harness`. Explicit names only: what is exported here is the public API (see docs/semver.md).
 *
 * @example
 * import { loadConfig, startEngine } from 'shepherd'
 * const engine = await startEngine({ config: loadConfig('engine.toml') })
 * process.on('SIGTERM', () => engine.stop())
 *
 * @module shepherd
 */

// Running the engine.
export { startEngine } from './startEngine.ts'
export type { Engine, StartEngineParameters } from './startEngine.ts'
export { createLogger } from './host/createLogger.ts'
export type { LogLevel, Logger, LoggerParameters } from './host/createLogger.ts'

// Configuration.
export { loadConfig, parseConfig } from './config/loadConfig.ts'
export type { ParseConfigParameters } from './config/loadConfig.ts'
export type { AdminConfig, ChainConfig, EngineConfig, EngineConfigInput, ModuleEntry, SupervisorConfig } from './config/schema.ts'

// Errors an operator meets (every one is a ShepherdError: short message, details, action).
export { ShepherdError } from '../modules/sdk/errors/base.ts'
export type { ErrorAction, ShepherdErrorParameters } from '../modules/sdk/errors/base.ts'
export { ConfigError, StateDirLockedError } from './errors/config.ts'
export type { ConfigErrorParameters, StateDirLockedErrorParameters } from './errors/config.ts'
export { ChainGapError, ChainIdMismatchError } from './errors/ingest.ts'
export { ModuleEventError } from './errors/dispatch.ts'
export { ChainMethodNotAllowedError } from './errors/host.ts'
export { ModuleTrapError, isModuleTrapError } from './runner/ModuleTrapError.ts'
export type { ModuleTrapErrorParameters, TrapKind } from './runner/ModuleTrapError.ts'
export { StoreWriteError } from './store/StoreWriteError.ts'
export type { StoreWriteErrorParameters } from './store/StoreWriteError.ts'
