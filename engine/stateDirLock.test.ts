import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { createMemoryChainSource } from './chain/createMemoryChainSource.ts'
import { parseConfig } from './config/loadConfig.ts'
import { StateDirLockedError } from './errors/config.ts'
import { createLogger } from './host/createLogger.ts'
import { startEngine } from './startEngine.ts'
import { LOCK_FILE } from './store/lockStateDir.ts'

// One engine per state directory: a second engine (here in the same process, as a test would start
// one) is refused while the first runs, and may start once the first has stopped.
const chainId = 11155111
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function engineOn(dir: string, configName: string) {
  const config = parseConfig({
    text: `[engine]\nstate_dir = "${dir}"\n[engine.metrics]\nenabled = false\n[chains.${chainId}]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n`,
    file: join(dir, configName),
  })
  const mem = createMemoryChainSource({ chainId })
  mem.mine([[], []])
  return () => startEngine({ config, modules: [], sources: new Map([[chainId, mem.source]]), isolation: 'in-process', logger: createLogger({ level: 'error', write: () => {} }) })
}

test('behavior: a second engine on a state directory in use is refused (StateDirLockedError naming the config, engine.state_dir and the holder); it starts once the first stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-engine-lock-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const first = await engineOn(dir, 'first.toml')()
  cleanups.push(() => first.stop())
  expect(existsSync(join(dir, LOCK_FILE))).toBe(true)

  const refused = await engineOn(dir, 'second.toml')().then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(refused).toBeInstanceOf(StateDirLockedError)
  const message = (refused as Error).message
  expect(message).toContain(`file: ${join(dir, 'second.toml')}`)
  expect(message).toContain('key: engine.state_dir')
  expect(message).toContain('expected: a state directory no other engine is using')
  expect(message).toContain(`found: locked by pid ${process.pid}`)
  // The refusal left the first engine's lock in place.
  expect(existsSync(join(dir, LOCK_FILE))).toBe(true)

  await first.stop()
  expect(existsSync(join(dir, LOCK_FILE)), 'the lock is released by a graceful stop').toBe(false)
  const second = await engineOn(dir, 'second.toml')()
  cleanups.push(() => second.stop())
  expect(existsSync(join(dir, LOCK_FILE))).toBe(true)
})
