import { afterEach, describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { serveMetrics } from '../metrics/serveMetrics.ts'
import { createAdminRoutes } from './adminRoutes.ts'
import { createSupervisedRunner, type SupervisedRunner } from './createSupervisedRunner.ts'
import { releaseCommand } from './releaseCommand.ts'

const block = { chainId: 11155111, number: 4n, hash: '0x04', parentHash: '0x03', timestamp: 4n } as const
const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

/** Two supervised modules on a real metrics server: `bad` always traps (poisoned after 1), `good` never. */
async function serve() {
  const metrics = createMetrics()
  const log = createMockHost({ module: 'admin' }).log
  const make = (name: string, fails: boolean) =>
    createSupervisedRunner({
      name,
      subscriptions: {},
      start: () => ({
        init: async () => {},
        run: async () => {
          if (fails) throw new Error('boom')
        },
        stop: async () => {},
      }),
      supervisor: { poison_after: 1 },
      metrics,
      log,
    })
  const supervisors = new Map<string, SupervisedRunner>([['bad', make('bad', true)], ['good', make('good', false)]])
  await supervisors.get('bad')!.handle({ kind: 'block', block })
  const server = await serveMetrics({ registry: metrics.registry, bind: '127.0.0.1:0', health: () => ({ ok: true, details: {} }), admin: createAdminRoutes(supervisors) })
  stops.push(server.close)
  return { url: server.url, metrics }
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } }
}

describe('admin routes', () => {
  test('behavior: GET /admin/modules lists every state; POST release un-parks a poisoned module; unknown is a 404', async () => {
    const { url, metrics } = await serve()
    const list = (await (await fetch(`${url}/admin/modules`)).json()) as { modules: Record<string, { status: string; skipped: { first: { block: string } } }> }
    expect(list.modules.bad).toMatchObject({ status: 'poisoned', skipped: { first: { block: '4' } } })
    expect(list.modules.good).toMatchObject({ status: 'running' })

    const released = await fetch(`${url}/admin/modules/bad/release`, { method: 'POST' })
    expect(released.status).toBe(200)
    expect(await released.json()).toMatchObject({ released: true, module: 'bad', state: { status: 'running' } })
    expect((await metrics.modulePoisoned.get()).values.find((v) => v.labels.module === 'bad')?.value).toBe(0)

    const again = await fetch(`${url}/admin/modules/bad/release`, { method: 'POST' })
    expect(again.status).toBe(409)
    const unknown = await fetch(`${url}/admin/modules/nope/release`, { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'unknown module "nope"', modules: ['bad', 'good'] })
    expect((await fetch(`${url}/admin/modules/bad/release`)).status).toBe(405)
  })

  test('behavior: shepherd release exits 0 when released, 1 when refused or unreachable, 2 on bad usage', async () => {
    const { url } = await serve()
    const ok = capture()
    expect(await releaseCommand(['bad', '--admin', url], ok.io)).toBe(0)
    expect(ok.out[0]).toBe('released bad')
    const refused = capture()
    expect(await releaseCommand(['good', `--admin=${url}`], refused.io)).toBe(1)
    expect(refused.err[0]).toContain('module "good" is not poisoned')
    const unknown = capture()
    expect(await releaseCommand(['nope', '--admin', url], unknown.io)).toBe(1)
    expect(unknown.err[0]).toContain('unknown module "nope"')
    const unreachable = capture()
    expect(await releaseCommand(['bad', '--admin', 'http://127.0.0.1:1'], unreachable.io)).toBe(1)
    expect(unreachable.err[0]).toContain('cannot reach')
    for (const argv of [[], ['a', 'b'], ['a', '--admin'], ['a', '--admin', 'ftp://x'], ['a', '--bogus']]) {
      const usage = capture()
      expect(await releaseCommand(argv, usage.io)).toBe(2)
      expect(usage.err[1]).toContain('usage: shepherd release')
    }
  })
})
