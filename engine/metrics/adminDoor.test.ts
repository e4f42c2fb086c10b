import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import { createAdminRoutes } from '../supervisor/adminRoutes.ts'
import type { SupervisedRunner, SupervisedState } from '../supervisor/createSupervisedRunner.ts'
import { releaseCommand } from '../supervisor/releaseCommand.ts'
import { parseConfig } from '../config/loadConfig.ts'
import { adminDoorWarning } from './adminDoorWarning.ts'
import { authorizeAdmin, isLoopbackAddress } from './authorizeAdmin.ts'
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

// Every server here listens on 127.0.0.1 (the project's rule): the decisions about other peers are
// tested on `authorizeAdmin` with injected peer addresses, which is what the server asks.
async function serve(options: { adminToken?: string; admin?: AdminRoute } = {}) {
  const module = parkedModule()
  const lines: string[] = []
  const server = await serveMetrics({
    registry: createMetrics().registry,
    bind: '127.0.0.1:0',
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

// Peers as `request.socket.remoteAddress` reports them: a dual-stack socket reports IPv4 peers as
// IPv4-mapped IPv6 (`::ffff:a.b.c.d`).
const loopbackPeers = ['127.0.0.1', '127.8.9.10', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2']
const otherPeers = ['192.0.2.2', '10.0.0.1', '172.16.5.4', '0.0.0.0', '::ffff:10.0.0.1', '::ffff:192.0.2.2', '2001:db8::1', 'fd00::2', 'fe80::1', '::', '::2', '128.0.0.1', '1.127.0.0']

describe('the admin door on the metrics port', () => {
  test('behavior: loopback means the peer of the connection (127/8, ::1, IPv4-mapped 127.x), not the bind', () => {
    for (const address of loopbackPeers) expect(isLoopbackAddress(address), address).toBe(true)
    for (const address of [...otherPeers, undefined, '', 'localhost']) expect(isLoopbackAddress(address), String(address)).toBe(false)
  })

  test('behavior: without a token, every non-loopback peer (IPv4, IPv6, IPv4-mapped) is refused with 403 naming it; loopback peers pass', () => {
    for (const remoteAddress of loopbackPeers) expect(authorizeAdmin({ remoteAddress, authorization: undefined, token: undefined }), remoteAddress).toBeUndefined()
    for (const remoteAddress of [...otherPeers, undefined]) {
      const refusal = authorizeAdmin({ remoteAddress, authorization: undefined, token: undefined })
      expect(refusal, String(remoteAddress)).toEqual({ status: 403, error: expect.stringContaining(`loopback clients only (this request came from ${remoteAddress ?? 'an unknown address'})`) })
      // A bearer header changes nothing when no token is configured.
      expect(authorizeAdmin({ remoteAddress, authorization: 'Bearer anything', token: undefined })?.status).toBe(403)
    }
  })

  test('behavior: with a token, any peer (loopback or not) needs the right bearer token: 401 without or wrong, served with it', () => {
    for (const remoteAddress of [...loopbackPeers, ...otherPeers]) {
      expect(authorizeAdmin({ remoteAddress, authorization: undefined, token })?.status, remoteAddress).toBe(401)
      expect(authorizeAdmin({ remoteAddress, authorization: `Bearer ${token}x`, token })?.status, remoteAddress).toBe(401)
      expect(authorizeAdmin({ remoteAddress, authorization: `Bearer ${token}`, token }), remoteAddress).toBeUndefined()
    }
  })

  test('behavior: a config binding metrics to a non-loopback address without a token starts with a warning, and its admin door still refuses non-loopback peers', () => {
    const engineToml = (bind: string, admin = '') => parseConfig({ file: '/etc/shepherd/engine.toml', text: `[engine.metrics]\nenabled = true\nbind = "${bind}"\n${admin}[chains.1]\nrpc_url = "http://127.0.0.1:1"\n` })
    for (const bind of ['0.0.0.0:9100', '[::]:9100', '10.1.2.3:9100']) {
      const config = engineToml(bind)
      expect(adminDoorWarning({ bind: config.engine.metrics.bind, token: config.engine.admin.token }), bind).toMatch(/^metrics bind is not loopback and \[engine\.admin\] token is unset/)
      // The decision the server makes with that config: a scrape host on the network gets no admin route.
      expect(authorizeAdmin({ remoteAddress: '::ffff:10.9.8.7', authorization: undefined, token: config.engine.admin.token })?.status).toBe(403)
      expect(authorizeAdmin({ remoteAddress: '127.0.0.1', authorization: undefined, token: config.engine.admin.token })).toBeUndefined()
    }
    for (const bind of ['127.0.0.1:9100', '[::1]:9100', 'localhost:9100']) expect(adminDoorWarning({ bind: engineToml(bind).engine.metrics.bind, token: undefined }), bind).toBeUndefined()
    const withToken = engineToml('0.0.0.0:9100', `[engine.admin]\ntoken = "${token}"\n`)
    expect(adminDoorWarning({ bind: withToken.engine.metrics.bind, token: withToken.engine.admin.token })).toBeUndefined()
  })

  test('behavior: without a token, a loopback client may release a module', async () => {
    const { port, module } = await serve()
    const answer = await release('127.0.0.1', port)
    expect(answer.status).toBe(200)
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
    // A wildcard bind in the config only (nothing binds it: the server above is on 127.0.0.1): release reaches it through loopback.
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
