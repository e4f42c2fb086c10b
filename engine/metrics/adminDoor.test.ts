import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import { createAdminRoutes } from '../supervisor/adminRoutes.ts'
import type { SupervisedRunner, SupervisedState } from '../supervisor/createSupervisedRunner.ts'
import { releaseCommand } from '../supervisor/releaseCommand.ts'
import { isLoopbackAddress } from './authorizeAdmin.ts'
import { createMetrics } from './createMetrics.ts'
import { serveMetrics, type AdminRoute } from './serveMetrics.ts'

const token = 'correct-horse-battery-staple'
const closers: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (closers.length) await closers.pop()?.()
})

/** One module, parked: a release is the admin action these tests try to reach. */
function parkedModule() {
  let status: SupervisedState['status'] = 'poisoned'
  const state = (): SupervisedState => ({ status, traps: 5, restarts: 4, lastError: null, skipped: { events: 0, first: null }, parked: 0, lost: 0, poisonedReason: 'test' })
  const runner: Pick<SupervisedRunner, 'state' | 'release'> = {
    state,
    release: () => {
      const released = status === 'poisoned'
      status = 'running'
      return { released, state: state() }
    },
  }
  return { runner, status: () => status }
}

async function serve(options: { bind?: string; adminToken?: string; admin?: AdminRoute } = {}) {
  const module = parkedModule()
  const lines: string[] = []
  const server = await serveMetrics({
    registry: createMetrics().registry,
    bind: options.bind ?? '127.0.0.1:0',
    health: () => ({ ok: true, details: {} }),
    admin: options.admin ?? createAdminRoutes(new Map([['bad', module.runner]])),
    adminToken: options.adminToken,
    log: createLogger({ write: (line) => lines.push(line) }),
  })
  closers.push(server.close)
  const port = new URL(server.url).port
  return { port, module, lines }
}

const release = (host: string, port: string, authorization?: string) =>
  fetch(`http://${host}:${port}/admin/modules/bad/release`, { method: 'POST', headers: authorization ? { authorization } : {} })

/** This machine's first non-loopback IPv4 address, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address

describe('the admin door on the metrics port', () => {
  test('behavior: loopback means the peer of the connection (127/8, ::1, IPv4-mapped 127.x), not the bind', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true)
    for (const address of ['192.0.2.2', '10.0.0.1', '::ffff:10.0.0.1', 'fd00::2', '0.0.0.0', '::', undefined, 'localhost']) expect(isLoopbackAddress(address)).toBe(false)
  })

  test('behavior: without a token, a loopback client may release a module', async () => {
    const { port, module } = await serve()
    const answer = await release('127.0.0.1', port)
    expect(answer.status).toBe(200)
    expect(module.status()).toBe('running')
  })

  test.skipIf(!outside)('behavior: without a token, a server bound to every address refuses admin requests from a non-loopback peer; /metrics and /healthz stay open', async () => {
    const { port, module } = await serve({ bind: '0.0.0.0:0' })
    const refused = await release(outside!, port)
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: string }).error).toMatch(/loopback clients only \(this request came from (::ffff:)?192\.0\.2\.2|set \[engine\.admin\] token/)
    expect(module.status()).toBe('poisoned')
    expect((await fetch(`http://${outside}:${port}/admin/modules`)).status).toBe(403)
    expect((await fetch(`http://${outside}:${port}/metrics`)).status).toBe(200)
    expect((await fetch(`http://${outside}:${port}/healthz`)).status).toBe(200)
    // The same server, asked through loopback, serves them.
    expect((await release('127.0.0.1', port)).status).toBe(200)
    expect(module.status()).toBe('running')
  })

  test('behavior: with a token, no token or a wrong one is a 401 (even from loopback) and the right one releases', async () => {
    const { port, module } = await serve({ adminToken: token })
    const missing = await release('127.0.0.1', port)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    expect(await missing.json()).toEqual({ error: 'admin routes need Authorization: Bearer <token> (the [engine.admin] token)' })
    for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, 'Bearer x', `Basic ${token}`, token]) {
      const answer = await release('127.0.0.1', port, wrong)
      expect(answer.status, wrong).toBe(401)
    }
    expect(module.status()).toBe('poisoned')
    const right = await release('127.0.0.1', port, `Bearer ${token}`)
    expect(right.status).toBe(200)
    expect(module.status()).toBe('running')
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200)
  })

  test.skipIf(!outside)('behavior: with a token, a non-loopback peer with the right token is served', async () => {
    const { port, module } = await serve({ bind: '0.0.0.0:0', adminToken: token })
    expect((await release(outside!, port)).status).toBe(401)
    expect((await release(outside!, port, `Bearer ${token}`)).status).toBe(200)
    expect(module.status()).toBe('running')
  })

  test('behavior: a failing route answers a generic 500; the detail goes to the log only', async () => {
    const { port, lines } = await serve({
      admin: async () => {
        throw new Error('lmdb: /var/lib/shepherd/data.mdb is locked by pid 4242')
      },
    })
    const answer = await fetch(`http://127.0.0.1:${port}/admin/modules`)
    expect(answer.status).toBe(500)
    const body = await answer.text()
    expect(body).not.toContain('lmdb')
    expect(JSON.parse(body)).toEqual({ error: 'internal error; the engine log has the detail' })
    expect(lines.some((l) => l.includes('data.mdb is locked by pid 4242') && l.includes('"level":"error"'))).toBe(true)
  })
})

describe('shepherd release sends the token', () => {
  test('behavior: --config reads [engine.admin] token (through ${ENV}) and the metrics bind; SHEPHERD_ADMIN_TOKEN works without a config', async () => {
    const { port, module } = await serve({ adminToken: token })
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-release-'))
    closers.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'engine.toml')
    writeFileSync(file, `[engine.metrics]\nenabled = true\nbind = "0.0.0.0:${port}"\n[engine.admin]\ntoken = "\${ADMIN_TOKEN}"\n[chains.1]\nrpc_url = "http://127.0.0.1:1"\n`)
    const out: string[] = []
    const err: string[] = []
    const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }

    expect(await releaseCommand(['bad', '--admin', `http://127.0.0.1:${port}`], { ...io, env: {} })).toBe(1)
    expect(err.join('\n')).toContain('Pass --config engine.toml')
    expect(await releaseCommand(['bad', '--config', file], { ...io, env: { ADMIN_TOKEN: 'not-the-token-at-all' } })).toBe(1)
    expect(err.join('\n')).toContain('The engine refused this token')
    expect(module.status()).toBe('poisoned')
    expect(await releaseCommand(['bad', '--config', file], { ...io, env: { ADMIN_TOKEN: token } })).toBe(0)
    expect(module.status()).toBe('running')

    const again = await serve({ adminToken: token })
    expect(await releaseCommand(['bad', '--admin', `http://127.0.0.1:${again.port}`], { ...io, env: { SHEPHERD_ADMIN_TOKEN: token } })).toBe(0)
    expect(again.module.status()).toBe('running')
    expect(await releaseCommand(['bad', '--config', join(dir, 'missing.toml')], { ...io, env: {} })).toBe(2)
  })
})
