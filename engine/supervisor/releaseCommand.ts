import { ConfigError } from '../errors/config.ts'
import { loadConfig } from '../config/loadConfig.ts'
import { splitBind } from '../metrics/splitBind.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type ReleaseCommandIo = {
  fetch?: typeof fetch
  out?: (line: string) => void
  err?: (line: string) => void
  /** Where SHEPHERD_ADMIN_TOKEN and the config's ${ENV} references are read; process.env by default. */
  env?: NodeJS.ProcessEnv
}

const usage = 'usage: shepherd release <module> [--config engine.toml] [--admin http://127.0.0.1:9100]'
const defaultAdmin = 'http://127.0.0.1:9100'

type Parsed = { module: string; admin: string | undefined; config: string | undefined } | { error: string }

function parse(argv: readonly string[]): Parsed {
  const options: { admin?: string; config?: string } = {}
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const option = /^--(admin|config)(?:=(.*))?$/.exec(arg)
    if (option) {
      const value = option[2] ?? argv[++i]
      if (value === undefined) return { error: option[1] === 'admin' ? '--admin needs a URL, e.g. --admin http://127.0.0.1:9100' : '--config needs a file, e.g. --config engine.toml' }
      options[option[1] as 'admin' | 'config'] = value
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` }
    else positional.push(arg)
  }
  if (positional.length !== 1) return { error: positional.length === 0 ? 'missing <module>' : `expected one module, found ${positional.join(' ')}` }
  if (options.admin !== undefined && !/^https?:\/\/[^/]+/.test(options.admin)) return { error: `--admin must be an http(s):// URL, found ${JSON.stringify(options.admin)}` }
  return { module: positional[0]!, admin: options.admin?.replace(/\/+$/, ''), config: options.config }
}

/** The admin URL for a metrics bind: a wildcard bind is reached through loopback. */
function adminUrlOf(bind: string) {
  const { host, port } = splitBind(bind)
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`
}

/**
 * `shepherd release <module> [--config engine.toml] [--admin URL]`: asks a running engine to
 * un-park a poisoned module (POST /admin/modules/<module>/release) and prints the answer. With
 * `--config`, the admin URL comes from `[engine.metrics] bind` and the token from
 * `[engine.admin] token`; otherwise the token is `SHEPHERD_ADMIN_TOKEN` when set (never a command
 * line argument, which other users can read in the process list). The token is sent as
 * `Authorization: Bearer <token>`. Resolves to the exit code: 0 released, 1 refused or
 * unreachable, 2 bad usage or a bad config.
 *
 * @example
 * process.exitCode = await releaseCommand(['twap-monitor', '--config', 'engine.toml'])
 */
export async function releaseCommand(argv: readonly string[], io: ReleaseCommandIo = {}): Promise<number> {
  const { fetch: doFetch = fetch, out = (l: string) => console.log(l), err = (l: string) => console.error(l), env = process.env } = io
  const parsed = parse(argv)
  if ('error' in parsed) {
    err(`shepherd release: ${parsed.error}`)
    err(usage)
    return 2
  }
  let admin = parsed.admin
  let token = env.SHEPHERD_ADMIN_TOKEN || undefined
  if (parsed.config !== undefined) {
    try {
      const config = loadConfig(parsed.config, env)
      admin ??= adminUrlOf(config.engine.metrics.bind)
      token = config.engine.admin.token ?? token
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      err(`shepherd release: ${error.message}`)
      return 2
    }
  }
  const url = `${admin ?? defaultAdmin}/admin/modules/${encodeURIComponent(parsed.module)}/release`
  let response: Response
  try {
    response = await doFetch(url, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) })
  } catch (error) {
    err(`shepherd release: cannot reach ${url}: ${errorMessage(error)}`)
    err('Is the engine running with [engine.metrics] enabled = true, and is --admin its metrics bind address?')
    return 1
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (an older engine, another server): print it as it came.
  }
  const error = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : undefined
  if (response.ok) {
    out(`released ${parsed.module}`)
    out(JSON.stringify(body, null, 2))
    return 0
  }
  err(`shepherd release: ${error ?? `HTTP ${response.status}`}`)
  if (response.status === 401 || response.status === 403)
    err(token ? 'The engine refused this token: is it the [engine.admin] token of the running engine?' : 'Pass --config engine.toml (reads [engine.admin] token) or set SHEPHERD_ADMIN_TOKEN.')
  if (typeof body !== 'string') err(JSON.stringify(body, null, 2))
  else if (body) err(body)
  return 1
}
