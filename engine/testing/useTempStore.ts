import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { createStore, type CreateStoreParameters, type EngineStore } from '../store/createStore.ts'

export type TempStore = {
  /**
   * Opens the store in this test's own folder (made at the first call of the test). Called again
   * after the test closed the last one, it reopens the same folder: an engine restart.
   */
  open(options?: Omit<CreateStoreParameters, 'stateDir'>): EngineStore
  /** This test's folder (after the first `open`). */
  readonly dir: string
}

/**
 * A real lmdb store per test, cleaned up after it: registers an `afterEach` that closes the store
 * opened last and removes the folder.
 *
 * @example
 * const stores = useTempStore('shepherd-store-')
 * test('survives a restart', async () => {
 *   const first = stores.open()
 *   await first.setCursor(1, { number: 7n, hash: '0x1' })
 *   await first.close()
 *   expect(stores.open().getCursor(1)?.number).toBe(7n)
 * })
 */
export function useTempStore(prefix: string): TempStore {
  let dir: string | undefined
  let last: EngineStore | undefined
  afterEach(async () => {
    await last?.close()
    last = undefined
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })
  return {
    open(options = {}) {
      dir ??= mkdtempSync(join(tmpdir(), prefix))
      last = createStore({ stateDir: dir, ...options })
      return last
    },
    get dir() {
      if (!dir) throw new Error('useTempStore: open() the store first')
      return dir
    },
  }
}
