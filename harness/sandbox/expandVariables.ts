/** Values for `${services.<name>.<field>}` references: service name -> field -> value. */
export type ServiceValues = Readonly<Record<string, Readonly<Record<string, string | number>>>>

export type ExpandVariablesParameters = {
  /** The environment `${VAR}` and `${VAR:-default}` read. */
  env: Readonly<Record<string, string | undefined>>
  /** Known services; a reference to one not here is left as written (resolved in a later pass). */
  services?: ServiceValues
  /** Called for `${VAR}` with no default and no value; default: expands to ''. */
  onMissing?: (name: string) => void
}

// ${NAME}, ${NAME:-default}, ${services.x.port}. Names follow the shell's rule; service names may hold '-'.
const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]*|services\.[A-Za-z0-9_-]+\.[A-Za-z_]+)(:-([^}]*))?\}/g

/**
 * Expands `${VAR}`, `${VAR:-default}` (the default when VAR is unset or empty, as in a shell) and
 * `${services.<name>.<field>}` in one string. `${PORT}` is left alone: a process gets its own PORT,
 * expanded when it starts. A service reference not yet known is left as written, so the file can be
 * expanded once before ports exist and once after.
 *
 * @example
 * expandVariables('http://127.0.0.1:${services.bot.port}/${P:-x}', { env: {}, services: { bot: { port: 4000 } } })
 * // 'http://127.0.0.1:4000/x'
 */
export function expandVariables(text: string, { env, services, onMissing }: ExpandVariablesParameters): string {
  return text.replace(pattern, (whole, name: string, hasDefault: string | undefined, fallback: string | undefined) => {
    if (name.startsWith('services.')) {
      const [, service, field] = name.split('.') as [string, string, string]
      const value = services?.[service]?.[field]
      return value === undefined ? whole : String(value)
    }
    if (name === 'PORT' && env.PORT === undefined) return whole
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (hasDefault !== undefined) return fallback ?? ''
    onMissing?.(name)
    return ''
  })
}

/**
 * Expands every string inside a parsed YAML value (objects and arrays walked, keys left alone).
 *
 * @example
 * expandDeep({ a: ['${X:-1}'] }, { env: {} }) // { a: ['1'] }
 */
export function expandDeep(value: unknown, parameters: ExpandVariablesParameters): unknown {
  if (typeof value === 'string') return expandVariables(value, parameters)
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, parameters))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDeep(v, parameters)]))
  return value
}

/**
 * The `${services.<name>.<field>}` references still unresolved in a string (after the last pass:
 * each one is an error naming it).
 *
 * @example
 * unresolvedReferences('${services.nope.port}') // ['services.nope.port']
 */
export function unresolvedReferences(text: string): string[] {
  return [...text.matchAll(/\$\{(services\.[^}]*)\}/g)].map((m) => m[1]!)
}
