import type { MockOperation, MockRecord } from './records.ts'

/** What goes wrong. */
export type MockFault =
  /** Reject at once with `error` (default: the operation's transport error). */
  | { kind: 'throw'; error?: unknown }
  /** Reject with a timeout error after `afterMs` (default 10) real milliseconds. */
  | { kind: 'timeout'; afterMs?: number }
  /** Never answer; released (rejected) after `maxMs` (default 60 s) or at `mock.dispose()`. */
  | { kind: 'hang'; maxMs?: number }
  /** Resolve with `value`, or with seeded random garbage of the wrong shape (invalid hex...). */
  | { kind: 'garbage'; value?: unknown }

export type FaultSpec = {
  /** One operation, a whole capability ('chain' / 'cowApi'), or '*' for everything. */
  on: MockOperation | 'chain' | 'cowApi' | '*'
  fault: MockFault
  /** How many matching operations it hits (default 1; `Infinity` for all). */
  times?: number
  /** Only operations whose record matches (e.g. `(r) => r.op === 'chain.call' && r.to === X`). */
  match?: (record: MockRecord) => boolean
}

export type FaultHandle = { remaining(): number; cancel(): void }

export type FaultRegistry = {
  inject(spec: FaultSpec): FaultHandle
  /** The fault that hits this operation, consuming one of its `times`; undefined when none. */
  take(record: MockRecord): MockFault | undefined
  clear(): void
}

function covers(on: FaultSpec['on'], op: MockOperation): boolean {
  return on === '*' || on === op || op.startsWith(`${on}.`)
}

/**
 * Faults waiting to hit operations, oldest first.
 *
 * @example
 * const faults = createFaultRegistry()
 * faults.inject({ on: 'chain.call', fault: { kind: 'throw' }, times: 2 })
 */
export function createFaultRegistry(): FaultRegistry {
  const pending: Array<{ spec: FaultSpec; left: number }> = []
  return {
    inject(spec) {
      const times = spec.times ?? 1
      if (!(times > 0)) throw new RangeError(`fault.times must be > 0, found ${String(spec.times)}`)
      const entry = { spec, left: times }
      pending.push(entry)
      return {
        remaining: () => entry.left,
        cancel: () => {
          entry.left = 0
        },
      }
    },
    take(record) {
      for (const entry of pending) {
        if (entry.left <= 0 || !covers(entry.spec.on, record.op)) continue
        if (entry.spec.match && !entry.spec.match(record)) continue
        entry.left -= 1
        return entry.spec.fault
      }
      return undefined
    },
    clear() {
      pending.length = 0
    },
  }
}

/** A tiny seeded PRNG (mulberry32), so garbage is reproducible from `createMockHost({ seed })`. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Garbage hex in the shapes real faults produce: random bytes, odd length, non-hex, empty, truncated word. */
export function garbageHex(random: () => number): string {
  const bytes = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join('')
  switch (Math.floor(random() * 5)) {
    case 0:
      return `0x${bytes(1 + Math.floor(random() * 200))}`
    case 1:
      return `0x${bytes(3)}a`
    case 2:
      return '0xzz'
    case 3:
      return '0x'
    default:
      return `0x${bytes(31)}`
  }
}
