import { describe, expect, test } from 'vitest'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import { createDispatchWindow } from './createDispatchWindow.ts'

const block = (n: number) => ({ number: BigInt(n), hash: `0x${n}`, parentHash: `0x${n - 1}`, timestamp: 0n }) as unknown as BlockRef
function deferred() {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}
const flush = () => new Promise((r) => setTimeout(r, 0))

describe('createDispatchWindow', () => {
  test('behavior: blocks finishing out of order move the window only past an unbroken run at the front', async () => {
    const advanced: Array<[bigint, number]> = []
    const window = createDispatchWindow({ onAdvance: (last, count) => advanced.push([last.number, count]) })
    const d = [deferred(), deferred(), deferred()]
    d.forEach((x, i) => window.push(block(i + 1), x.promise))
    d[2]!.resolve()
    d[1]!.resolve()
    await flush()
    expect(advanced).toEqual([])
    expect(window.size).toBe(3)
    d[0]!.resolve()
    await flush()
    expect(advanced).toEqual([[3n, 3]])
    expect(window.size).toBe(0)
  })

  test('behavior: a failed block holds the front; later finished blocks are not moved past, and its error is thrown', async () => {
    const advanced: bigint[] = []
    const window = createDispatchWindow({ onAdvance: (last) => advanced.push(last.number) })
    const a = deferred()
    const b = deferred()
    window.push(block(1), a.promise)
    window.push(block(2), b.promise)
    a.reject(new Error('module trapped'))
    b.resolve()
    await window.drain()
    expect(advanced).toEqual([])
    expect(() => window.throwIfFailed()).toThrow('module trapped')
    expect(window.size).toBe(2)
  })

  test('behavior: waiting for a slow oldest block ticks after the poll interval, then reports it done', async () => {
    const window = createDispatchWindow({ onAdvance: () => {} })
    const a = deferred()
    window.push(block(1), a.promise)
    expect(await window.waitForOldest(5)).toBe('tick')
    setTimeout(() => a.resolve(), 1)
    expect(await window.waitForOldest(5_000)).toBe('done')
  })
})
