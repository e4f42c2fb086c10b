import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createMockHost, type MockHost } from '../modules/sdk/index.ts'
import twapMonitor from '../modules/twap-monitor/index.ts'
import { blockAt, createdLog, modelAnswer, twapParams, OWNER } from '../modules/twap-monitor/testing/fixtures.ts'
import { twapMonitorConfig } from '../modules/twap-monitor/config.ts'
import { twapWatchId } from '../modules/twap-monitor/watchStore.ts'
import { createStore } from '../engine/store/createStore.ts'
import { main } from './main.ts'
import { watchesCommand } from './watchesCommand.ts'

const POLL = { selector: '0x26e0a196' } as const
const config = twapMonitorConfig.parse({ maxUnknownPolls: 3, unknownBackoffMaxBlocks: 1 })
const id = twapWatchId(OWNER, twapParams())

let dir: string
let mock: MockHost
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shepherd-watches-'))
  writeFileSync(join(dir, 'engine.toml'), `[engine]\nstate_dir = "state"\n[chains.11155111]\nrpc_url = "http://127.0.0.1:1"\n[[modules]]\nname = "twap-monitor"\n`)
  mock = createMockHost({ module: twapMonitor })
})
afterEach(() => {
  mock.dispose()
  rmSync(dir, { recursive: true, force: true })
})

/** twap-monitor on the engine's real lmdb store, the rest of its Host from MockHost. */
async function withModule(run: (host: MockHost['host']) => Promise<void>) {
  const store = createStore({ stateDir: join(dir, 'state') })
  try {
    await run({ ...mock.host, store: store.forModule('twap-monitor') })
  } finally {
    await store.close()
  }
}

/** Lets twap-monitor remove a watch after 3 unreadable answers, as it would in the engine. */
async function removeByUnknowns() {
  mock.chain.onMulticall(POLL, { revert: '0xdeadbeef' })
  await withModule(async (host) => {
    await twapMonitor.onLogs!({ host, config, block: blockAt(1n), logs: [createdLog(twapParams(), 1n)] })
    for (let n = 1n; n <= 3n; n++) await twapMonitor.onBlock!({ host, config, block: blockAt(n) })
    expect(await host.store.get(`watch:${id}`)).toBeUndefined()
  })
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err }
}

describe('shepherd watches', () => {
  test('behavior: lists a watch twap-monitor removed after unreadable answers, with the reason, and restore puts it back due at once', async () => {
    await removeByUnknowns()
    const list = capture()
    expect(await watchesCommand(['--config', join(dir, 'engine.toml')], list.io)).toBe(0)
    expect(list.out[0]).toBe(`1 removed watch in ${join(dir, 'state')}:`)
    expect(list.out.join('\n')).toContain(id)
    expect(list.out.join('\n')).toContain('3 poll answers in a row could not be read (last: 0xdeadbeef)')
    const json = capture()
    expect(await watchesCommand(['--state-dir', join(dir, 'state'), '--json'], json.io)).toBe(0)
    expect(JSON.parse(json.out.join('\n'))).toMatchObject([{ module: 'twap-monitor', id, block: '3' }])

    const restore = capture()
    expect(await watchesCommand(['restore', id, '--config', join(dir, 'engine.toml')], restore.io)).toBe(0)
    expect(restore.out).toEqual([`restored twap-monitor ${id} (due at the next block)`])
    const after = capture()
    await watchesCommand(['--config', join(dir, 'engine.toml')], after.io)
    expect(after.out[0]).toBe(`0 removed watches in ${join(dir, 'state')}`)

    // The module polls it again at its next block, its count reset.
    mock.chain.onMulticall(POLL, modelAnswer)
    const before = mock.chain.multicalls.length
    await withModule(async (host) => {
      await twapMonitor.onBlock!({ host, config, block: blockAt(10n) })
      expect(await host.store.get(`watch:${id}`)).toMatchObject({ unknowns: 0 })
    })
    expect(mock.chain.multicalls.length).toBe(before + 1)
    expect(mock.cowApi.submissions).toHaveLength(1)
  })

  test('behavior: a restore is seen by another process holding the state open (a running engine)', async () => {
    await removeByUnknowns()
    // A stand-in for the engine: the same lmdb environment open in another process, reading as the store does.
    const script = `
      import { open } from 'lmdb'
      const root = open({ path: ${JSON.stringify(join(dir, 'state'))}, maxDbs: 256, encoding: 'string' })
      const db = root.openDB({ name: 'module:twap-monitor', encoding: 'string' })
      console.log(db.get('watch:${id}') === undefined ? 'ready' : 'unexpected')
      const deadline = Date.now() + 15000
      const timer = setInterval(() => {
        if (db.get('watch:${id}') !== undefined) { console.log('seen'); clearInterval(timer); root.close().then(() => process.exit(0)) }
        else if (Date.now() > deadline) { console.log('timeout'); process.exit(1) }
      }, 20)`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] })
    const lines: string[] = []
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean))
        if (lines.includes('ready')) resolve()
        if (lines.includes('unexpected')) reject(new Error('the watch was there before the restore'))
      })
      child.once('exit', () => reject(new Error(`child exited early: ${lines.join(' ')}`)))
    })
    try {
      expect(await watchesCommand(['restore', '--all', '--state-dir', join(dir, 'state')], capture().io)).toBe(0)
      expect(await exited).toBe(0)
      expect(lines).toContain('seen')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  test('behavior: a refused write fails the restore: exit 1, a message naming the store and what to do, no "restored" line, the watch still removed', async () => {
    await removeByUnknowns()
    const failing = capture()
    const injectWriteFault = ({ database }: { database: string }) => {
      if (database === 'module:twap-monitor') throw new Error('MDB_MAP_FULL: Environment mapsize limit reached')
    }
    expect(await watchesCommand(['restore', id, '--config', join(dir, 'engine.toml')], { ...failing.io, injectWriteFault })).toBe(1)
    expect(failing.out).toEqual([])
    expect(failing.err[0]).toContain(`could not store the restore of ${id} in twap-monitor's store`)
    expect(failing.err.join('\n')).toContain('the watches stay removed')
    expect(failing.err.join('\n')).not.toContain('no removed watch')
    const all = capture()
    expect(await watchesCommand(['restore', '--all', '--state-dir', join(dir, 'state')], { ...all.io, injectWriteFault })).toBe(1)
    expect(all.out).toEqual([])
    // Nothing was written: the watch is still listed as removed, and a restore without the fault works.
    const list = capture()
    await watchesCommand(['--config', join(dir, 'engine.toml')], list.io)
    expect(list.out[0]).toBe(`1 removed watch in ${join(dir, 'state')}:`)
    expect(await watchesCommand(['restore', id, '--config', join(dir, 'engine.toml')], capture().io)).toBe(0)
  })

  test('behavior: unknown ids, a missing state dir and bad usage say what is wrong, with exit codes 1 and 2', async () => {
    await removeByUnknowns()
    const unknown = capture()
    expect(await watchesCommand(['restore', '0x1234', '--state-dir', join(dir, 'state')], unknown.io)).toBe(1)
    expect(unknown.err[0]).toContain('no removed watch 0x1234')
    const missing = capture()
    expect(await watchesCommand(['--state-dir', join(dir, 'nope')], missing.io)).toBe(1)
    expect(missing.err[0]).toContain(`no state dir at ${join(dir, 'nope')}`)
    const noModule = capture()
    expect(await watchesCommand(['--state-dir', join(dir, 'state'), '--module', 'stop-loss'], noModule.io)).toBe(1)
    expect(noModule.err[0]).toContain('module "stop-loss" has no store')
    for (const argv of [[], ['restore', '--config', 'x'], ['--all', '--config', 'x'], ['frobnicate', '--config', 'x'], ['--config', 'a', '--state-dir', 'b']]) {
      const bad = capture()
      expect(await watchesCommand(argv, bad.io), argv.join(' ')).toBe(2)
      expect(bad.err[1]).toMatch(/^usage: shepherd watches/)
    }
    expect(await main(['watches', '--config', join(dir, 'missing.toml')])).toBe(2) // ConfigError names the file
  })
})
