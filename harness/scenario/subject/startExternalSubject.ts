import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { ShepherdError } from '../../../modules/sdk/errors/base.ts'
import { trackChildProcess } from '../../devnet/trackChildProcess.ts'
import type { ExternalSubject } from './subjectTypes.ts'
import { describeSubject } from './subjectTypes.ts'

/**
 * Why an external subject could not be judged: it could not be spawned, exited before it was
 * ready, or never got ready. Its details name the subject and carry its last output lines; the
 * hint says what to do.
 *
 * @example
 * throw new SubjectError('the subject was not ready within 30000 ms', { subject: 'external command: node bot.mjs', lastLines: ['connecting...'], whatToDo: 'print the ready line' })
 */
export class SubjectError extends ShepherdError {
  override name = 'SubjectError'
  readonly subject: string
  readonly lastLines: readonly string[]

  constructor(shortMessage: string, parameters: { subject: string; lastLines: readonly string[]; whatToDo: string }) {
    const output = parameters.lastLines.length ? ['last output lines:', ...parameters.lastLines.map((line) => `  ${line.trimEnd()}`)] : ['no output']
    super(shortMessage, { details: [`subject: ${parameters.subject}`, ...output], hint: `What to do: ${parameters.whatToDo}`, action: 'stop' })
    this.subject = parameters.subject
    this.lastLines = parameters.lastLines
  }
}

export type StartExternalSubjectParameters = {
  subject: ExternalSubject
  /** The SHEPHERD_* variables (from `writeSubjectEnvironment`). */
  env: Record<string, string>
  /** Lines of output kept for errors and the report (default 200). */
  keepLines?: number
  log?: (line: string) => void
}

export type StartedSubject = {
  pid: number
  /** Recent output lines (stdout and stderr, in arrival order). */
  logs(): readonly string[]
  /** The exit, once it happened (undefined while it runs). */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** Sends the stop signal to its process group, SIGKILL after the bound. Safe to call twice. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>
  /**
   * SIGKILLs its process group at once (no chance to clean up: a crash) and resolves on its exit,
   * with when the signal was sent and when the exit came. Safe to call twice.
   */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null; killedAt: number; exitedAt: number }>
}

/**
 * Starts an external subject in its own process group (so stopping it reaches its children, and
 * nothing else) and waits, bounded, until it is ready: its `ready.url` answers 2xx, a line of its
 * output matches `ready.logLine`, or `ready.afterMs` passed. An exit before that, or no readiness
 * within `readyTimeoutMs`, kills it and throws a `SubjectError` with its last output lines.
 *
 * @example
 * const bot = await startExternalSubject({ subject: { command: 'node', args: ['bot.mjs'], ready: { logLine: 'ready' } }, env })
 * // ... drive the load ...
 * await bot.stop()
 */
export async function startExternalSubject({ subject, env, keepLines = 200, log = () => {} }: StartExternalSubjectParameters): Promise<StartedSubject> {
  const name = describeSubject(subject)
  const recent: string[] = []
  const keep = (line: string) => {
    recent.push(line)
    if (recent.length > keepLines) recent.shift()
  }
  const lineListeners = new Set<(line: string) => void>()
  const child = spawn(subject.command, [...(subject.args ?? [])], {
    cwd: subject.cwd === undefined ? undefined : resolve(subject.cwd),
    env: { ...process.env, ...env, ...subject.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the stop signal reaches the subject and its children, never the runner.
    detached: true,
  })
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined
  let exitedAt = 0
  let spawnError: Error | undefined
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      exitedAt = Date.now()
      done((exitInfo = { code, signal }))
    })
    child.once('error', (error) => {
      spawnError = error
      done((exitInfo = { code: null, signal: null }))
    })
  })
  // A negative PID names the process group: if the runner dies first, its exit hook kills the subject and its children.
  const untrack = child.pid === undefined ? () => {} : trackChildProcess(-child.pid)
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = ''
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        keep(line)
        for (const listener of lineListeners) listener(line)
      }
    })
  }

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || exitInfo) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      // The group is gone already.
    }
  }
  let stopping: ReturnType<StartedSubject['stop']> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      let killed = false
      if (!exitInfo) {
        signalGroup(subject.stop ?? 'SIGTERM')
        const timer = setTimeout(() => {
          killed = true
          signalGroup('SIGKILL')
        }, subject.stopTimeoutMs ?? 5_000)
        await exited
        clearTimeout(timer)
      }
      untrack()
      return { ...exitInfo!, killed }
    })())

  let killing: ReturnType<StartedSubject['kill']> | undefined
  const kill = () =>
    (killing ??= (async () => {
      const killedAt = Date.now()
      signalGroup('SIGKILL')
      const exit = await exited
      untrack()
      return { ...exit, killedAt, exitedAt: exitedAt || killedAt }
    })())

  const readyTimeoutMs = subject.readyTimeoutMs ?? 30_000
  const fail = async (why: string, whatToDo: string): Promise<never> => {
    await stop()
    throw new SubjectError(why, { subject: name, lastLines: recent.slice(-20), whatToDo })
  }
  const startedAt = Date.now()
  const ready = subject.ready
  const readiness = new Promise<void>((done) => {
    if ('afterMs' in ready) setTimeout(done, ready.afterMs).unref()
    else if ('logLine' in ready) {
      const match = typeof ready.logLine === 'string' ? (line: string) => line.includes(ready.logLine as string) : (line: string) => (ready.logLine as RegExp).test(line)
      if (recent.some(match)) done()
      lineListeners.add((line) => match(line) && done())
    } else {
      void (async () => {
        // Bounded by the ready timeout below (and by the exit); one probe at a time, 100 ms apart.
        while (!exitInfo && Date.now() - startedAt < readyTimeoutMs) {
          const ok = await fetch(ready.url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false)
          if (ok) return done()
          await new Promise((r) => setTimeout(r, 100))
        }
      })()
    }
  })
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    readiness.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), readyTimeoutMs))),
  ])
  clearTimeout(timer)
  lineListeners.clear()
  const readyText = 'url' in ready ? `${ready.url} to answer 2xx` : 'logLine' in ready ? `a line matching ${String(ready.logLine)}` : `${ready.afterMs} ms`
  if (spawnError) return fail(`the subject could not be started: ${spawnError.message}`, `check that "${subject.command}" exists and is executable (it runs without a shell, from ${subject.cwd ?? process.cwd()})`)
  if (outcome === 'exited' || (outcome === 'ready' && exitInfo))
    return fail(`the subject exited before it was ready (code ${exitInfo!.code}, signal ${exitInfo!.signal}) while the runner waited for ${readyText}`, 'run the command by hand with the SHEPHERD_* variables of docs/external-subject.md and read its output')
  if (outcome === 'timeout') return fail(`the subject was not ready within ${readyTimeoutMs} ms (waited for ${readyText})`, 'make it print the ready line (or serve the ready URL) once it watches the chain, or raise subject.readyTimeoutMs')
  log(`subject ready in ${Date.now() - startedAt} ms (pid ${child.pid}): ${name}`)
  return { pid: child.pid!, logs: () => recent, exit: () => exitInfo, stop, kill }
}
