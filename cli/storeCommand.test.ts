import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { createStore } from '../engine/store/createStore.ts'
import { LOCK_FILE, lockStateDir } from '../engine/store/lockStateDir.ts'
import { main } from './main.ts'
import { storeCommand } from './storeCommand.ts'

// The store tools against real lmdb stores written by the engine's own createStore, and a tiny
// JSON-RPC server whose head the test sets (the cursor checks read the head from rpc_url).
let rpc: Server
let rpcUrl = ''
let head = 100
beforeAll(async () => {
  rpc = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const request = JSON.parse(body) as { id: number; method: string }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: `0x${head.toString(16)}` }))
    })
  })
  await new Promise<void>((resolve) => rpc.listen(0, '127.0.0.1', resolve))
  rpcUrl = `http://127.0.0.1:${(rpc.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((resolve) => rpc.close(() => resolve())))

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  head = 100
})

const hash = `0x${'ab'.repeat(32)}`

/** A config in a fresh folder (state in `state/`) and, unless `empty`, a store with a cursor at block 90 and TWAP-like keys. */
async function setup(options: { empty?: boolean; lookback?: number; url?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-storecmd-'))
  dirs.push(dir)
  const config = join(dir, 'engine.toml')
  writeFileSync(
    config,
    `[engine]\nstate_dir = "state"\n[chains.11155111]\nrpc_url = "${options.url ?? rpcUrl}"\nmax_lookback_blocks = ${options.lookback ?? 1000}\non_gap = "halt"\n[[modules]]\nname = "twap-monitor"\n`,
  )
  if (!options.empty) {
    const store = createStore({ stateDir: join(dir, 'state') })
    const twap = store.forModule('twap-monitor')
    twap.begin()
    for (let i = 0; i < 3; i++) await twap.set(`watch:0x${i}`, { nextDue: BigInt(i) })
    for (let i = 0; i < 2; i++) await twap.set(`submitted:0xuid${i}`, { at: 1 })
    await twap.set('schema', 2)
    await twap.commit()
    const other = store.forModule('stop-loss')
    other.begin()
    await other.set('backoff:0x1', { until: 5 })
    await other.commit()
    await store.setCursor(11155111, { number: 90n, hash })
    await store.close()
  }
  return { dir, config, stateDir: join(dir, 'state') }
}

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await storeCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** main() as the shell runs it: exit code and stderr (ConfigErrors are printed there). */
async function runMain(argv: string[]) {
  const err: string[] = []
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)))
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    return { code: await main(argv), err: err.join('\n') }
  } finally {
    spy.mockRestore()
    log.mockRestore()
  }
}

describe('shepherd store inspect', () => {
  test('behavior: lists each database with its keys grouped by prefix and counted, as a table and as JSON', async () => {
    const { config } = await setup()
    const table = await run(['inspect', '--config', config])
    expect(table.code).toBe(0)
    expect(table.out).toMatch(/module:twap-monitor {2}\(6 entries\)/)
    expect(table.out).toMatch(/watch: +3/)
    expect(table.out).toMatch(/submitted: +2/)
    expect(table.out).toMatch(/\(no prefix\) +1/)
    const asJson = await run(['inspect', '--config', config, '--json'])
    const parsed = JSON.parse(asJson.out) as { databases: Array<{ name: string; entries: number; prefixes: Array<{ prefix: string; count: number }> }> }
    expect(parsed.databases.map((d) => d.name)).toEqual(['engine', 'module:stop-loss', 'module:twap-monitor'])
    expect(parsed.databases.find((d) => d.name === 'module:twap-monitor')).toEqual({
      name: 'module:twap-monitor',
      entries: 6,
      prefixes: [
        { prefix: 'watch:', count: 3 },
        { prefix: 'submitted:', count: 2 },
        { prefix: '(no prefix)', count: 1 },
      ],
    })
    expect(parsed.databases.find((d) => d.name === 'engine')?.prefixes).toContainEqual({ prefix: 'cursor:', count: 1 })
  })
})

describe('shepherd store verify', () => {
  test('behavior: OK for a readable store whose cursor is within the lookback of the head', async () => {
    const { config } = await setup()
    const result = await run(['verify', '--config', config])
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toContain('cursor chain 11155111: block 90')
    expect(result.out).toContain('verify: OK')
  })

  test('behavior: a cursor ahead of the chain head fails, naming the chain and both blocks', async () => {
    const { config } = await setup()
    head = 50
    const result = await run(['verify', '--config', config])
    expect(result.code).toBe(1)
    expect(result.err).toContain('chain 11155111: the cursor (block 90) is ahead of the chain head (block 50)')
  })

  test('behavior: a cursor older than max_lookback_blocks under on_gap = "halt" fails', async () => {
    const { config } = await setup({ lookback: 5 })
    const result = await run(['verify', '--config', config])
    expect(result.code).toBe(1)
    expect(result.err).toContain('is 10 blocks behind the head (block 100), beyond max_lookback_blocks = 5')
  })

  test('behavior: an unreachable RPC fails the cursor check and says --offline checks the store alone; --offline passes', async () => {
    const { config } = await setup({ url: 'http://127.0.0.1:9' })
    const online = await run(['verify', '--config', config])
    expect(online.code).toBe(1)
    expect(online.err).toContain('chain 11155111: the head could not be read (http://127.0.0.1:9)')
    expect(online.err).toContain('--offline')
    expect((await run(['verify', '--config', config, '--offline'])).code).toBe(0)
  })

  test('behavior: a value that is not the store\'s JSON and a malformed cursor fail, naming the database and key', async () => {
    const { config, stateDir } = await setup()
    const root = open<string, string>({ path: stateDir, maxDbs: 256, encoding: 'string' })
    await root.openDB<string, string>({ name: 'module:twap-monitor', encoding: 'string' }).put('watch:0xbad', '{not json')
    await root.openDB<string, string>({ name: 'engine', encoding: 'string' }).put('cursor:11155111', '{"number":7}')
    await root.close()
    const result = await run(['verify', '--config', config])
    expect(result.code).toBe(1)
    expect(result.err).toContain("module:twap-monitor watch:0xbad: the value is not the store's JSON")
    expect(result.err).toContain('chain 11155111: cursor (engine cursor:11155111) is malformed')
  })
})

describe('shepherd store backup and restore', () => {
  test('behavior: a backup holds the data file and a manifest; restored into a new state dir it reads the same and verifies', async () => {
    const source = await setup()
    const backup = join(source.dir, 'backups', 'b1')
    const made = await run(['backup', backup, '--config', source.config])
    expect(made.err).toBe('')
    expect(made.code).toBe(0)
    expect(readdirSync(backup).sort()).toEqual(['backup.json', 'data.mdb'])
    const manifest = JSON.parse(readFileSync(join(backup, 'backup.json'), 'utf8')) as { cursors: unknown; databases: unknown }
    expect(manifest.cursors).toEqual([{ chainId: 11155111, block: '90' }])
    expect(manifest.databases).toContainEqual({ name: 'module:twap-monitor', entries: 6 })

    const target = await setup({ empty: true })
    const restored = await run(['restore', backup, '--config', target.config])
    expect(restored.err).toBe('')
    expect(restored.code).toBe(0)
    expect(restored.out).toContain('verify: OK')
    const before = JSON.parse((await run(['inspect', '--config', source.config, '--json'])).out) as { databases: unknown }
    const after = JSON.parse((await run(['inspect', '--config', target.config, '--json'])).out) as { databases: unknown }
    expect(after.databases).toEqual(before.databases)
    const store = createStore({ stateDir: target.stateDir })
    expect(store.getCursor(11155111)).toEqual({ number: 90n, hash })
    expect(await store.forModule('twap-monitor').get('watch:0x2')).toEqual({ nextDue: 2n })
    await store.close()
  })

  test('behavior: backup refuses a non-empty directory; restore refuses a non-empty state dir unless --force, which keeps the old one aside', async () => {
    const source = await setup()
    const busy = join(source.dir, 'busy')
    mkdirSync(busy)
    writeFileSync(join(busy, 'keep.txt'), 'x')
    const refused = await run(['backup', busy, '--config', source.config])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('The backup directory is not empty')
    const backup = join(source.dir, 'b')
    expect((await run(['backup', backup, '--config', source.config])).code).toBe(0)

    const target = await setup({ lookback: 1000 })
    const noForce = await run(['restore', backup, '--config', target.config])
    expect(noForce.code).toBe(1)
    expect(noForce.err).toContain('The state directory is not empty')
    expect(noForce.err).toContain('--force')
    const forced = await run(['restore', backup, '--config', target.config, '--force'])
    expect(forced.code).toBe(0)
    const aside = /moved to (\S+)\)/.exec(forced.out)?.[1]
    expect(aside && existsSync(join(aside, 'data.mdb'))).toBe(true)
  })

  test('behavior: while an engine holds the state dir lock, inspect, verify and backup work and restore (even --force) exits 2 naming the holder; once released restore works', async () => {
    const target = await setup()
    const lock = lockStateDir({ stateDir: target.stateDir, configFile: target.config })
    try {
      expect((await run(['inspect', '--config', target.config])).code).toBe(0)
      expect((await run(['verify', '--config', target.config])).code).toBe(0)
      const backup = join(target.dir, 'b')
      expect((await run(['backup', backup, '--config', target.config])).code).toBe(0)
      expect(readdirSync(backup), 'the lock file is not part of a backup').not.toContain(LOCK_FILE)
      const before = readdirSync(target.stateDir).sort()
      const refused = await runMain(['store', 'restore', backup, '--config', target.config, '--force'])
      expect(refused.code).toBe(2)
      expect(refused.err).toContain('Nothing was restored: another engine is using its state directory')
      expect(refused.err).toContain(`file: ${target.config}`)
      expect(refused.err).toContain('key: engine.state_dir')
      expect(refused.err).toContain(`found: locked by pid ${process.pid}`)
      expect(readdirSync(target.stateDir).sort()).toEqual(before)
      expect(readdirSync(target.dir).filter((n) => n.startsWith('state-')), 'nothing moved aside or staged').toEqual([])
      lock.release()
      const restored = await run(['restore', backup, '--config', target.config, '--force'])
      expect(restored.code).toBe(0)
    } finally {
      lock.release()
    }
  })

  test('behavior: a corrupt backup (cut short, not lmdb, missing) is refused with what is wrong, and the state dir is left as it was', async () => {
    const source = await setup()
    const backup = join(source.dir, 'b')
    expect((await run(['backup', backup, '--config', source.config])).code).toBe(0)
    const target = await setup({ empty: true })

    const cut = join(source.dir, 'cut')
    mkdirSync(cut)
    writeFileSync(join(cut, 'data.mdb'), readFileSync(join(backup, 'data.mdb')))
    truncateSync(join(cut, 'data.mdb'), 3 * 4096)
    const short = await run(['restore', cut, '--config', target.config])
    expect(short.code).toBe(1)
    expect(short.err).toContain('the file was cut short')

    const garbage = join(source.dir, 'garbage')
    mkdirSync(garbage)
    writeFileSync(join(garbage, 'data.mdb'), Buffer.alloc(64 * 1024, 7))
    const notLmdb = await run(['restore', garbage, '--config', target.config])
    expect(notLmdb.code).toBe(1)
    expect(notLmdb.err).toContain('not an lmdb data file')

    const missing = await run(['restore', join(source.dir, 'nope'), '--config', target.config])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('No backup in this directory')
    expect(existsSync(target.stateDir)).toBe(false)

    // A backup whose cursor is ahead of the chain (another chain's state) fails the check after restore's copy: nothing restored.
    head = 10
    const ahead = await run(['restore', backup, '--config', target.config])
    expect(ahead.code).toBe(1)
    expect(ahead.err).toContain('nothing was restored')
    expect(ahead.err).toContain('is ahead of the chain head (block 10)')
    expect(existsSync(target.stateDir)).toBe(false)
  })
})

describe('shepherd store: bad input', () => {
  test('behavior: a missing config exits 2 naming the file', async () => {
    const result = await runMain(['store', 'inspect', '--config', '/nonexistent/engine.toml'])
    expect(result.code).toBe(2)
    expect(result.err).toContain('Cannot read the config file')
    expect(result.err).toContain('/nonexistent/engine.toml')
  })

  test('behavior: a state_dir with no store exits 2 naming engine.state_dir and what was found', async () => {
    const { config, stateDir } = await setup({ empty: true })
    for (const verb of ['inspect', 'verify', 'backup']) {
      const result = await runMain(['store', verb, ...(verb === 'backup' ? ['/tmp/never-written'] : []), '--config', config])
      expect(result.code).toBe(2)
      expect(result.err).toContain('No store in the state directory')
      expect(result.err).toContain('key: engine.state_dir')
      expect(result.err).toContain(`${stateDir} does not exist`)
    }
  })

  test('behavior: usage errors exit 2 with the usage', async () => {
    const { config } = await setup({ empty: true })
    for (const [argv, message] of [
      [['--config', config], 'give a subcommand'],
      [['shrink', '--config', config], 'unknown subcommand "shrink"'],
      [['backup', '--config', config], 'backup needs a directory'],
      [['inspect', 'extra', '--config', config], 'unexpected argument "extra"'],
      [['inspect'], '--config <engine.toml> is required'],
      [['inspect', '--config', config, '--bogus'], "Unknown option '--bogus'"],
    ] as const) {
      const result = await run([...argv])
      expect(result.code, message).toBe(2)
      expect(result.err).toContain(message)
      expect(result.err).toContain('usage: shepherd store')
    }
  })
})
