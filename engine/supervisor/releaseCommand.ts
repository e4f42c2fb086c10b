export type ReleaseCommandIo = {
  fetch?: typeof fetch
  out?: (line: string) => void
  err?: (line: string) => void
}

const usage = 'usage: shepherd release <module> [--admin http://127.0.0.1:9100]'
const defaultAdmin = 'http://127.0.0.1:9100'

type Parsed = { module: string; admin: string } | { error: string }

function parse(argv: readonly string[]): Parsed {
  let admin = defaultAdmin
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--admin') {
      const value = argv[++i]
      if (value === undefined) return { error: '--admin needs a URL, e.g. --admin http://127.0.0.1:9100' }
      admin = value
    } else if (arg.startsWith('--admin=')) admin = arg.slice('--admin='.length)
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` }
    else positional.push(arg)
  }
  if (positional.length !== 1) return { error: positional.length === 0 ? 'missing <module>' : `expected one module, found ${positional.join(' ')}` }
  if (!/^https?:\/\/[^/]+/.test(admin)) return { error: `--admin must be an http(s):// URL, found ${JSON.stringify(admin)}` }
  return { module: positional[0]!, admin: admin.replace(/\/+$/, '') }
}

/**
 * `shepherd release <module> [--admin URL]`: asks a running engine to un-park a poisoned module
 * (POST /admin/modules/<module>/release) and prints the answer. Resolves to the exit code: 0 released,
 * 1 refused or unreachable, 2 bad usage.
 *
 * @example
 * process.exitCode = await releaseCommand(['twap-monitor', '--admin', 'http://127.0.0.1:9100'])
 */
export async function releaseCommand(argv: readonly string[], io: ReleaseCommandIo = {}): Promise<number> {
  const { fetch: doFetch = fetch, out = (l: string) => console.log(l), err = (l: string) => console.error(l) } = io
  const parsed = parse(argv)
  if ('error' in parsed) {
    err(`shepherd release: ${parsed.error}`)
    err(usage)
    return 2
  }
  const url = `${parsed.admin}/admin/modules/${encodeURIComponent(parsed.module)}/release`
  let response: Response
  try {
    response = await doFetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) })
  } catch (error) {
    err(`shepherd release: cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`)
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
  if (typeof body !== 'string') err(JSON.stringify(body, null, 2))
  else if (body) err(body)
  return 1
}
