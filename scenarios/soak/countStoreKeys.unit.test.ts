import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { createStore } from '../../engine/store/createStore.ts'
import { countStoreKeys } from './countStoreKeys.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('behavior: counts a module\'s keys by prefix while the engine\'s store is open, and only that module\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-soak-count-'))
  dirs.push(dir)
  const store = createStore({ stateDir: dir })
  const twap = store.forModule('twap-monitor')
  const other = store.forModule('other')
  twap.begin()
  for (let i = 0; i < 5; i++) await twap.set(`watch:${i}`, { i })
  await twap.set('due:b:00000000000000000001:0', '0')
  await twap.set('submitted:0xab', true)
  await twap.commit()
  other.begin()
  await other.set('watch:x', 1)
  await other.commit()
  await store.flush()
  const counts = countStoreKeys({ stateDir: dir, module: 'twap-monitor', prefixes: ['watch:', 'due:', 'submitted:', 'missed:'] })
  expect(Object.fromEntries(counts!)).toEqual({ 'watch:': 5, 'due:': 1, 'submitted:': 1, 'missed:': 0 })
  twap.begin()
  await twap.delete('watch:0')
  await twap.commit()
  await store.flush()
  expect(countStoreKeys({ stateDir: dir, module: 'twap-monitor', prefixes: ['watch:'] })!.get('watch:')).toBe(4)
  await store.close()
  expect(countStoreKeys({ stateDir: join(dir, 'missing'), module: 'twap-monitor', prefixes: ['watch:'] })).toBeUndefined()
  expect(Object.fromEntries(countStoreKeys({ stateDir: dir, module: 'never-wrote', prefixes: ['watch:'] })!)).toEqual({ 'watch:': 0 })
})
