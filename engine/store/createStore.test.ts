import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createStore, type EngineStore } from './createStore.ts'

let dir: string
let store: EngineStore | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
  rmSync(dir, { recursive: true, force: true })
})
function open() {
  dir ??= ''
  dir = mkdtempSync(join(tmpdir(), 'shepherd-store-'))
  store = createStore({ stateDir: dir })
  return store
}

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
    const path = dir
    await first.forModule('m').set('k', { v: 99n })
    await first.setCursor(11155111, { number: 42n, hash: '0xabc' })
    await first.close()
    store = createStore({ stateDir: path })
    expect(await store.forModule('m').get('k')).toEqual({ v: 99n })
    expect(store.getCursor(11155111)).toEqual({ number: 42n, hash: '0xabc' })
    expect(store.getCursor(1)).toBeUndefined()
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
    const path = dir
    const m = first.forModule('m')
    for (let i = 0; i < 50; i++) void m.set(`k:${String(i).padStart(3, '0')}`, i)
    await first.setCursor(1, { number: 7n, hash: '0x1' })
    await first.close()
    store = createStore({ stateDir: path })
    expect(store.getCursor(1)?.number).toBe(7n)
    expect((await store.forModule('m').list('k:')).length).toBe(50)
  })
})
