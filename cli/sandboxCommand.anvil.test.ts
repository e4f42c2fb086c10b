import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { isPortFree } from '../harness/devnet/findFreePort.ts'
import { isProcessAlive } from '../harness/devnet/trackChildProcess.ts'
import { processGroupMembers } from '../harness/sandbox/processGroup.ts'
import { isSandboxInvocation } from './sandboxCommand.ts'

const bin = new URL('../bin/shepherd.js', import.meta.url).pathname
const fixture = (name: string) => new URL(`../fixtures/sandbox/${name}`, import.meta.url).pathname

/** Starts `shepherd ...` and resolves each time a line matching `pattern` appears (bounded). */
function startShepherd(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let buffer = ''
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    lines.push(...parts)
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      for (const line of lines) {
        const match = line.match(pattern)
        if (match) return match
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no line matching ${pattern} (exit ${child.exitCode}); output:\n${lines.join('\n')}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, lines, waitFor }
}

/** Waits (bounded) until `check` holds; returns whether it did. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

/** Live Anvil processes whose command line names this port. */
function anvilsOnPort(port: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        return cmd.some((c) => c.endsWith('anvil')) && cmd.includes(String(port)) && isProcessAlive(Number(pid))
      } catch {
        return false
      }
    })
    .map(Number)
}

const killed = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())))

describe('shepherd e2e <repo> (the sandbox contract)', () => {
  test('behavior: the routing rule keeps every signed-run invocation and sends a repo path or a contract flag to the sandbox', () => {
    for (const argv of [[], ['--devnet'], ['--devnet', '--out', 'reports'], ['--rpc-url', 'http://x', '--orderbook-url', 'http://y', '--metrics-url', 'http://z', '--state', 'dir'], ['--state=dir', '--rpc-url=http://x'], ['--wait-seconds', '30']])
      expect(isSandboxInvocation(argv), argv.join(' ')).toBe(false)
    for (const argv of [['.'], ['../my-bot'], ['fixtures/sandbox/passing', '--json', 'r.json'], ['--keep'], ['--json=r.json'], ['--junit', 'j.xml', 'repo']])
      expect(isSandboxInvocation(argv), argv.join(' ')).toBe(true)
  })

  test('behavior: a SIGKILLed shepherd e2e leaves no process, port or folder of its sandbox (the reaper ends them)', async () => {
    const run = startShepherd(['e2e', fixture('long-run')])
    try {
      const [, dir, reaperPid] = await run.waitFor(/sandbox \S+ in (\S+) \(.*reaper pid (\d+)\)/)
      const [, devnetPid, devnetPort] = await run.waitFor(/devnet pid (\d+) at http:\/\/127\.0\.0\.1:(\d+)/)
      const [, apiGroup, apiPort] = await run.waitFor(/process api started \(pid (\d+), PORT (\d+)\)/)
      const [, testGroup] = await run.waitFor(/running \(pid (\d+), timeout/)
      await run.waitFor(/\| test running/)
      expect(existsSync(dir!)).toBe(true)
      expect(processGroupMembers(Number(testGroup)).length).toBeGreaterThan(0)
      run.child.kill('SIGKILL')
      await killed(run.child)
      expect(await eventually(() => !existsSync(dir!)), `folder ${dir} removed`).toBe(true)
      expect(await eventually(() => !isProcessAlive(Number(devnetPid))), `anvil ${devnetPid} ended`).toBe(true)
      expect(await eventually(() => processGroupMembers(Number(apiGroup)).length === 0), 'the api process group ended').toBe(true)
      expect(await eventually(() => processGroupMembers(Number(testGroup)).length === 0), 'the test command group ended').toBe(true)
      expect(await eventually(() => isPortFree(Number(devnetPort))), `devnet port ${devnetPort} free`).toBe(true)
      expect(await eventually(() => isPortFree(Number(apiPort))), `api port ${apiPort} free`).toBe(true)
      expect(await eventually(() => !isProcessAlive(Number(reaperPid))), 'the reaper exited').toBe(true)
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })

  test('behavior: SIGTERM to shepherd e2e ends the run in order: tree ended, teardown, the result written (FAIL, interrupted)', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const out = mkdtempSync(join(tmpdir(), 'shepherd-sandbox-term-'))
    const run = startShepherd(['e2e', fixture('long-run'), '--json', join(out, 'r.json')])
    try {
      const [, dir] = await run.waitFor(/sandbox \S+ in (\S+) \(/)
      const [, testGroup] = await run.waitFor(/running \(pid (\d+), timeout/)
      await run.waitFor(/\| test running/)
      const signalled = Date.now()
      run.child.kill('SIGTERM')
      await killed(run.child)
      expect(Date.now() - signalled).toBeLessThan(15_000)
      expect(run.child.exitCode).toBe(1)
      const result = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'))
      expect(result.verdict).toEqual({ pass: false, reason: "interrupted (SIGTERM) while test_command ran; its process tree was ended" })
      expect(result.test).toMatchObject({ timedOut: false, left: [] })
      expect(result.teardown).toMatchObject({ ok: true, dirRemoved: true })
      expect(result.teardown.steps.map((s: { step: string }) => s.step)).toEqual(['process api', 'devnet', 'remove sandbox folder'])
      expect(existsSync(dir!)).toBe(false)
      expect(processGroupMembers(Number(testGroup))).toEqual([])
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
      rmSync(out, { recursive: true, force: true })
    }
  })

  test('behavior: a SIGKILLed shepherd devnet leaves no Anvil behind (the reaper ends it)', async () => {
    const run = startShepherd(['devnet', '--block-time', '1'])
    try {
      const [, port] = await run.waitFor(/devnet ready: http:\/\/127\.0\.0\.1:(\d+)/)
      expect(anvilsOnPort(Number(port)).length).toBe(1)
      run.child.kill('SIGKILL')
      await killed(run.child)
      expect(await eventually(() => anvilsOnPort(Number(port)).length === 0), `no anvil on port ${port}`).toBe(true)
      expect(await eventually(() => isPortFree(Number(port))), `port ${port} free`).toBe(true)
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL')
    }
  })

  test('behavior: shepherd devnet started through a wrapper (as npx does) stops when the wrapper alone gets SIGTERM', async () => {
    // The wrapper starts the CLI and does not forward signals: SIGTERM ends the wrapper only.
    const wrapper = spawn(process.execPath, ['-e', `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(bin)}, 'devnet'], { stdio: 'inherit' }); c.on('exit', (code) => process.exit(code ?? 1))`], { stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    wrapper.stdout!.on('data', (c: Buffer) => lines.push(...c.toString().split('\n')))
    try {
      expect(await eventually(() => lines.some((l) => /devnet ready: /.test(l)), 60_000), lines.join('\n')).toBe(true)
      const port = Number(lines.map((l) => l.match(/devnet ready: http:\/\/127\.0\.0\.1:(\d+)/)?.[1]).find(Boolean))
      expect(anvilsOnPort(port).length).toBe(1)
      wrapper.kill('SIGTERM')
      await killed(wrapper)
      expect(await eventually(() => anvilsOnPort(port).length === 0), `no anvil on port ${port}`).toBe(true)
      expect(await eventually(() => isPortFree(port)), `port ${port} free`).toBe(true)
    } finally {
      if (wrapper.exitCode === null) wrapper.kill('SIGKILL')
    }
  })

  test('behavior: a SIGKILLed shepherd scenario (runScenario) leaves no Anvil, no subject process and no run folder (the same reaper)', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const temp = mkdtempSync(join(tmpdir(), 'shepherd-scenario-reaper-'))
    const marker = `reaper-marker-${process.pid}-${Date.now()}`
    const scenario = {
      name: 'reaper-check',
      description: 'Given a devnet and a long load, when the runner is SIGKILLed, then nothing of the run is left.',
      devnet: { blockTime: 1 },
      subject: { command: process.execPath, args: ['-e', "console.log('bot: watching'); setInterval(() => {}, 1000)", marker], ready: { logLine: 'bot: watching' } },
      load: { senders: 1, twapPerBlock: 1, ethFlowPerBlock: 0, blocks: 200 },
    }
    const file = join(temp, 'reaper-check.mjs')
    writeFileSync(file, `export default ${JSON.stringify(scenario)}\n`)
    const runDirs = () => readdirSync(temp).filter((e) => e.startsWith('shepherd-reaper-check-') || e.startsWith('shepherd-reaper-'))
    const subjects = () =>
      readdirSync('/proc')
        .filter((e) => /^\d+$/.test(e))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && isProcessAlive(Number(pid))
          } catch {
            return false
          }
        })
    const child = spawn(process.execPath, [bin, 'scenario', file, '--scale', 'ci', '--out', join(temp, 'out')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: temp } })
    const lines: string[] = []
    child.stdout!.on('data', (c: Buffer) => lines.push(...c.toString().split('\n')))
    child.stderr!.on('data', (c: Buffer) => lines.push(...c.toString().split('\n')))
    try {
      expect(await eventually(() => lines.some((l) => /load: /.test(l)), 90_000), lines.join('\n')).toBe(true)
      const port = Number(lines.map((l) => l.match(/devnet ready in \d+ ms \(http:\/\/127\.0\.0\.1:(\d+)/)?.[1]).find(Boolean))
      expect(anvilsOnPort(port).length).toBe(1)
      expect(subjects().length).toBe(1)
      expect(runDirs().length).toBeGreaterThan(0)
      child.kill('SIGKILL')
      await killed(child)
      expect(await eventually(() => anvilsOnPort(port).length === 0), `no anvil on port ${port}`).toBe(true)
      expect(await eventually(() => subjects().length === 0), 'the subject process ended').toBe(true)
      expect(await eventually(() => runDirs().length === 0), `no run folder or reaper manifest left in ${temp}: ${runDirs().join(', ')}`).toBe(true)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(temp, { recursive: true, force: true })
    }
  })

  test('behavior: shepherd e2e <repo> --json --junit writes both and exits 1 on FAIL, 2 on a bad e2e.yml', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const out = mkdtempSync(join(tmpdir(), 'shepherd-sandbox-cli-'))
    try {
      const fail = startShepherd(['e2e', fixture('failing-test'), '--json', join(out, 'r.json'), '--junit', join(out, 'r.xml')])
      await killed(fail.child)
      expect(fail.child.exitCode).toBe(1)
      expect(JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'))).toMatchObject({ name: 'failing-test', verdict: { pass: false, reason: 'test_command exited 3' } })
      expect(readFileSync(join(out, 'r.xml'), 'utf8')).toContain('<failure message="exit code 3">')
      const bad = startShepherd(['e2e', out])
      await killed(bad.child)
      expect(bad.child.exitCode).toBe(2)
      expect(bad.lines.join('\n')).toMatch(/No e2e\/e2e\.yml in /)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  test('behavior: this repository opts in itself: shepherd e2e . (devnet, stub, engine with the e2e modules, the signed run) PASSes', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const out = mkdtempSync(join(tmpdir(), 'shepherd-sandbox-own-'))
    try {
      const run = startShepherd(['e2e', new URL('..', import.meta.url).pathname, '--json', join(out, 'r.json')])
      await killed(run.child)
      const result = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'))
      expect(result.verdict, run.lines.slice(-30).join('\n')).toEqual({ pass: true, reason: 'test_command exited 0' })
      expect(run.child.exitCode).toBe(0)
      expect(result.stack.map((s: { kind: string }) => s.kind)).toEqual(['devnet', 'orderbook', 'engine'])
      expect(result.healthChecks.every((c: { ready: boolean }) => c.ready)).toBe(true)
      expect(result.test.outputTail.join('\n')).toMatch(/\[e2e\] verdict: PASS; .*balance-tracker alerted pass/)
      expect(result.teardown).toMatchObject({ ok: true, dirRemoved: true })
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
