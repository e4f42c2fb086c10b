import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse, TomlError } from 'smol-toml'
import { ConfigError } from '../errors/config.ts'
import { parseWithEnvTypes } from './parseWithEnvTypes.ts'
import { engineConfigSchema, type EngineConfig } from './schema.ts'
import { substituteEnv } from './substituteEnv.ts'

export type ParseConfigParameters = {
  /** The TOML text. */
  text: string
  /** The file name used in messages and to resolve relative paths. */
  file: string
  env?: NodeJS.ProcessEnv
}

/**
 * Parses and validates an engine.toml text. Throws `ConfigError` naming the file, the key, what was
 * expected and what was found.
 *
 * @example
 * const config = parseConfig({ text: '[chains.11155111]\nrpc_url = "http://127.0.0.1:8545"', file: 'engine.toml' })
 */
export function parseConfig({ text, file, env = process.env }: ParseConfigParameters): EngineConfig {
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    if (error instanceof TomlError)
      throw new ConfigError(`Malformed TOML at line ${error.line}, column ${error.column}`, {
        file,
        expected: 'valid TOML',
        found: error.message.split('\n')[0] ?? 'a syntax error',
        hint: error.message.split('\n').slice(1).join('\n').trim() || undefined,
        cause: error,
      })
    throw error
  }
  const { value, whole } = substituteEnv(document, env, file)
  const data = parseWithEnvTypes({ schema: engineConfigSchema, input: value, whole, file })
  const chains = new Map(Object.entries(data.chains).map(([id, chain]) => [Number(id), chain]))
  for (const [index, entry] of data.modules.entries())
    for (const [at, chainId] of (entry.chains ?? []).entries())
      if (!chains.has(chainId))
        throw new ConfigError(`Module "${entry.name}" is set to run on chain ${chainId}, which has no [chains.${chainId}] table`, {
          file,
          key: `modules.${index}.chains.${at}`,
          expected: `one of the configured chains (${[...chains.keys()].join(', ')})`,
          found: String(chainId),
          hint: `add a [chains.${chainId}] table with its rpc_url, or remove ${chainId} from the module's chains`,
        })
  return { ...data, chains, file }
}

/** Reads and validates an engine.toml file. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const file = resolve(path)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError('Cannot read the config file', {
      file,
      expected: 'a readable engine.toml',
      found: (error as NodeJS.ErrnoException).code ?? String(error),
      cause: error,
    })
  }
  return parseConfig({ text, file, env })
}
