import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { killProcessGroup } from './processGroup.ts'

export type StartSandboxProcessParameters = {
  name: string
  command: string
  cwd: string
  env: Record<string, string | undefined>
  /** Every output line (stdout and stderr) is appended here. */
  logFile: string
  /** Each output line as it comes. */
  onLine?: (line: string) => void
}

export type SandboxProcess = {
  name: string
  /** The shell's PID, also the process group id of the command and everything it starts. */
  pid: number
  logFile: string
  /** Output lines so far (the last 10,000). */
  lines(): readonly string[]
  /** Exit of the shell, once it exited. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Ends the whole process group (SIGTERM, then SIGKILL). Safe to call twice. */
  stop(): Promise<{ forced: boolean; left: number[] }>
}

/**
 * Starts a shell command as the leader of its own process group (so ending it ends every child it
 * started), with its output kept in memory and appended to a log file.
 *
 * @example
 * const bot = startSandboxProcess({ name: 'bot', command: 'node bot.js', cwd: repo, env: { ...process.env, PORT: '4000' }, logFile: '/tmp/x/bot.log' })
 * await bot.stop()
 */
export function startSandboxProcess({ name, command, cwd, env, logFile, onLine }: StartSandboxProcessParameters): SandboxProcess {
  const child = spawn('/bin/sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error(`process ${name}: could not start /bin/sh -c ${JSON.stringify(command)}`)
  const pid = child.pid
  const out = createWriteStream(logFile, { flags: 'a' })
  const lines: string[] = []
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = ''
    stream.on('data', (chunk: Buffer) => {
      out.write(chunk)
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      lines.push(...parts)
      if (onLine) parts.forEach(onLine)
      if (lines.length > 10_000) lines.splice(0, lines.length - 10_000)
    })
    stream.on('end', () => {
      if (buffer) {
        lines.push(buffer)
        onLine?.(buffer)
      }
      buffer = ''
    })
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      exit = { code, signal }
      out.end()
      resolve(exit)
    }),
  )
  let stopping: Promise<{ forced: boolean; left: number[] }> | undefined
  return {
    name,
    pid,
    logFile,
    lines: () => lines,
    exit: () => exit,
    exited,
    stop: () => (stopping ??= killProcessGroup(pid)),
  }
}
