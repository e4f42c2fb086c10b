import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDevnet, type Devnet } from '../harness/devnet/startDevnet.ts'

const bin = resolve('bin/shepherd.js')
let net: Devnet
let dir: string

beforeAll(async () => {
  net = await startDevnet({ blockTime: 0.5, log: () => {} })
  dir = mkdtempSync(join(tmpdir(), 'shepherd-cli-'))
})
afterAll(async () => {
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the CLI; `until` decides when to send `signal`. Bounded by `timeoutMs`. */
function runCli(args: string[], options: { until?: (output: string) => boolean; signal?: NodeJS.Signals; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let signalled = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`CLI timed out; stdout: ${stdout}\nstderr: ${stderr}`))
    }, options.timeoutMs ?? 30_000)
    const check = () => {
      if (!signalled && options.until?.(stdout)) {
        signalled = true
        child.kill(options.signal ?? 'SIGINT')
      }
    }
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      check()
    })
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })
}

describe('shepherd CLI', () => {
  test('behavior: --help and --version exit 0', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('shepherd run --config <engine.toml>')
    const version = await runCli(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  test('behavior: a bad config exits 2 before anything starts, naming file and key', async () => {
    const file = join(dir, 'bad.toml')
    writeFileSync(file, `[chains.11155111]\nrpc_url = "http://127.0.0.1:1"\nconfirmationz = 1\n`)
    const result = await runCli(['run', '--config', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`file: ${file}`)
    expect(result.stderr).toContain('key: chains.11155111.confirmationz')
    expect(result.stdout).not.toContain('engine started')
  })

  test('behavior: an unknown command exits 2', async () => {
    const result = await runCli(['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "frobnicate"')
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    test(`behavior: the example config runs against the devnet and ${signal} shuts it down gracefully with exit 0`, async () => {
      const result = await runCli(['run', '--config', resolve('engine.example.toml')], {
        env: { SHEPHERD_RPC_URL: net.rpcUrl, SHEPHERD_STATE_DIR: join(dir, `state-${signal}`) },
        // Wait until at least one block was processed, so the signal lands on a running engine.
        until: (out) => out.includes('"engine started"') && out.includes('"ingestion starting"'),
        signal,
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; signal?: string })
      expect(lines.find((l) => l.msg === 'shutting down')?.signal).toBe(signal)
      expect(lines.at(-1)?.msg).toBe('graceful shutdown complete')
    })
})
