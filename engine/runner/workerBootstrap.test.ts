import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { loadFixture } from '../testing/fixtures/loadFixture.ts'
import { createWorkerRunner } from './createWorkerRunner.ts'
import { ModuleTrapError } from './ModuleTrapError.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function runnerFor(loaded: Parameters<typeof createWorkerRunner>[0]['loaded']) {
  const mock = createMockHost({ module: loaded.name })
  const runner = createWorkerRunner({ loaded, host: mock.host, memoryMb: 64, deadlineMs: 2_000, startTimeoutMs: 20_000, log: mock.host.log })
  cleanups.push(() => runner.stop(), () => mock.dispose())
  return { runner, mock }
}

describe('workerBootstrap', () => {
  test('behavior: a TypeScript module given by path loads in the worker from the bundle, not through tsx', async () => {
    const { runner, mock } = runnerFor(await loadFixture('trapsFirstN', { n: 0 }))
    await runner.init()
    const loaded = mock.logs.find((l) => l.message === 'module worker loaded')
    expect(loaded?.fields).toMatchObject({ via: 'bundle' })
    expect(mock.logs.filter((l) => l.level === 'warn')).toEqual([])
    expect(await mock.store.get('inits')).toBe(1)
  })

  test('behavior: a module path that does not exist fails the start with an error naming the file', async () => {
    const loaded = await loadFixture('throws')
    const { runner } = runnerFor({ ...loaded, name: 'ghost', url: new URL('./no-such-module.ts', loaded.url).href })
    const error = await runner.init().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleTrapError)
    expect((error as ModuleTrapError).during).toBe('start')
    expect(String(((error as ModuleTrapError).cause as Error).message)).toMatch(/Module file not found: .*fixtures\/no-such-module\.ts \(module "ghost"\)/)
  })

  test('behavior: a module that does not compile fails the start with the compiler message, after a warn naming why bundling failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-bootstrap-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'broken.ts')
    writeFileSync(file, 'export default {{ name: \n')
    const loaded = await loadFixture('throws')
    const { runner, mock } = runnerFor({ ...loaded, name: 'broken', url: pathToFileURL(file).href })
    const error = await runner.init().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleTrapError)
    const warn = mock.logs.find((l) => l.level === 'warn')
    expect(warn?.message).toContain('bundling failed')
    expect(String(warn?.fields?.reason)).toContain(`${file}:1:`)
  })
})
