import { startSandboxProcess } from './startSandboxProcess.ts'

export type RunTestCommandParameters = {
  command: string
  cwd: string
  env: Record<string, string | undefined>
  /** Hard limit: past it the whole process tree (its process group) is ended. */
  timeoutMs: number
  logFile: string
  /** Lines kept for the result. Default 50. */
  tailLines?: number
  /** Each output line as it comes (progress). */
  onLine?: (line: string) => void
  /** Called with the process group id as soon as it runs (the reaper tracks it). */
  onStart?: (pgid: number) => void
  /** Ends the command's whole tree early (the runner got SIGINT or SIGTERM). */
  signal?: AbortSignal
}

export type RunTestCommandReturnType = {
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  /** Ended early through `signal`. */
  interrupted: boolean
  durationMs: number
  outputTail: string[]
  /** Live processes of its group left after it ended (empty: the whole tree is gone). */
  left: number[]
}

/**
 * Runs the test command as the leader of its own process group, with a hard timeout that ends the
 * whole group (SIGTERM, then SIGKILL): a test runner's children and grandchildren go with it.
 *
 * @example
 * const test = await runTestCommand({ command: 'npx vitest run e2e', cwd: repo, env, timeoutMs: 300_000, logFile })
 * test.exitCode // 0
 */
export async function runTestCommand({ command, cwd, env, timeoutMs, logFile, tailLines = 50, onLine, onStart, signal }: RunTestCommandParameters): Promise<RunTestCommandReturnType> {
  const started = Date.now()
  const child = startSandboxProcess({ name: 'test_command', command, cwd, env, logFile, onLine })
  onStart?.(child.pid)
  let timedOut = false
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
  const interrupt = new Promise<'interrupted'>((resolve) => (signal?.aborted ? resolve('interrupted') : signal?.addEventListener('abort', () => resolve('interrupted'), { once: true })))
  const outcome = await Promise.race([child.exited, expired, interrupt])
  clearTimeout(timer)
  let left: number[]
  if (outcome === 'timeout' || outcome === 'interrupted') {
    timedOut = outcome === 'timeout'
    left = (await child.stop()).left
    await child.exited
  } else {
    // The shell exited; anything it left running in its group is ended too.
    left = (await child.stop()).left
  }
  const exit = child.exit()
  return { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, interrupted: outcome === 'interrupted', durationMs: Date.now() - started, outputTail: child.lines().slice(-tailLines), left }
}
