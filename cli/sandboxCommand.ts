import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError } from '../engine/errors/config.ts'
import { defaultRemoteCommand, runRemoteSandbox } from '../harness/sandbox/runRemoteSandbox.ts'
import { runSandbox } from '../harness/sandbox/runSandbox.ts'
import { toJUnitXml } from '../harness/sandbox/toJUnitXml.ts'

export const sandboxUsage = 'shepherd e2e <repo-path> [--keep] [--json FILE] [--junit FILE] [--host HOST [--remote-shepherd CMD]]  (runs <repo-path>/e2e/e2e.yml; use "." for this folder; --host runs it over SSH)'

// The signed run's flags that take a value: what follows one of them is its value, not a repo path.
const signedValueFlags = new Set(['--rpc-url', '--orderbook-url', '--metrics-url', '--state', '--out', '--tracked', '--wait-seconds'])
const sandboxFlags = ['--keep', '--json', '--junit', '--host', '--remote-shepherd']

/**
 * The routing rule of `shepherd e2e`: the sandbox contract runs when the arguments name a repository
 * (a positional path: `shepherd e2e .`, `shepherd e2e ../my-bot`) or use one of the contract's own
 * flags (`--keep`, `--json`, `--junit`, `--host`). Everything else is the signed e2e run as before
 * (`shepherd e2e`, `--devnet`, `--rpc-url ...`), so every existing invocation keeps its meaning.
 *
 * @example
 * isSandboxInvocation(['.']) // true
 * isSandboxInvocation(['--devnet']) // false
 * isSandboxInvocation(['--state', 'dir', '--rpc-url', 'http://x']) // false
 */
export function isSandboxInvocation(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (sandboxFlags.some((f) => arg === f || arg.startsWith(`${f}=`))) return true
    if (!arg.startsWith('-') && !signedValueFlags.has(argv[i - 1] ?? '')) return true
  }
  return false
}

/**
 * `shepherd e2e <repo-path> [--keep] [--json FILE] [--junit FILE] [--host HOST]`: runs a repository's
 * sandbox contract (`e2e/e2e.yml`) and always writes the structured result when asked. With `--host`
 * the run happens on that machine over SSH (`runRemoteSandbox`; ssh options from
 * `SHEPHERD_SSH_OPTIONS`, the remote Shepherd from `--remote-shepherd` or `SHEPHERD_REMOTE_COMMAND`)
 * and its result is copied back. Exit 0 PASS, 1 FAIL or SSH failure, 2 bad e2e.yml or usage.
 *
 * @example
 * process.exitCode = await sandboxCommand(['fixtures/sandbox/passing', '--json', 'result.json'])
 */
export async function sandboxCommand(argv: string[], log: (line: string) => void = (line) => console.info(`[sandbox] ${line}`), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { keep: { type: 'boolean', default: false }, json: { type: 'string' }, junit: { type: 'string' }, host: { type: 'string' }, 'remote-shepherd': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  if (positionals.length > 1) throw new ConfigError('One repository path at most', { file: '(command line)', key: 'repo-path', expected: 'one path', found: positionals.join(' '), hint: `Usage: ${sandboxUsage}` })
  if (values.host !== undefined && !/^(?!-)[\w.@:[\]-]+$/.test(values.host))
    throw new ConfigError('Bad --host', { file: '(command line)', key: '--host', expected: 'an ssh destination: host, user@host or an ssh config alias', found: JSON.stringify(values.host), hint: `Usage: ${sandboxUsage}` })
  if (values['remote-shepherd'] !== undefined && values.host === undefined)
    throw new ConfigError('--remote-shepherd needs --host', { file: '(command line)', key: '--remote-shepherd', expected: '--host HOST beside it', found: 'no --host', hint: `Usage: ${sandboxUsage}` })
  // SIGINT/SIGTERM end the run early but orderly: the test command's tree ends, teardown runs and the
  // result is written. (A SIGKILL runs nothing: the reaper cleans up then.)
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals) => {
    log(`${name}: stopping the sandbox (teardown, then the result)`)
    controller.abort(name)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let result: Awaited<ReturnType<typeof runSandbox>>
  let junit: string | undefined
  try {
    const repo = resolve(positionals[0] ?? '.')
    if (values.host === undefined) result = await runSandbox({ repo, keep: values.keep, log, signal: controller.signal })
    else {
      const remoteCommand = values['remote-shepherd'] ?? (env.SHEPHERD_REMOTE_COMMAND || defaultRemoteCommand)
      // Whitespace-separated, no shell quoting: paths with spaces belong in an ssh config file (-F).
      const sshOptions = (env.SHEPHERD_SSH_OPTIONS ?? '').split(/\s+/).filter(Boolean)
      ;({ result, junit } = await runRemoteSandbox({ repo, host: values.host, keep: values.keep, sshOptions, remoteCommand, log, signal: controller.signal }))
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  const write = (file: string, text: string) => {
    mkdirSync(dirname(resolve(file)), { recursive: true })
    writeFileSync(resolve(file), text)
    log(`wrote ${file}`)
  }
  if (values.json) write(values.json, `${JSON.stringify(result, null, 2)}\n`)
  if (values.junit) write(values.junit, junit ?? toJUnitXml(result))
  return result.verdict.pass ? 0 : 1
}
