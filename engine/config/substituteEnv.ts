import { ConfigError } from '../errors/config.ts'

const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value of a parsed TOML document.
 * Substituting after parsing keeps the key path for errors and cannot break TOML quoting.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, file: string, path: string[] = []): unknown {
  if (typeof value === 'string')
    return value.replace(pattern, (_match, name: string, fallback: string | undefined) => {
      const found = env[name]
      if (found !== undefined && found !== '') return found
      if (fallback !== undefined) return fallback
      throw new ConfigError(`Environment variable ${name} is not set`, {
        file,
        key: path.join('.'),
        expected: `\${${name}} to be set in the environment`,
        found: 'unset',
        hint: `Export ${name}, or write \${${name}:-default} to give a default.`,
      })
    })
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, file, [...path, String(index)]))
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, file, [...path, k])]))
  return value
}
