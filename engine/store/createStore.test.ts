import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createHealthBoard } from '../health/createHealthBoard.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { useTempStore } from '../testing/useTempStore.ts'
import { createStore } from './createStore.ts'
import { StoreWriteError } from './StoreWriteError.ts'

const stores = useTempStore('shepherd-store-')
const open = () => stores.open()

describe('createStore', () => {
  test('behavior: modules cannot read each other\'s keys', async () => {
    const s = open()
    const a = s.forModule('alpha')
    const b = s.forModule('beta')
    await a.set('watch:1', { n: 1 })
    await b.set('watch:2', { n: 2 })
    expect(await a.get('watch:2')).toBeUndefined()
    expect(await b.get('watch:1')).toBeUndefined()
    expect(await a.list('watch:')).toEqual([['watch:1', { n: 1 }]])
    expect(await b.list('')).toEqual([['watch:2', { n: 2 }]])
  })

  test('behavior: get, set, delete and list by prefix, with bigints intact', async () => {
    const s = open().forModule('m')
    await s.set('submitted:0xaa', { block: 12n, amounts: [1n, 2n] })
    await s.set('submitted:0xbb', true)
    await s.set('watch:0xcc', 'x')
    expect(await s.get('submitted:0xaa')).toEqual({ block: 12n, amounts: [1n, 2n] })
    expect((await s.list('submitted:')).map(([k]) => k)).toEqual(['submitted:0xaa', 'submitted:0xbb'])
    await s.delete('submitted:0xaa')
    expect(await s.get('submitted:0xaa')).toBeUndefined()
    expect(await s.list('submitted:')).toEqual([['submitted:0xbb', true]])
    expect(await s.list('submitted:', { limit: 0 })).toEqual([])
  })

  test('behavior: values and cursors survive a close and reopen', async () => {
    const first = open()
    await first.forModule('m').set('k', { v: 99n })
    await first.setCursor(11155111, { number: 42n, hash: '0xabc' })
    await first.close()
    const store = stores.open()
    expect(await store.forModule('m').get('k')).toEqual({ v: 99n })
    expect(store.getCursor(11155111)).toEqual({ number: 42n, hash: '0xabc' })
    expect(store.getCursor(1)).toBeUndefined()
  })

  test('behavior: a state_dir whose name has a dot (state.prod) is a directory holding the store, reopened across a restart', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'shepherd-store-dot-'))
    try {
      const stateDir = join(parent, 'state.prod')
      const first = createStore({ stateDir })
      await first.forModule('m').set('watch:1', { n: 1n })
      await first.close()
      expect(statSync(stateDir).isDirectory()).toBe(true)
      expect(existsSync(join(stateDir, 'data.mdb'))).toBe(true)
      const again = createStore({ stateDir })
      expect(await again.forModule('m').get('watch:1')).toEqual({ n: 1n })
      await again.close()
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  test('behavior: setting undefined is refused with a clear error', async () => {
    const s = open().forModule('m')
    await expect(s.set('k', undefined)).rejects.toThrow(/value is undefined/)
  })
})

describe('createStore: pending writes', () => {
  test('behavior: reads see writes before lmdb commits them, and deletes hide committed values', async () => {
    const s = open()
    const m = s.forModule('m')
    await m.set('a:1', 1)
    await s.flush()
    void m.set('a:2', 2)
    void m.set('a:0', 0)
    void m.delete('a:1')
    expect(await m.get('a:2')).toBe(2)
    expect(await m.get('a:1')).toBeUndefined()
    expect(await m.list('a:')).toEqual([
      ['a:0', 0],
      ['a:2', 2],
    ])
    expect(await m.list('a:', { limit: 1 })).toEqual([['a:0', 0]])
    await s.flush()
    expect(await m.list('a:')).toEqual([
      ['a:0', 0],
      ['a:2', 2],
    ])
  })

  test('behavior: values queued before a cursor write are stored with it', async () => {
    const first = open()
    const m = first.forModule('m')
    for (let i = 0; i < 50; i++) void m.set(`k:${String(i).padStart(3, '0')}`, i)
    await first.setCursor(1, { number: 7n, hash: '0x1' })
    await first.close()
    const store = stores.open()
    expect(store.getCursor(1)?.number).toBe(7n)
    expect((await store.forModule('m').list('k:')).length).toBe(50)
  })
})

describe('createStore: one transaction per event', () => {
  test('behavior: writes between begin and commit are stored with the engine records in one transaction; reads see them before the commit', async () => {
    const first = open()
    const m = first.forModule('m')
    m.begin()
    await m.set('a', 1)
    await m.set('b', 2)
    await m.delete('b')
    expect(await m.get('a')).toBe(1)
    expect(await m.list('')).toEqual([['a', 1]])
    await m.commit([{ key: 'mark', value: { n: 5n } }])
    await first.close()
    const store = stores.open()
    expect(await store.forModule('m').list('')).toEqual([['a', 1]])
    expect(store.engine.get('mark')).toEqual({ n: 5n })
  })

  test('behavior: an event that never commits (a trap, a kill) leaves nothing of its writes on disk', async () => {
    const first = open()
    const m = first.forModule('m')
    await m.set('before', true)
    m.begin()
    await m.set('during', true)
    m.discard()
    expect(await m.get('during')).toBeUndefined()
    m.begin()
    await m.set('unfinished', true)
    await first.close() // the process ends with the event still open
    const store = stores.open()
    expect(await store.forModule('m').list('')).toEqual([['before', true]])
  })

  test('bad input: a key lmdb cannot store is refused at set, naming its size', async () => {
    const m = open().forModule('m')
    await expect(m.set('k'.repeat(1979), 1)).rejects.toThrow(/1979 bytes; lmdb keys are at most 1978 bytes/)
    await expect(m.set('k'.repeat(1978), 1)).resolves.toBeUndefined()
  })
})

describe('createStore: a refused write', () => {
  function failing(failKeys: Set<string>) {
    const metrics = createMetrics()
    const health = createHealthBoard()
    const logs: string[] = []
    const log = { debug: () => {}, info: (m: string) => void logs.push(m), warn: (m: string) => void logs.push(m), error: (m: string) => void logs.push(m) }
    const store = stores.open({
      metrics,
      health,
      log,
      injectWriteFault: ({ key }) => {
        if (failKeys.delete(key)) throw new Error(`EIO: injected failure writing ${key}`)
      },
    })
    const refused = async () => (await metrics.registry.getSingleMetric('shepherd_store_write_errors_total')!.get()).values.find((v) => v.labels.database === 'module:m')?.value ?? 0
    return { store, health, logs, refused }
  }

  test('behavior: fails the commit with a StoreWriteError; none of the transaction is stored or served; counted, logged and degraded until a commit succeeds', async () => {
    const { store: s, health, logs, refused } = failing(new Set(['b']))
    const m = s.forModule('m')
    m.begin()
    await m.set('a', 1)
    await m.set('b', 2)
    const error = await m.commit([{ key: 'mark', value: 1 }]).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(StoreWriteError)
    expect((error as StoreWriteError).action).toBe('retry')
    expect(String((error as StoreWriteError).cause)).toContain('EIO: injected failure writing b')
    // Not served as if stored: the reads fall back to what lmdb holds, which is nothing of it.
    expect(await m.get('a')).toBeUndefined()
    expect(await m.get('b')).toBeUndefined()
    expect(s.engine.get('mark')).toBeUndefined()
    expect(await refused()).toBe(1)
    expect(logs).toContain('store write failed; the event it belongs to is retried')
    expect(health.problems()).toEqual([expect.objectContaining({ source: 'engine:store', check: 'writes:module:m', reason: expect.stringContaining('EIO') })])
    // Until resumed, every later commit of the store is refused too (none may land after a refused one).
    m.begin()
    await m.set('c', 3)
    await expect(m.commit()).rejects.toBeInstanceOf(StoreWriteError)
    expect(await m.get('c')).toBeUndefined()
    await m.resume()
    // The event runs again: this time lmdb takes it.
    m.begin()
    await m.set('a', 1)
    await m.set('b', 2)
    await m.commit([{ key: 'mark', value: 1 }])
    expect(await m.list('')).toEqual([['a', 1], ['b', 2]])
    expect(s.engine.get('mark')).toBe(1)
    expect(health.problems()).toEqual([])
  })

  test('behavior: commits in flight back to back: after a refused one, the later ones are refused too, in the same batch, so what is stored is a prefix', async () => {
    const { store: s } = failing(new Set(['k2']))
    const m = s.forModule('m')
    const commits = [1, 2, 3, 4].map((i) => {
      m.begin()
      void m.set(`k${i}`, i)
      return m.commit([{ key: `mark${i}`, value: i }]).then(
        () => 'stored',
        () => 'refused',
      )
    })
    expect(await Promise.all(commits)).toEqual(['stored', 'refused', 'refused', 'refused'])
    expect(await m.list('k')).toEqual([['k1', 1]])
    expect([1, 2, 3, 4].map((i) => s.engine.get(`mark${i}`))).toEqual([1, undefined, undefined, undefined])
    await m.resume()
    m.begin()
    await m.set('k2', 2)
    await m.commit()
    expect(await m.list('k')).toEqual([['k1', 1], ['k2', 2]])
  })

  test('behavior: a refused write made outside an event is not served as stored, and flush reports it', async () => {
    const { store: s, refused } = failing(new Set(['x']))
    const m = s.forModule('m')
    await m.set('x', 1)
    await expect(s.flush()).rejects.toBeInstanceOf(StoreWriteError)
    expect(await m.get('x')).toBeUndefined()
    expect(await refused()).toBe(1)
  })

  test('behavior: a refused cursor write rejects and leaves the stored cursor as it was', async () => {
    const { store: s } = failing(new Set(['cursor:1']))
    await expect(s.setCursor(1, { number: 9n, hash: '0x9' })).rejects.toBeInstanceOf(StoreWriteError)
    expect(s.getCursor(1)).toBeUndefined()
    await s.setCursor(1, { number: 9n, hash: '0x9' })
    expect(s.getCursor(1)?.number).toBe(9n)
  })
})
