import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { EngineConfig, ModuleEntry } from '../config/schema.ts'
import { ConfigError } from '../errors/config.ts'
import { runsFromBuild } from '../packageInfo.ts'
import type { ModuleDefinition, Subscriptions } from '../../modules/sdk/module/types.ts'
import { importModuleFile, prepareModule, type ModuleOrigin } from './validateModule.ts'

const modulesRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../modules')

/** A module ready to run: its definition, parsed config and resolved subscriptions. */
export type LoadedModule = {
  definition: ModuleDefinition<unknown>
  config: unknown
  subscriptions: Subscriptions
  entry: ModuleEntry
  /** Where it was loaded from, for workers that must import it again. */
  url: string
}

/** An enabled `[[modules]]` entry, with where its code is and what a load error must name. */
export type ModuleSource = { entry: ModuleEntry; url: string; origin: ModuleOrigin }

/** Where a module entry's code lives: its `path` (relative to the config file), or modules/<name>/index.ts (index.js in the build). */
export function moduleUrl(entry: ModuleEntry, configFile: string): string {
  const file = entry.path ? resolve(dirname(configFile), entry.path) : resolve(modulesRoot, entry.name, runsFromBuild ? 'index.js' : 'index.ts')
  return pathToFileURL(file).href
}

/**
 * The origin of entry `index`: what a load error names, and the chains a module may use.
 *
 * @example
 * const origin = moduleOrigin(config.modules[0], 0, config) // { file, index: 0, name, builtIn, chains }
 */
export function moduleOrigin(entry: ModuleEntry, index: number, config: Pick<EngineConfig, 'file' | 'chains'>): ModuleOrigin {
  return { file: config.file, index, name: entry.name, builtIn: entry.path === undefined, chains: [...config.chains.keys()] }
}

/**
 * The ConfigError for a module file that is not there (naming the entry's `path` or `name` key).
 *
 * @example
 * if (!existsSync(fileURLToPath(source.url))) throw moduleNotFound(source)
 */
export function moduleNotFound(source: ModuleSource): ConfigError {
  const { entry, url, origin } = source
  return new ConfigError(`Module "${entry.name}" not found`, {
    file: origin.file,
    key: entry.path ? `modules.${origin.index}.path` : `modules.${origin.index}.name`,
    expected: entry.path ? 'a module file' : 'a built-in module name, or a path = "./my-module.ts"',
    found: entry.path ? fileURLToPath(url) : JSON.stringify(entry.name),
  })
}

/**
 * The enabled module entries of a config, WITHOUT importing them: a worker-isolated module is
 * loaded and validated inside its worker only (its top-level code runs under the worker's memory
 * limit and start deadline). Two entries may not share a name (each owns a store namespace).
 *
 * @example
 * for (const source of moduleSources(config)) startWorker(source.url, source.entry.config, source.origin)
 */
export function moduleSources(config: Pick<EngineConfig, 'file' | 'chains' | 'modules'>): ModuleSource[] {
  const seen = new Set<string>()
  const sources: ModuleSource[] = []
  for (const [index, entry] of config.modules.entries()) {
    if (!entry.enabled) continue
    if (seen.has(entry.name))
      throw new ConfigError(`Module "${entry.name}" is listed twice`, {
        file: config.file,
        key: `modules.${index}.name`,
        expected: 'unique module names (each owns a store namespace)',
        found: entry.name,
      })
    seen.add(entry.name)
    sources.push({ entry, url: moduleUrl(entry, config.file), origin: moduleOrigin(entry, index, config) })
  }
  return sources
}

/**
 * Imports one module in this thread and validates its config (in-process modules, replays); errors
 * are ConfigErrors naming the module entry.
 *
 * @example
 * const loaded = await loadModule(config.modules[0], 0, config)
 */
export async function loadModule(entry: ModuleEntry, index: number, config: Pick<EngineConfig, 'file' | 'chains'>): Promise<LoadedModule> {
  return loadModuleSource({ entry, url: moduleUrl(entry, config.file), origin: moduleOrigin(entry, index, config) })
}

/**
 * Imports and validates one module source in this thread (an `isolation = "in-process"` entry).
 *
 * @example
 * const loaded = await loadModuleSource(moduleSources(config)[0])
 */
export async function loadModuleSource(source: ModuleSource): Promise<LoadedModule> {
  if (!existsSync(fileURLToPath(source.url))) throw moduleNotFound(source)
  const prepared = prepareModule(await importModuleFile(source.url, source.origin), source.entry.config, source.origin)
  return { ...prepared, entry: source.entry, url: source.url }
}

/**
 * Loads every enabled module of the config in this thread (replays, records, tests); two modules
 * may not share a name.
 *
 * @example
 * const modules = await loadModules(loadConfig('engine.toml'))
 */
export async function loadModules(config: EngineConfig): Promise<LoadedModule[]> {
  const loaded: LoadedModule[] = []
  for (const source of moduleSources(config)) loaded.push(await loadModuleSource(source))
  return loaded
}
