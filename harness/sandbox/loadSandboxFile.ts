import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { ConfigError } from '../../engine/errors/config.ts'
import { expandDeep, unresolvedReferences } from './expandVariables.ts'
import { readySchema, sandboxFileSchema, serviceName, type HealthCheckSpec, type SandboxFile } from './sandboxFileSchema.ts'

export type LoadSandboxFileParameters = {
  /** The repository that opts in (holds `e2e/e2e.yml`). */
  repo: string
  /** The environment `${VAR:-default}` reads. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>
}

export type LoadSandboxFileReturnType = { file: string; repo: string; spec: SandboxFile }

/** Where a repository declares its sandbox. */
export const sandboxFilePath = join('e2e', 'e2e.yml')

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 200) ?? String(value))

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined
  return current
}

/** Turns the first zod issue into a ConfigError naming the file, the dotted key, what was expected and found. */
function toConfigError(file: string, error: z.ZodError, raw: unknown, prefix: string): ConfigError {
  let issue = error.issues[0]!
  let base: PropertyKey[] = []
  // A union (the readiness strategies, the orderbook) reports one list of issues per branch: name
  // the branch the value meant (the one that got past its own keys), so the error points at the field.
  while (issue.code === 'invalid_union') {
    const here = [...base, ...issue.path]
    // The branch meant is one whose first complaint is about a key the value does have.
    const branch = issue.errors.find((issues) => issues[0] && issues[0].path.length > 0 && at(raw, [...here, issues[0].path[0]!]) !== undefined)
    if (!branch) break
    base = [...base, ...issue.path]
    issue = branch[0]!
  }
  if (base.length) issue = { ...issue, path: [...base, ...issue.path] }
  const path = issue.path.map(String)
  const join = (parts: string[]) => [prefix, ...parts].filter(Boolean).join('.')
  if (issue.code === 'unrecognized_keys') {
    const key = join([...path, issue.keys[0]!])
    return new ConfigError(`Unknown key ${key} in ${file}`, { file, key, expected: 'only the keys the contract defines (see docs/operations/sandbox-runbook.md)', found: `${issue.keys.join(', ')}` })
  }
  const key = join(path) || '(root)'
  return new ConfigError(`Bad ${key} in ${file}`, { file, key, expected: issue.message.replace(/^Invalid input: /, ''), found: show(at(raw, issue.path)) })
}

/**
 * Reads and validates a repository's `e2e/e2e.yml`: YAML, then `${VAR:-default}` expanded from the
 * environment, then the schema. Every bad field is a `ConfigError` naming the file, the key, what
 * was expected and what was found. `${services.<name>.<field>}` references must name a declared
 * service; they are resolved once the sandbox has its ports.
 *
 * @example
 * const { spec } = loadSandboxFile({ repo: 'fixtures/sandbox/passing' })
 * spec.test_command // 'node -e "..."'
 */
export function loadSandboxFile({ repo, env = process.env }: LoadSandboxFileParameters): LoadSandboxFileReturnType {
  const root = resolve(repo)
  const path = join(root, sandboxFilePath)
  const file = relative(process.cwd(), path) || path
  if (!existsSync(path)) throw new ConfigError(`No ${sandboxFilePath} in ${root}`, { file, expected: `a file ${sandboxFilePath} declaring the stack and test_command`, found: 'no such file', hint: 'See docs/operations/sandbox-runbook.md for the contract.' })
  const document = parseDocument(readFileSync(path, 'utf8'))
  if (document.errors.length) {
    const first = document.errors[0]!
    throw new ConfigError(`${file} is not valid YAML`, { file, expected: 'YAML', found: `${first.message.split('\n')[0]} (line ${first.linePos?.[0].line ?? '?'})` })
  }
  const missing: string[] = []
  const raw = expandDeep(document.toJS(), { env, onMissing: (name) => missing.push(name) })
  if (missing.length) throw new ConfigError(`\${${missing[0]}} is not set (used in ${file})`, { file, key: missing[0], expected: `the environment variable ${missing[0]} set, or a default: \${${missing[0]}:-value}`, found: 'unset or empty' })
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${file} is not a mapping`, { file, expected: 'a mapping with name, stack, test_command...', found: show(raw) })
  const parsed = sandboxFileSchema.safeParse(raw)
  if (!parsed.success) throw toConfigError(file, parsed.error, raw, '')
  const spec = parsed.data
  const checks: HealthCheckSpec[] = spec.health_checks.map((entry, index) => {
    const key = `health_checks.${index}`
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new ConfigError(`Bad ${key} in ${file}`, { file, key, expected: '{ name, url | log | port | command | all_of, timeout? }', found: show(entry) })
    const { name, ...ready } = entry as Record<string, unknown>
    const named = serviceName.safeParse(name)
    if (!named.success) throw new ConfigError(`Bad ${key}.name in ${file}`, { file, key: `${key}.name`, expected: 'a check name: letters, digits, - and _', found: show(name) })
    const strategy = readySchema.safeParse(ready)
    if (!strategy.success) throw toConfigError(file, strategy.error, ready, key)
    return { name: named.data, ...strategy.data }
  })
  // Every ${services.X.field} must name a service the stack declares, and a field it has.
  const services = declaredServices(spec)
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      for (const reference of unresolvedReferences(value)) {
        const [, service, field] = reference.split('.')
        const fields = services[service ?? '']
        if (!fields || !fields.includes(field ?? ''))
          throw new ConfigError(`Unknown reference \${${reference}} in ${file}`, { file, key, expected: `\${services.<name>.<field>} with one of: ${Object.entries(services).map(([n, f]) => `${n}.{${f.join(',')}}`).join(', ') || '(no services declared)'}`, found: reference })
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${key}.${i}`))
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k)
  }
  walk(raw, '')
  return { file, repo: root, spec: { ...spec, health_checks: checks } }
}

/**
 * The services a file declares and the fields `${services.<name>.<field>}` may read from each.
 *
 * @example
 * declaredServices({ stack: { processes: [{ name: 'bot', command: 'node bot.js' }] } }) // { bot: ['port', 'url'] }
 */
export function declaredServices(spec: Pick<SandboxFile, 'stack'>): Record<string, string[]> {
  const services: Record<string, string[]> = {}
  if (spec.stack.devnet) services.devnet = ['port', 'url', 'rpc_url', 'ws_url']
  if (spec.stack.orderbook) services.orderbook = ['port', 'url']
  if (spec.stack.engine) services.engine = ['port', 'url']
  for (const p of spec.stack.processes ?? []) services[p.name] = ['port', 'url']
  return services
}
