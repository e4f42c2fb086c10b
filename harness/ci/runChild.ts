import { spawn } from 'node:child_process'

export type RunChildParameters = {
  cwd: string
  /** The child's environment; by default this process's, without the `VITEST*` variables (see `withoutVitestEnv`). */
  env?: NodeJS.ProcessEnv
  /** The child is SIGKILLed (by its pid) after this long, and the promise rejects. */
  timeoutMs: number
}

export type RunChildReturnType = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; durationMs: number }

/**
 * This process's environment without the `VITEST*` variables: a child that runs a vitest of its own
 * must not think it is a worker of ours.
 *
 * @example
 * spawn(process.execPath, args, { env: { ...withoutVitestEnv(), NO_COLOR: '1' } })
 */
export function withoutVitestEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('VITEST')))
}

/**
 * Runs a command to its end without blocking the event loop (unlike `spawnSync`), collecting its
 * output; bounded: past `timeoutMs` the child is SIGKILLed and the promise rejects with its output
 * so far. For tests that run a program of their own (a nested vitest, the mutation check).
 *
 * @example
 * const { code, stdout } = await runChild(process.execPath, ['--import', 'tsx', 'harness/scenario/mutateJudges.ts', '--json'], { cwd: process.cwd(), timeoutMs: 360_000 })
 */
export function runChild(command: string, args: readonly string[], { cwd, env = withoutVitestEnv(), timeoutMs }: RunChildParameters): Promise<RunChildReturnType> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')} ran over ${timeoutMs} ms and was killed; its output so far:\n${stdout}\n${stderr.slice(-4000)}`))
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started })
    })
  })
}
