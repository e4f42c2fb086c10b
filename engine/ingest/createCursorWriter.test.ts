import { describe, expect, test } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import type { Cursor } from '../store/createStore.ts'
import { createCursorWriter } from './createCursorWriter.ts'

const cursor = (n: bigint): Cursor => ({ number: n, hash: `0x${n.toString(16)}` })

function disk(refuse: (n: bigint, attempt: number) => boolean = () => false) {
  const written: bigint[] = []
  const attempts = new Map<bigint, number>()
  const gates: Array<() => void> = []
  let held = false
  return {
    written,
    gates,
    hold: (on: boolean) => void (held = on),
    store: {
      async setCursor(_chainId: number, c: Cursor) {
        if (held) await new Promise<void>((resolve) => gates.push(resolve))
        const attempt = (attempts.get(c.number) ?? 0) + 1
        attempts.set(c.number, attempt)
        if (refuse(c.number, attempt)) throw new Error(`EIO: cursor ${c.number}`)
        written.push(c.number)
      },
    },
  }
}

describe('createCursorWriter', () => {
  test('behavior: one write at a time, always the newest position: positions handed over during a write collapse into one', async () => {
    const d = disk()
    const durable: bigint[] = []
    const writer = createCursorWriter({ chainId: 1, store: d.store, log: createLogger({ write: () => {} }), onDurable: (c) => void durable.push(c.number) })
    d.hold(true)
    writer.advance(cursor(1n))
    for (let n = 2n; n <= 9n; n++) writer.advance(cursor(n))
    await expect.poll(() => d.gates.length).toBe(1)
    d.hold(false)
    d.gates.shift()!()
    await writer.flushed()
    expect(d.written).toEqual([1n, 9n])
    expect(durable).toEqual([1n, 9n])
    await writer.close()
  })

  test('behavior: a refused write rejects flushed(), is logged once, and is retried with backoff until stored; dispatch never waits on it', async () => {
    const d = disk((n, attempt) => n === 5n && attempt <= 2)
    const lines: string[] = []
    const durable: bigint[] = []
    const writer = createCursorWriter({ chainId: 1, store: d.store, log: createLogger({ write: (l) => void lines.push(l) }), onDurable: (c) => void durable.push(c.number), retryMs: 1 })
    writer.advance(cursor(5n))
    await expect(writer.flushed()).rejects.toThrow(/EIO: cursor 5/)
    await expect.poll(() => durable).toEqual([5n])
    expect(lines.filter((l) => l.includes('cursor write refused'))).toHaveLength(1)
    await writer.close()
  })

  test('behavior: close tries a refused write once more, then gives up with an error log instead of hanging', async () => {
    const d = disk(() => true)
    const lines: string[] = []
    const writer = createCursorWriter({ chainId: 1, store: d.store, log: createLogger({ write: (l) => void lines.push(l) }), onDurable: () => {}, retryMs: 60_000 })
    writer.advance(cursor(3n))
    await expect(writer.flushed()).rejects.toThrow()
    await writer.close()
    expect(lines.some((l) => l.includes('cursor not stored at stop'))).toBe(true)
    expect(d.written).toEqual([])
  })
})
