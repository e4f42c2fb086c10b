import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { expandDeep } from './expandVariables.ts'
import { loadSandboxFile } from './loadSandboxFile.ts'
import { postResult } from './postResult.ts'
import { provisionSandbox, type ProvisionSandboxReturnType } from './provisionSandbox.ts'
import type { ReadySpec } from './sandboxFileSchema.ts'
import type { SandboxResult } from './sandboxResult.ts'
import { runTestCommand } from './runTestCommand.ts'
import { startReaper } from './startReaper.ts'
import { describeReady, waitForReady } from './waitForReady.ts'

export type RunSandboxParameters = {
  /** The repository holding `e2e/e2e.yml`. */
  repo: string
  /** Keep the sandbox folder whatever `cleanup` says (`--keep`). */
  keep?: boolean
  /** The environment `${VAR:-default}` reads and the services inherit. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>
  /** Progress lines. Default console.info with a `[sandbox]` prefix. */
  log?: (line: string) => void
  /** Echo the test command's output lines. Default true. */
  echoTestOutput?: boolean
  /** POST retries and backoff for `report.url` (tests shorten them). */
  reportRetry?: { retries?: number; backoffMs?: number }
  /** Stops the run early (SIGINT/SIGTERM in the CLI): the test command's tree is ended, teardown and the result follow as always. */
  signal?: AbortSignal
  /** Called once the stack is up, before the health checks (tests use it to look at the live sandbox). */
  onProvisioned?: (info: { dir: string; project: string; reaperPid: number; stack: ProvisionSandboxReturnType }) => void
}

/** A Shepherd error's whole message (its details carry the last output seen); anything else on one line. */
const fullMessage = (error: unknown) => (error instanceof ShepherdError ? error.message : errorMessage(error))

function gitCommit(repo: string): string | null {
  const out = spawnSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 10_000 })
  return out.status === 0 ? out.stdout.trim() : null
}

/**
 * Runs a repository's sandbox contract: validates `e2e/e2e.yml` (a bad file throws `ConfigError`
 * before anything starts), provisions the stack in its own folder under a unique project name with
 * a reaper watching this process, waits for every health check (each with its own timeout), runs
 * the test command with the services' environment and a hard timeout on its whole process tree,
 * tears down (processes always end; the folder follows `cleanup`, `keep` overrides), POSTs the
 * result to `report.url` if set, and resolves with the structured result. It never throws after
 * the file is valid: every failure is in the result.
 *
 * @example
 * const result = await runSandbox({ repo: 'fixtures/sandbox/passing' })
 * result.verdict // { pass: true, reason: 'test_command exited 0' }
 */
export async function runSandbox({ repo, keep = false, env = process.env, log = (line) => console.info(`[sandbox] ${line}`), echoTestOutput = true, reportRetry, onProvisioned, signal }: RunSandboxParameters): Promise<SandboxResult> {
  const { spec, file, repo: root } = loadSandboxFile({ repo, env })
  const startedAt = new Date()
  const project = `shepherd-${spec.name.toLowerCase()}-${randomUUID().slice(0, 8)}`
  const dir = mkdtempSync(join(tmpdir(), `shepherd-sandbox-${spec.name}-`))
  mkdirSync(join(dir, 'logs'))
  const reaper = startReaper()
  // A folder the run is told to keep is not the reaper's to remove either.
  if (!keep && spec.cleanup !== 'never') reaper.track({ dir })
  log(`sandbox ${project} in ${dir} (${file}; reaper pid ${reaper.pid})`)
  const teardown: Array<{ step: string; run: () => Promise<void> }> = []
  const result: SandboxResult = {
    schema: 'shepherd.sandbox.result/1',
    name: spec.name,
    repo: { path: root, commit: gitCommit(root) },
    project,
    dir,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    stack: [],
    healthChecks: spec.health_checks.map((c) => ({ name: c.name, strategy: describeReady(c), ready: false })),
    test: null,
    teardown: { policy: spec.cleanup, keep, steps: [], dirRemoved: false, ok: true },
    report: null,
    verdict: { pass: false, reason: 'not run' },
  }
  try {
    const stack = await provisionSandbox({ spec, file, repo: root, dir, project, env, reaper, teardown, log })
    result.stack = stack.services
    signal?.throwIfAborted()
    onProvisioned?.({ dir, project, reaperPid: reaper.pid, stack })
    const testEnv = { ...env, ...stack.env }
    const allLines = () => stack.processes.flatMap((p) => p.lines())
    // The first check that fails stops the others (they would poll on past the teardown).
    const checksDone = new AbortController()
    const checksSignal = signal ? AbortSignal.any([signal, checksDone.signal]) : checksDone.signal
    await Promise.all(
      spec.health_checks.map(async ({ name, ...ready }, index) => {
        const expanded = expandDeep(ready, { env: testEnv, services: stack.values }) as ReadySpec
        const from = 'log' in expanded && expanded.from !== undefined ? stack.processes.find((p) => p.name === expanded.from) : undefined
        try {
          const { readyInMs } = await waitForReady({ name: `health check ${name}`, spec: expanded, lines: from ? from.lines : allLines, cwd: root, env: testEnv, log, signal: checksSignal })
          result.healthChecks[index] = { name, strategy: describeReady(expanded), ready: true, readyInMs }
          log(`health check ${name} ready in ${readyInMs} ms`)
        } catch (error) {
          if (!checksDone.signal.aborted) result.healthChecks[index] = { name, strategy: describeReady(expanded), ready: false, error: fullMessage(error) }
          checksDone.abort()
          throw error
        }
      }),
    )
    let testGroup: number | undefined
    const test = await runTestCommand({
      command: spec.test_command,
      cwd: root,
      env: testEnv,
      timeoutMs: spec.timeout * 1000,
      logFile: join(dir, 'logs', 'test_command.log'),
      signal,
      onLine: echoTestOutput ? (line) => log(`| ${line}`) : undefined,
      onStart: (pgid) => {
        testGroup = pgid
        reaper.track({ group: pgid })
        log(`running (pid ${pgid}, timeout ${spec.timeout} s): ${spec.test_command}`)
      },
    })
    if (testGroup !== undefined && test.left.length === 0) reaper.untrack({ group: testGroup })
    const { interrupted, ...measured } = test
    result.test = { command: spec.test_command, timeoutMs: spec.timeout * 1000, ...measured }
    if (interrupted) result.verdict = { pass: false, reason: `interrupted (${String(signal?.reason ?? 'aborted')}) while test_command ran; its process tree was ended` }
    else if (test.timedOut) result.verdict = { pass: false, reason: `test_command passed its timeout of ${spec.timeout} s; its process tree was ended${test.left.length ? ` (but ${test.left.length} process(es) survived)` : ''}` }
    else if (test.exitCode !== 0) result.verdict = { pass: false, reason: `test_command exited ${test.exitCode ?? `by signal ${test.signal}`}` }
    else result.verdict = { pass: true, reason: 'test_command exited 0' }
  } catch (error) {
    result.error = fullMessage(error)
    result.verdict = { pass: false, reason: signal?.aborted ? `interrupted (${String(signal.reason)}): ${errorMessage(error)}` : errorMessage(error) }
  } finally {
    // Processes always end: nothing of the stack runs after the command returns.
    for (const { step, run } of teardown.reverse()) {
      try {
        await run()
        result.teardown.steps.push({ step, ok: true })
      } catch (error) {
        result.teardown.steps.push({ step, ok: false, error: errorMessage(error) })
      }
    }
    const removeDir = !keep && (spec.cleanup === 'always' || (spec.cleanup === 'on_success' && result.verdict.pass))
    if (removeDir) {
      try {
        rmSync(dir, { recursive: true, force: true })
        result.teardown.dirRemoved = true
        result.teardown.steps.push({ step: 'remove sandbox folder', ok: true })
      } catch (error) {
        result.teardown.steps.push({ step: 'remove sandbox folder', ok: false, error: errorMessage(error) })
      }
    } else log(`sandbox folder kept: ${dir} (cleanup ${spec.cleanup}${keep ? ', --keep' : ''}); logs in ${join(dir, 'logs')}`)
    result.teardown.ok = result.teardown.steps.every((s) => s.ok)
    reaper.release()
  }
  if (!result.teardown.ok && result.verdict.pass) result.verdict = { pass: false, reason: `teardown failed: ${result.teardown.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.error}`).join('; ')}` }
  result.durationMs = Date.now() - startedAt.getTime()
  if (spec.report?.url) {
    result.report = await postResult({ url: spec.report.url, result, retries: spec.report.retries ?? reportRetry?.retries, backoffMs: reportRetry?.backoffMs })
    log(result.report.delivered ? `result posted to ${spec.report.url}` : `result NOT posted to ${spec.report.url} after ${result.report.attempts} attempt(s): ${result.report.error} (the verdict is unchanged)`)
  }
  log(`verdict: ${result.verdict.pass ? 'PASS' : 'FAIL'}: ${result.verdict.reason}`)
  return result
}
