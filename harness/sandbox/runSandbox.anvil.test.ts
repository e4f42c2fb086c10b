import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { afterAll, describe, expect, test } from 'vitest'
import { findFreePort, isPortFree } from '../devnet/findFreePort.ts'
import { isProcessAlive } from '../devnet/trackChildProcess.ts'
import { processGroupMembers } from './processGroup.ts'
import schema from './result.schema.json' with { type: 'json' }
import { runSandbox, type RunSandboxParameters } from './runSandbox.ts'
import type { SandboxResult } from './sandboxResult.ts'
import { toJUnitXml } from './toJUnitXml.ts'

const fixture = (name: string) => new URL(`../../fixtures/sandbox/${name}`, import.meta.url).pathname
const validate = new Ajv({ allErrors: true }).compile(schema)
const kept: string[] = []
afterAll(() => kept.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** Runs a fixture in process and records what the live sandbox was (its process groups, reaper, ports). */
async function run(name: string, options: Partial<RunSandboxParameters> = {}) {
  const seen: { groups: number[]; reaperPid?: number; ports: number[] } = { groups: [], ports: [] }
  const lines: string[] = []
  const result = await runSandbox({
    repo: fixture(name),
    log: (l) => lines.push(l),
    reportRetry: { backoffMs: 10 },
    ...options,
    onProvisioned: ({ reaperPid, stack }) => {
      seen.reaperPid = reaperPid
      seen.groups = stack.processes.map((p) => p.pid)
      seen.ports = Object.values(stack.values).map((v) => Number(v.port)).filter((p) => p > 0 && !Object.values(stack.values).some((s) => String(s.url ?? '').startsWith('https')))
    },
  })
  if (!result.teardown.dirRemoved) kept.push(result.dir)
  const valid = validate(result)
  expect(validate.errors ?? [], `result of ${name} against result.schema.json`).toEqual([])
  expect(valid).toBe(true)
  return { result, seen, lines }
}

/** Nothing of the sandbox runs any more: its process groups, its reaper (bounded wait for its exit). */
async function expectNothingRunning(seen: { groups: number[]; reaperPid?: number }) {
  for (const group of seen.groups) expect(processGroupMembers(group), `process group ${group}`).toEqual([])
  const deadline = Date.now() + 3_000
  while (seen.reaperPid !== undefined && isProcessAlive(seen.reaperPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  if (seen.reaperPid !== undefined) expect(isProcessAlive(seen.reaperPid), 'reaper exited after release').toBe(false)
}

describe('runSandbox on the fixture repositories', () => {
  test('behavior: passing: every readiness strategy passes with its time to ready, the test command sees the services, PASS, nothing left', async () => {
    const { result, seen } = await run('passing')
    expect(result.verdict).toEqual({ pass: true, reason: 'test_command exited 0' })
    expect(result.healthChecks.map((c) => [c.name, c.ready])).toEqual(['api-http', 'api-status', 'api-port', 'api-log', 'api-command', 'api-all'].map((n) => [n, true]))
    for (const check of result.healthChecks) expect(check.readyInMs).toBeGreaterThanOrEqual(0)
    expect(result.healthChecks[0]!.strategy).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health answers 2xx$/)
    expect(result.test).toMatchObject({ exitCode: 0, timedOut: false, left: [] })
    expect(result.test!.outputTail.join('\n')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health -> 200/)
    expect(result.stack).toEqual([expect.objectContaining({ name: 'api', kind: 'process', readyInMs: expect.any(Number) })])
    expect(result.project).toMatch(/^shepherd-passing-[0-9a-f]{8}$/)
    expect(result.repo.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(result.teardown).toMatchObject({ policy: 'always', dirRemoved: true, ok: true })
    expect(existsSync(result.dir)).toBe(false)
    await expectNothingRunning(seen)
    expect(toJUnitXml(result)).toMatch(/tests="8" failures="0"/)
  })

  test('behavior: two runs of one repository side by side never share a project, folder or port', async () => {
    const [a, b] = await Promise.all([run('passing'), run('passing')])
    expect(a.result.project).not.toBe(b.result.project)
    expect(a.result.dir).not.toBe(b.result.dir)
    expect(a.result.stack[0]!.port).not.toBe(b.result.stack[0]!.port)
    expect([a.result.verdict.pass, b.result.verdict.pass]).toEqual([true, true])
  })

  test('behavior: failing-test: a non-zero exit is FAIL with its code and output tail (JSON and JUnit)', async () => {
    const { result, seen } = await run('failing-test')
    expect(result.verdict).toEqual({ pass: false, reason: 'test_command exited 3' })
    expect(result.test).toMatchObject({ exitCode: 3, timedOut: false })
    expect(result.test!.outputTail).toContain('failing on purpose with exit code 3')
    expect(toJUnitXml(result)).toContain('<failure message="exit code 3">')
    await expectNothingRunning(seen)
  })

  test('behavior: never-ready: the health check times out, named, with its last answer; the test command never runs', async () => {
    const probeFile = join(mkdtempSync(join(tmpdir(), 'shepherd-sandbox-probe-')), 'probes')
    kept.push(join(probeFile, '..'))
    const started = Date.now()
    const { result, seen } = await run('never-ready', { env: { ...process.env, PROBE_FILE: probeFile } })
    expect(Date.now() - started).toBeLessThan(15_000)
    // The slower check was stopped with the run: no probe of it runs afterwards.
    const probes = () => readFileSync(probeFile, 'utf8').split('\n').filter(Boolean).length
    const atEnd = probes()
    await new Promise((r) => setTimeout(r, 1_000))
    expect(probes()).toBe(atEnd)
    expect(result.healthChecks[1]).toEqual({ name: 'api-slow', strategy: expect.stringContaining('exits 0'), ready: false })
    expect(result.verdict.pass).toBe(false)
    expect(result.verdict.reason).toMatch(/^health check api-healthy was not ready within 2 s \(GET http:\/\/127\.0\.0\.1:\d+\/health answers 2xx\)/)
    expect(result.healthChecks[0]).toMatchObject({ name: 'api-healthy', ready: false })
    expect(result.healthChecks[0]!.error).toContain('HTTP 503 starting')
    expect(result.test).toBeNull()
    expect(toJUnitXml(result)).toMatch(/<skipped message="health check api-healthy was not ready/)
    expect(toJUnitXml(result)).toMatch(/name="api-slow" time="0.000"><skipped message="not finished/)
    await expectNothingRunning(seen)
  })

  test('behavior: process-exits: a process that dies before it is ready fails the run at once, with its exit code and output', async () => {
    const started = Date.now()
    const { result } = await run('process-exits')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(result.verdict.pass).toBe(false)
    expect(result.verdict.reason).toMatch(/^process api was not ready within 60 s \(127\.0\.0\.1:\d+ accepts connections; it exited first \(code 7, signal null\)/)
    expect(result.error).toContain('Error: cannot start')
    expect(result.test).toBeNull()
  })

  test('behavior: test-timeout: past its timeout the test command and its whole process tree are ended', async () => {
    const pidsFile = join(mkdtempSync(join(tmpdir(), 'shepherd-sandbox-pids-')), 'pids')
    kept.push(join(pidsFile, '..'))
    const started = Date.now()
    const { result } = await run('test-timeout', { env: { ...process.env, PIDS_FILE: pidsFile } })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.test).toMatchObject({ timedOut: true, exitCode: null, left: [] })
    expect(result.verdict.reason).toMatch(/^test_command passed its timeout of 2 s; its process tree was ended$/)
    const pids = readFileSync(pidsFile, 'utf8').trim().split('\n').map(Number)
    expect(pids.length).toBe(3) // the shell, its background child, that child's background sleep
    for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid} of the test command's tree`).toBe(false)
  })

  test.each([
    { cleanup: 'always', exit: '0', keep: false, dirLeft: false },
    { cleanup: 'always', exit: '1', keep: false, dirLeft: false },
    { cleanup: 'on_success', exit: '0', keep: false, dirLeft: false },
    { cleanup: 'on_success', exit: '1', keep: false, dirLeft: true },
    { cleanup: 'never', exit: '0', keep: false, dirLeft: true },
    { cleanup: 'always', exit: '0', keep: true, dirLeft: true },
  ])('behavior: cleanup $cleanup with exit $exit (keep $keep): folder left $dirLeft, no process left either way', async ({ cleanup, exit, keep, dirLeft }) => {
    const { result, seen } = await run('cleanup', { keep, env: { ...process.env, CLEANUP: cleanup, EXIT_CODE: exit } })
    expect(result.verdict.pass).toBe(exit === '0')
    expect(result.teardown).toMatchObject({ policy: cleanup, keep, dirRemoved: !dirLeft, ok: true })
    expect(existsSync(result.dir)).toBe(dirLeft)
    if (dirLeft) expect(readFileSync(join(result.dir, 'logs', 'api.log'), 'utf8')).toMatch(/^listening on \d+/)
    await expectNothingRunning(seen)
  })

  describe('report-url', () => {
    let server: Server
    let status = 500
    const received: unknown[] = []
    afterAll(() => new Promise<void>((r) => server.close(() => r())))
    const start = async () => {
      server = createServer((req, res) => {
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => {
          received.push(JSON.parse(body))
          res.writeHead(status).end()
        })
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      return `http://127.0.0.1:${(server.address() as { port: number }).port}/results`
    }

    test('behavior: a results URL answering 500 is retried (bounded), reported as not delivered, and the verdict stays PASS', async () => {
      const url = await start()
      const { result } = await run('report-url', { env: { ...process.env, RESULTS_URL: url } })
      expect(result.verdict.pass).toBe(true)
      expect(result.report).toEqual({ url, delivered: false, attempts: 4, status: 500, error: 'HTTP 500' })
      expect(received).toHaveLength(4)
    })

    test('behavior: a results URL nobody listens on is reported with the connection error; a working one receives the result', async () => {
      const closed = `http://127.0.0.1:${await findFreePort()}/results`
      const { result } = await run('report-url', { env: { ...process.env, RESULTS_URL: closed } })
      expect(result.verdict.pass).toBe(true)
      expect(result.report).toMatchObject({ url: closed, delivered: false, attempts: 4 })
      expect(result.report!.error).toContain('ECONNREFUSED')
      status = 201
      received.length = 0
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/results`
      const ok = await run('report-url', { env: { ...process.env, RESULTS_URL: url } })
      expect(ok.result.report).toEqual({ url, delivered: true, attempts: 1, status: 201 })
      expect(validate(received[0])).toBe(true)
      expect(received[0]).toMatchObject({ name: 'report-url', verdict: { pass: true } })
    })
  })

  test('behavior: devnet-stub: the devnet mines and has the protocol, the stub answers; their ports are free afterwards', async () => {
    const { result, seen } = await run('devnet-stub')
    expect(result.verdict).toEqual({ pass: true, reason: 'test_command exited 0' })
    expect(result.stack.map((s) => s.kind)).toEqual(['devnet', 'orderbook'])
    expect(result.test!.outputTail.join('\n')).toMatch(/orderbook version HTTP 200/)
    expect(result.teardown.steps.map((s) => s.step)).toEqual(['orderbook stub', 'devnet', 'remove sandbox folder'])
    for (const port of seen.ports) expect(await isPortFree(port), `port ${port}`).toBe(true)
    await expectNothingRunning(seen)
  })

  test('behavior: the published schema rejects a result that breaks it (the validation can fail)', async () => {
    const { result } = await run('failing-test')
    const broken: Partial<SandboxResult> = { ...result }
    delete broken.verdict
    expect(validate(broken)).toBe(false)
    expect(validate({ ...result, test: { ...result.test, exitCode: 'three' } })).toBe(false)
  })
})
