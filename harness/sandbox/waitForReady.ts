import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { ReadySpec } from './sandboxFileSchema.ts'
import { SandboxNotReadyError } from './SandboxNotReadyError.ts'

/** Used when a strategy names no timeout. */
export const defaultReadyTimeoutSeconds = 60

export type WaitForReadyParameters = {
  /** Names the check in progress lines and errors. */
  name: string
  spec: ReadySpec
  /** Output lines of the process a `log` strategy reads. */
  lines?: () => readonly string[]
  /** Where a `command` strategy runs, and its environment. */
  cwd: string
  env: Record<string, string | undefined>
  /** Progress lines (one every `progressEveryMs` while waiting). */
  log?: (line: string) => void
  progressEveryMs?: number
  intervalMs?: number
  /** Ends the wait early (the run is being torn down). */
  signal?: AbortSignal
  /** Checked between polls: a reason to stop waiting at once (the process it waits for exited). */
  abortIf?: () => string | undefined
}

export type WaitForReadyReturnType = { name: string; readyInMs: number }

/**
 * A one-line description of a strategy, for progress lines and errors.
 *
 * @example
 * describeReady({ url: 'http://127.0.0.1:4000/health' }) // 'GET http://127.0.0.1:4000/health answers 2xx'
 */
export function describeReady(spec: ReadySpec): string {
  if ('url' in spec) return `GET ${spec.url} answers ${spec.status ?? '2xx'}`
  if ('log' in spec) return `output matches /${spec.log}/${(spec.times ?? 1) > 1 ? ` ${spec.times} times` : ''}`
  if ('port' in spec) return `${spec.host ?? '127.0.0.1'}:${spec.port} accepts connections`
  if ('command' in spec) return `\`${spec.command}\` exits 0`
  return `all of: ${spec.all_of.map(describeReady).join('; ')}`
}

type Probe = () => Promise<{ ok: boolean; last: string[] }>

function probeFor(spec: ReadySpec, parameters: WaitForReadyParameters): Probe {
  if ('url' in spec)
    return async () => {
      try {
        const response = await fetch(spec.url, { signal: AbortSignal.timeout(5_000) })
        const body = (await response.text()).slice(0, 300)
        const ok = spec.status === undefined ? response.status >= 200 && response.status < 300 : response.status === spec.status
        return { ok, last: [`HTTP ${response.status} ${body}`] }
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code
        return { ok: false, last: [`no answer: ${errorMessage(error)}${code ? ` (${code})` : ''}`] }
      }
    }
  if ('log' in spec) {
    const pattern = new RegExp(spec.log)
    return async () => {
      const lines = parameters.lines?.() ?? []
      const matches = lines.filter((l) => pattern.test(l)).length
      return { ok: matches >= (spec.times ?? 1), last: [`${matches} of ${spec.times ?? 1} matching lines`, ...lines.slice(-10)] }
    }
  }
  if ('port' in spec)
    return () =>
      new Promise((resolve) => {
        const socket = connect({ host: spec.host ?? '127.0.0.1', port: Number(spec.port) })
        const done = (ok: boolean, last: string) => {
          socket.destroy()
          resolve({ ok, last: [last] })
        }
        socket.setTimeout(2_000, () => done(false, 'connect timed out'))
        socket.once('connect', () => done(true, 'connected'))
        socket.once('error', (error) => done(false, errorMessage(error)))
      })
  if ('command' in spec)
    return () =>
      new Promise((resolve) => {
        const child = spawn('/bin/sh', ['-c', spec.command], { cwd: parameters.cwd, env: parameters.env, stdio: ['ignore', 'pipe', 'pipe'] })
        let output = ''
        child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
        child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('error', (error) => resolve({ ok: false, last: [errorMessage(error)] }))
        child.once('close', (code, signal) => {
          clearTimeout(timer)
          resolve({ ok: code === 0, last: [`exit ${code ?? signal}`, ...output.trim().split('\n').slice(-10)] })
        })
      })
  // all_of: every part with its own timeout, side by side; the first to fail fails the whole.
  return async () => {
    await Promise.all(spec.all_of.map((part, i) => waitForReady({ ...parameters, name: `${parameters.name}.all_of.${i}`, spec: part })))
    return { ok: true, last: [] }
  }
}

/**
 * Waits until a readiness strategy passes (Testcontainers-style: an HTTP status, a log line n times,
 * a port accepting connections, a command exiting 0, or all of several), polling with a bound. On
 * timeout it throws `SandboxNotReadyError` naming the check and carrying the last output seen.
 *
 * @example
 * const { readyInMs } = await waitForReady({ name: 'bot', spec: { url: 'http://127.0.0.1:4000/health', timeout: 30 }, cwd: repo, env: process.env })
 */
export async function waitForReady(parameters: WaitForReadyParameters): Promise<WaitForReadyReturnType> {
  const { name, spec, log, progressEveryMs = 5_000, intervalMs = 200, signal } = parameters
  const timeoutMs = (spec.timeout ?? defaultReadyTimeoutSeconds) * 1000
  const started = Date.now()
  const deadline = started + timeoutMs
  const probe = probeFor(spec, parameters)
  let lastProgress = started
  let last: string[] = []
  if ('all_of' in spec) {
    // Each part bounds itself; the all_of timeout bounds the whole.
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SandboxNotReadyError(name, describeReady(spec), timeoutMs, ['the parts did not all pass in time'])), timeoutMs)
    })
    try {
      await Promise.race([probe(), expired])
    } finally {
      clearTimeout(timer)
    }
    return { name, readyInMs: Date.now() - started }
  }
  for (;;) {
    if (signal?.aborted) throw new SandboxNotReadyError(name, `${describeReady(spec)}; aborted`, timeoutMs, last)
    const result = await probe()
    last = result.last
    if (result.ok) return { name, readyInMs: Date.now() - started }
    const aborted = parameters.abortIf?.()
    if (aborted) throw new SandboxNotReadyError(name, `${describeReady(spec)}; ${aborted}`, timeoutMs, [...last, ...(parameters.lines?.().slice(-10) ?? [])])
    const now = Date.now()
    if (now >= deadline) throw new SandboxNotReadyError(name, describeReady(spec), timeoutMs, last)
    if (now - lastProgress >= progressEveryMs) {
      lastProgress = now
      log?.(`waiting for ${name}: ${describeReady(spec)} (${Math.round((now - started) / 1000)} s of ${timeoutMs / 1000} s; last: ${last[0] ?? '-'})`)
    }
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))))
  }
}
