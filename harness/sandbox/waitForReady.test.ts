import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findFreePort } from '../devnet/findFreePort.ts'
import { SandboxNotReadyError } from './SandboxNotReadyError.ts'
import { waitForReady } from './waitForReady.ts'

let server: Server
let url: string
let healthStatus = 503
beforeAll(async () => {
  server = createServer((req, res) => res.writeHead(req.url === '/health' ? healthStatus : 404).end(req.url === '/health' ? `status ${healthStatus}` : 'nope'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const base = { cwd: process.cwd(), env: process.env, intervalMs: 20 }
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure') }, (error: unknown) => error as SandboxNotReadyError)

describe('waitForReady', () => {
  test('behavior: http waits for 2xx, or the given status; on timeout the error names the check and the last answer', async () => {
    const error = await failure(waitForReady({ ...base, name: 'api', spec: { url: `${url}/health`, timeout: 0.3 } }))
    expect(error).toBeInstanceOf(SandboxNotReadyError)
    expect(error.message).toMatch(/^api was not ready within 0.3 s \(GET .*\/health answers 2xx\)/)
    expect(error.message).toContain('HTTP 503 status 503')
    expect((await waitForReady({ ...base, name: 'api', spec: { url: `${url}/other`, status: 404, timeout: 1 } })).name).toBe('api')
    healthStatus = 200
    const ready = await waitForReady({ ...base, name: 'api', spec: { url: `${url}/health`, timeout: 1 } })
    expect(ready.readyInMs).toBeLessThan(1000)
    healthStatus = 503
  })

  test('behavior: log waits for n matching lines and shows the last lines when it expires', async () => {
    const lines: string[] = ['starting', 'ready once']
    const error = await failure(waitForReady({ ...base, name: 'bot', spec: { log: '^ready', times: 2, timeout: 0.2 }, lines: () => lines }))
    expect(error.message).toContain('1 of 2 matching lines')
    expect(error.message).toContain('ready once')
    lines.push('ready twice')
    await expect(waitForReady({ ...base, name: 'bot', spec: { log: '^ready', times: 2, timeout: 1 }, lines: () => lines })).resolves.toMatchObject({ name: 'bot' })
  })

  test('behavior: port waits for a listener, and names the connection error', async () => {
    const port = await findFreePort()
    const error = await failure(waitForReady({ ...base, name: 'db', spec: { port, timeout: 0.2 } }))
    expect(error.message).toContain('ECONNREFUSED')
    const tcp = createTcpServer().listen(port, '127.0.0.1')
    try {
      await expect(waitForReady({ ...base, name: 'db', spec: { port, timeout: 2 } })).resolves.toMatchObject({ name: 'db' })
    } finally {
      tcp.close()
    }
  })

  test('behavior: command waits for exit 0 and shows its last output', async () => {
    const error = await failure(waitForReady({ ...base, name: 'migrations', spec: { command: 'echo not yet; exit 3', timeout: 0.2 } }))
    expect(error.message).toContain('exit 3')
    expect(error.message).toContain('not yet')
    await expect(waitForReady({ ...base, name: 'migrations', spec: { command: 'true', timeout: 1 } })).resolves.toMatchObject({ name: 'migrations' })
  })

  test('behavior: all_of needs every part; the failing part is named with its own timeout', async () => {
    const error = await failure(waitForReady({ ...base, name: 'stack', spec: { all_of: [{ command: 'true' }, { url: `${url}/health`, timeout: 0.2 }], timeout: 5 } }))
    expect(error.message).toMatch(/^stack\.all_of\.1 was not ready within 0.2 s/)
    await expect(waitForReady({ ...base, name: 'stack', spec: { all_of: [{ command: 'true' }, { url: `${url}/x`, status: 404 }] } })).resolves.toMatchObject({ name: 'stack' })
    const whole = await failure(waitForReady({ ...base, name: 'stack', spec: { all_of: [{ command: 'sleep 5', timeout: 10 }], timeout: 0.3 } }))
    expect(whole.message).toMatch(/^stack was not ready within 0.3 s/)
  })

  test('behavior: progress is shown while waiting', async () => {
    const progress: string[] = []
    await failure(waitForReady({ ...base, name: 'api', spec: { url: `${url}/health`, timeout: 0.3 }, log: (l) => progress.push(l), progressEveryMs: 50 }))
    expect(progress.length).toBeGreaterThan(0)
    expect(progress[0]).toMatch(/^waiting for api: GET .* answers 2xx \(\d+ s of 0.3 s; last: HTTP 503/)
  })
})

describe('waitForReady abortIf', () => {
  test('behavior: a process that exits before it is ready fails at once, saying so, with its last lines', async () => {
    const started = Date.now()
    const error = await failure(waitForReady({ ...base, name: 'process bot', spec: { port: await findFreePort(), timeout: 30 }, lines: () => ['Error: cannot find module'], abortIf: () => 'it exited first (code 1)' }))
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(error.message).toMatch(/^process bot was not ready within 30 s \(.* accepts connections; it exited first \(code 1\)\)/)
    expect(error.message).toContain('Error: cannot find module')
  })
})
