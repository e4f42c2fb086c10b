import { ConfigError } from '../errors/config.ts'

/** A value that was exactly one `${...}` reference: it may become a number or boolean where the schema wants one. */
export type EnvReference = { variable: string; text: string }

export type SubstituteEnvReturnType = {
  value: unknown
  /** Keys (dotted paths) whose whole string was one `${...}` reference, e.g. `chains.1.poll_interval_ms`. */
  whole: Map<string, EnvReference>
}

// `$${` (a literal `${`), or `${NAME}`, `${NAME-default}`, `${NAME:-default}`; a `${` matching
// neither (no closing brace, a bad name) leaves group 1 unset and is an error.
const token = /\$\$\{|\$\{(?:([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-)([^}]*))?\})?/g
const wholeReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}$/

function substituteString(text: string, env: NodeJS.ProcessEnv, file: string, key: string): string {
  return text.replace(token, (match, name: string | undefined, operator: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    if (name === undefined)
      throw new ConfigError('Malformed ${...} reference', {
        file,
        key,
        expected: '${NAME}, ${NAME-default} or ${NAME:-default}; write $${ for a literal ${',
        found: JSON.stringify(text),
      })
    const found = env[name]
    if (found !== undefined && !(operator === ':-' && found === '')) return found
    if (operator !== undefined) return fallback ?? ''
    throw new ConfigError(`Environment variable ${name} is not set`, {
      file,
      key,
      expected: `\${${name}} to be set in the environment`,
      found: 'unset',
      hint: `Export ${name}, or write \${${name}:-default} to give a default.`,
    })
  })
}

/**
 * Replaces environment references in every string value of a parsed TOML document, like the shell:
 * - `${NAME}`: the variable's value; an error naming the key when it is unset (set but empty gives "");
 * - `${NAME-default}`: the default only when NAME is unset;
 * - `${NAME:-default}`: the default when NAME is unset or empty;
 * - `$${`: a literal `${` (a `${` that is not a reference is an error, so nothing is left half-substituted).
 * Defaults are literal text (no nested references). Substituting after parsing keeps the key path
 * for errors and cannot break TOML quoting. Keys whose whole value was one reference are returned
 * in `whole`, so that `"${PORT}"` can become a number where the schema wants one.
 *
 * @example
 * substituteEnv({ engine: { state_dir: '${DIR:-.state}' } }, { DIR: '/var/lib/shepherd' }, 'engine.toml').value
 * // { engine: { state_dir: '/var/lib/shepherd' } }
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, file: string): SubstituteEnvReturnType {
  const whole = new Map<string, EnvReference>()
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === 'string') {
      const key = path.join('.')
      if (wholeReference.test(node)) whole.set(key, { variable: /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(node)![1]!, text: node })
      return substituteString(node, env, file, key)
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, String(index)]))
    if (node !== null && typeof node === 'object' && !(node instanceof Date))
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]))
    return node
  }
  return { value: walk(value, []), whole }
}
