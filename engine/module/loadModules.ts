import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import type { EngineConfig, ModuleEntry } from '../config/schema.ts'
import { configErrorFromZod } from '../config/zodIssue.ts'
import { ConfigError } from '../errors/config.ts'
import { resolveSubscriptions } from './defineModule.ts'
import type { ModuleDefinition, Subscriptions } from './types.ts'

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

function isModuleDefinition(value: unknown): value is ModuleDefinition<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' && 'subscriptions' in value
}

/** Where a module entry's code lives: its `path` (relative to the config file), or modules/<name>/index.ts. */
export function moduleUrl(entry: ModuleEntry, configFile: string): string {
  const file = entry.path ? resolve(dirname(configFile), entry.path) : resolve(modulesRoot, entry.name, 'index.ts')
  return pathToFileURL(file).href
}

/** Imports one module and validates its config; errors are ConfigErrors naming the module entry. */
export async function loadModule(entry: ModuleEntry, index: number, config: Pick<EngineConfig, 'file' | 'chains'>): Promise<LoadedModule> {
  const key = `modules.${index}`
  const url = moduleUrl(entry, config.file)
  if (!existsSync(fileURLToPath(url)))
    throw new ConfigError(`Module "${entry.name}" not found`, {
      file: config.file,
      key: entry.path ? `${key}.path` : `${key}.name`,
      expected: entry.path ? 'a module file' : 'a built-in module name, or a path = "./my-module.ts"',
      found: entry.path ? fileURLToPath(url) : JSON.stringify(entry.name),
    })
  const imported: Record<string, unknown> = await import(url)
  const definition = imported.default ?? imported.module
  if (!isModuleDefinition(definition))
    throw new ConfigError(`Module file does not export a module`, {
      file: config.file,
      key,
      expected: 'export default defineModule({...})',
      found: `exports: ${Object.keys(imported).join(', ') || 'none'}`,
    })
  if (entry.path === undefined && definition.name !== entry.name)
    throw new ConfigError(`Module name mismatch`, { file: config.file, key: `${key}.name`, expected: definition.name, found: entry.name })

  let moduleConfig: unknown = entry.config
  if (definition.config) {
    try {
      moduleConfig = definition.config.parse(entry.config)
    } catch (error) {
      if (error instanceof z.ZodError) throw configErrorFromZod(error, entry.config, config.file, [key, 'config'])
      throw new ConfigError(`Invalid config for module "${entry.name}"`, {
        file: config.file,
        key: `${key}.config`,
        expected: 'a config the module accepts',
        found: error instanceof Error ? error.message : String(error),
        cause: error,
      })
    }
  }

  const subscriptions = resolveSubscriptions(definition, moduleConfig)
  const chainIds = new Set([...(subscriptions.blocks ?? []), ...(subscriptions.logs ?? [])].map((s) => s.chainId))
  for (const chainId of chainIds)
    if (!config.chains.has(chainId))
      throw new ConfigError(`Module "${entry.name}" needs chain ${chainId}, which is not configured`, {
        file: config.file,
        key: `chains.${chainId}`,
        expected: `a [chains.${chainId}] table with an rpc_url`,
        found: `chains: ${[...config.chains.keys()].join(', ') || 'none'}`,
      })
  return { definition, config: moduleConfig, subscriptions, entry, url }
}

/** Loads every enabled module of the config; two modules may not share a name. */
export async function loadModules(config: EngineConfig): Promise<LoadedModule[]> {
  const loaded: LoadedModule[] = []
  const seen = new Set<string>()
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
    loaded.push(await loadModule(entry, index, config))
  }
  return loaded
}
