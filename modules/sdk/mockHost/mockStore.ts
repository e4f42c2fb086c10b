import type { StoreHost } from '../module/types.ts'
import { parseStored, stringifyStored } from '../json.ts'

/** Backing maps shared by MockHosts: one namespace per module name, values kept as JSON text. */
export type MockStoreBackend = { namespaces: Map<string, Map<string, string>> }

/**
 * A store backend several MockHosts can share, to test that modules do not see each other's keys
 * and that a restarted module (a new MockHost with the same name) finds its state.
 *
 * @example
 * const backend = createMockStoreBackend()
 * const a = createMockHost({ module: 'a', storeBackend: backend })
 */
export function createMockStoreBackend(): MockStoreBackend {
  return { namespaces: new Map() }
}

export type MockStore = StoreHost & {
  /** Every entry of this module's namespace, decoded, in key order. */
  entries(): Array<[string, unknown]>
  clear(): void
}

function checkKey(key: unknown, method: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError(`store.${method}: key must be a non-empty string, found ${JSON.stringify(key) ?? String(key)}`)
  return key
}

/**
 * The store one module sees. Values round-trip through JSON-with-bigint on every set/get, so a
 * value the engine's store would mangle (a Map, a Date, a function) fails the test at `set`.
 *
 * @example
 * const store = createMockStore(createMockStoreBackend(), 'twap-monitor')
 * await store.set('watch:1', { next: 5n })
 */
export function createMockStore(backend: MockStoreBackend, module: string): MockStore {
  const namespace = () => {
    let map = backend.namespaces.get(module)
    if (!map) backend.namespaces.set(module, (map = new Map()))
    return map
  }
  const sortedKeys = () => [...namespace().keys()].sort()
  return {
    async get<T>(key: string) {
      const text = namespace().get(checkKey(key, 'get'))
      return text === undefined ? undefined : (parseStored(text) as T)
    },
    async set(key, value) {
      namespace().set(checkKey(key, 'set'), stringifyStored(value))
    },
    async delete(key) {
      namespace().delete(checkKey(key, 'delete'))
    },
    async list<T>(prefix: string, options?: { limit?: number }) {
      if (typeof prefix !== 'string') throw new TypeError(`store.list: prefix must be a string, found ${typeof prefix}`)
      const limit = options?.limit ?? Number.POSITIVE_INFINITY
      if (!(limit >= 0)) throw new TypeError(`store.list: limit must be a number >= 0, found ${String(options?.limit)}`)
      const out: Array<[string, T]> = []
      for (const key of sortedKeys()) {
        if (out.length >= limit) break
        if (key.startsWith(prefix)) out.push([key, parseStored(namespace().get(key)!) as T])
      }
      return out
    },
    entries() {
      return sortedKeys().map((key) => [key, parseStored(namespace().get(key)!)])
    },
    clear() {
      namespace().clear()
    },
  }
}
