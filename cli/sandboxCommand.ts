import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError } from '../engine/errors/config.ts'
import { runSandbox } from '../harness/sandbox/runSandbox.ts'
import { toJUnitXml } from '../harness/sandbox/toJUnitXml.ts'

export const sandboxUsage = 'shepherd e2e <repo-path> [--keep] [--json FILE] [--junit FILE]  (runs <repo-path>/e2e/e2e.yml; use "." for this folder)'

// The signed run's flags that take a value: what follows one of them is its value, not a repo path.
const signedValueFlags = new Set(['--rpc-url', '--orderbook-url', '--metrics-url', '--state', '--out', '--tracked', '--wait-seconds'])
const sandboxFlags = ['--keep', '--json', '--junit', '--host']

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
 * `shepherd e2e <repo-path> [--keep] [--json FILE] [--junit FILE]`: runs a repository's sandbox
 * contract (`e2e/e2e.yml`) and always writes the structured result when asked. Exit 0 PASS, 1 FAIL,
 * 2 bad e2e.yml or usage.
 *
 * @example
 * process.exitCode = await sandboxCommand(['fixtures/sandbox/passing', '--json', 'result.json'])
 */
export async function sandboxCommand(argv: string[], log: (line: string) => void = (line) => console.info(`[sandbox] ${line}`)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { keep: { type: 'boolean', default: false }, json: { type: 'string' }, junit: { type: 'string' }, host: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  if (positionals.length > 1) throw new ConfigError('One repository path at most', { file: '(command line)', key: 'repo-path', expected: 'one path', found: positionals.join(' '), hint: `Usage: ${sandboxUsage}` })
  if (values.host !== undefined)
    throw new ConfigError('--host is not available yet', { file: '(command line)', key: '--host', expected: 'no --host: the SSH provider is not implemented in this version; run shepherd e2e on the host itself', found: values.host, hint: 'See docs/operations/sandbox-runbook.md (what is and is not supported).' })
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
  try {
    result = await runSandbox({ repo: resolve(positionals[0] ?? '.'), keep: values.keep, log, signal: controller.signal })
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
  if (values.junit) write(values.junit, toJUnitXml(result))
  return result.verdict.pass ? 0 : 1
}
