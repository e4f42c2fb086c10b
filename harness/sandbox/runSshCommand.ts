import { spawn } from 'node:child_process'
import { SshToolMissingError } from './sshErrors.ts'

export type RunSshCommandParameters = {
  /** `ssh` or `rsync`. */
  tool: 'ssh' | 'rsync'
  args: readonly string[]
  /** Each output line (stdout and stderr) as it comes; the remote run's progress. */
  onLine?: (line: string) => void
  /** Bound on the whole call. Default 10 minutes. */
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * What an abort does: `kill` ends the local program (SIGTERM); `close-stdin` closes its standard
   * input instead, which the remote side watches to stop its own run in order (then a kill after 30 s).
   */
  onAbort?: 'kill' | 'close-stdin'
}

export type RunSshCommandReturnType = { exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }

/**
 * Runs the system `ssh` or `rsync` and collects its output. A missing program is a
 * `SshToolMissingError` naming it; a call past `timeoutMs` (or aborted) is ended with SIGTERM.
 *
 * @example
 * const { exitCode, stdout } = await runSshCommand({ tool: 'ssh', args: ['-o', 'BatchMode=yes', 'box', '--', 'uname'] })
 */
export function runSshCommand({ tool, args, onLine, timeoutMs = 600_000, signal, onAbort = 'kill' }: RunSshCommandParameters): Promise<RunSshCommandReturnType> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: [onAbort === 'close-stdin' ? 'pipe' : 'ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const partial = { out: '', err: '' }
    const feed = (which: 'out' | 'err', chunk: string) => {
      if (!onLine) return
      const parts = (partial[which] + chunk).split('\n')
      partial[which] = parts.pop() ?? ''
      for (const line of parts) onLine(line)
    }
    child.stdout!.setEncoding('utf8').on('data', (c: string) => ((stdout += c), feed('out', c)))
    child.stderr!.setEncoding('utf8').on('data', (c: string) => ((stderr += c), feed('err', c)))
    let timedOut = false
    const kill = () => child.kill('SIGTERM')
    let grace: NodeJS.Timeout | undefined
    const stop = () => {
      if (onAbort === 'kill') return kill()
      child.stdin?.end()
      grace = setTimeout(kill, 30_000)
    }
    const timer = setTimeout(() => ((timedOut = true), kill()), timeoutMs)
    if (signal?.aborted) stop()
    else signal?.addEventListener('abort', stop, { once: true })
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', stop)
      if (error.code === 'ENOENT') reject(new SshToolMissingError(tool, 'local', `Install it (Debian: apt-get install ${tool === 'ssh' ? 'openssh-client' : 'rsync'}); the SSH provider uses the system ${tool}.`))
      else reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      clearTimeout(grace)
      signal?.removeEventListener('abort', stop)
      if (onLine) for (const rest of [partial.out, partial.err]) if (rest) onLine(rest)
      resolve({ exitCode: code, stdout, stderr, timedOut })
    })
  })
}
