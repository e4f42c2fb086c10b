import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { ConfigError } from '../errors/config.ts'
import { loadFixture } from '../testing/fixtures/loadFixture.ts'
import { createWorkerRunner } from './createWorkerRunner.ts'
import { ModuleTrapError } from './ModuleTrapError.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function runnerFor(module: Parameters<typeof createWorkerRunner>[0]['module']) {
  const mock = createMockHost({ module: module.name })
  const runner = createWorkerRunner({ module, host: mock.host, memoryMb: 64, deadlineMs: 2_000, startTimeoutMs: 20_000, log: mock.host.log })
  cleanups.push(() => runner.stop(), () => mock.dispose())
  return { runner, mock }
}

describe('workerBootstrap', () => {
  test('behavior: a TypeScript module given by path loads in the worker from the bundle, not through tsx', async () => {
    const { runner, mock } = runnerFor((await loadFixture('trapsFirstN', { n: 0 })).module)
    await runner.init()
    const loaded = mock.logs.find((l) => l.message === 'module worker loaded')
    expect(loaded?.fields).toMatchObject({ via: 'bundle' })
    expect(mock.logs.filter((l) => l.level === 'warn')).toEqual([])
    expect(await mock.store.get('inits')).toBe(1)
  })

  test('behavior: a module path that does not exist fails the start with a ConfigError naming the entry and the file', async () => {
    const loaded = await loadFixture('throws')
    const { runner } = runnerFor({ name: 'ghost', url: new URL('./no-such-module.ts', loaded.url).href, config: {}, origin: { file: '/etc/engine.toml', index: 3, name: 'ghost', builtIn: false } })
    const error = await runner.init().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleTrapError)
    expect((error as ModuleTrapError).during).toBe('start')
    const cause = (error as ModuleTrapError).cause
    expect(cause).toBeInstanceOf(ConfigError)
    expect(cause).toMatchObject({ shortMessage: 'Module "ghost" not found', file: '/etc/engine.toml', key: 'modules.3.path', action: 'stop' })
    expect(String((cause as Error).message)).toMatch(/found: .*fixtures\/no-such-module\.ts/)
  })

  test('behavior: a module that does not compile fails the start with the compiler message, after a warn naming why bundling failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-bootstrap-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'broken.ts')
    writeFileSync(file, 'export default {{ name: \n')
    const { runner, mock } = runnerFor({ name: 'broken', url: pathToFileURL(file).href, config: {} })
    const error = await runner.init().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleTrapError)
    const warn = mock.logs.find((l) => l.level === 'warn')
    expect(warn?.message).toContain('bundling failed')
    expect(String(warn?.fields?.reason)).toContain(`${file}:1:`)
  })
})
