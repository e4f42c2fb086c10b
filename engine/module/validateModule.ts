import type { z } from 'zod'
import { configErrorFromZod } from '../config/zodIssue.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ConfigError } from '../errors/config.ts'
import { importModuleUrl } from './importModuleUrl.ts'
import { resolveSubscriptions } from '../../modules/sdk/module/defineModule.ts'
import type { ModuleDefinition, Subscriptions } from '../../modules/sdk/module/types.ts'

/**
 * Where a module entry comes from, so a load error names the config file and key. Plain data: it
 * crosses to the module's worker, which loads and validates the module there.
 */
export type ModuleOrigin = {
  /** The engine config file. */
  file: string
  /** The entry's index in `[[modules]]`. */
  index: number
  /** The entry's name. */
  name: string
  /** True for a built-in module (no `path`): its definition must carry the same name. */
  builtIn: boolean
  /** The chain ids the config has; a module subscribing to another one does not load. Undefined: not checked (tests). */
  chains?: readonly number[]
}

export type PreparedModule = { definition: ModuleDefinition<unknown>; config: unknown; subscriptions: Subscriptions }

function isModuleDefinition(value: unknown): value is ModuleDefinition<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' && 'subscriptions' in value
}

// By shape, not `instanceof`: the worker does not load zod for this (a module may not use it).
function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues)
}

/**
 * Imports a module file; a file that does not load (a syntax error, a missing import, a top-level
 * throw) is a ConfigError naming the entry. Whatever runs at the top level runs here: in a worker,
 * under its memory limit and start deadline.
 *
 * @example
 * const imported = await importModuleFile(url, origin)
 */
export async function importModuleFile(url: string, origin: ModuleOrigin): Promise<Record<string, unknown>> {
  try {
    return await importModuleUrl(url)
  } catch (error) {
    throw new ConfigError(`Module "${origin.name}" could not be loaded`, {
      file: origin.file,
      key: origin.builtIn ? `modules.${origin.index}.name` : `modules.${origin.index}.path`,
      expected: 'a module file that imports without error',
      found: errorMessage(error),
      cause: error,
    })
  }
}

/**
 * Checks what a module file exports, parses the entry's config with the module's schema and
 * resolves its subscriptions. Every failure is a ConfigError (action `stop`: retrying cannot help)
 * naming the file, the key, what was expected and what was found.
 *
 * @example
 * const { definition, config, subscriptions } = prepareModule(await importModuleFile(url, origin), rawConfig, origin)
 */
export function prepareModule(imported: Record<string, unknown>, rawConfig: unknown, origin: ModuleOrigin): PreparedModule {
  const key = `modules.${origin.index}`
  const definition = imported.default ?? imported.module
  if (!isModuleDefinition(definition))
    throw new ConfigError(`Module file does not export a module`, {
      file: origin.file,
      key,
      expected: 'export default defineModule({...})',
      found: `exports: ${Object.keys(imported).join(', ') || 'none'}`,
    })
  if (origin.builtIn && definition.name !== origin.name)
    throw new ConfigError(`Module name mismatch`, { file: origin.file, key: `${key}.name`, expected: definition.name, found: origin.name })

  let config: unknown = rawConfig
  if (definition.config) {
    try {
      config = definition.config.parse(rawConfig)
    } catch (error) {
      if (isZodError(error)) throw configErrorFromZod(error, rawConfig, origin.file, [key, 'config'])
      throw new ConfigError(`Invalid config for module "${origin.name}"`, {
        file: origin.file,
        key: `${key}.config`,
        expected: 'a config the module accepts',
        found: errorMessage(error),
        cause: error,
      })
    }
  }

  const subscriptions = resolveSubscriptions(definition, config)
  const chainIds = new Set([...(subscriptions.blocks ?? []), ...(subscriptions.logs ?? [])].map((s) => s.chainId))
  for (const chainId of chainIds)
    if (origin.chains && !origin.chains.includes(chainId))
      throw new ConfigError(`Module "${origin.name}" needs chain ${chainId}, which is not configured`, {
        file: origin.file,
        key: `chains.${chainId}`,
        expected: `a [chains.${chainId}] table with an rpc_url`,
        found: `chains: ${origin.chains?.join(', ') || 'none'}`,
      })
  return { definition, config, subscriptions }
}
