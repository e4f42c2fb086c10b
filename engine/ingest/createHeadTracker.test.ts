import { describe, expect, test } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import { createHeadTracker } from './createHeadTracker.ts'

describe('createHeadTracker', () => {
  test('behavior: the lag clock starts when the lag first goes over the limit, keeps its start, and clears once within', async () => {
    const heads = [110n, 200n, 210n, 160n]
    let clock = 1_000
    let position: bigint | undefined = 100n
    const lines: string[] = []
    const head = createHeadTracker({
      source: { chainId: 1, getBlockNumber: async () => heads.shift()! },
      confirmations: 2n,
      maxLagBlocks: 50n,
      position: () => position,
      log: createLogger({ write: (line) => lines.push(line), level: 'debug' }),
      now: () => clock,
    })
    expect(await head.fetch()).toBe(108n)
    expect(head.lagSince).toBeUndefined()
    clock = 2_000
    await head.fetch() // safe 198, lag 98 > 50
    expect(head.lagSince).toBe(2_000)
    expect(head.lag()).toBe(98n)
    clock = 3_000
    await head.fetch() // still over: the first time is kept
    expect(head.lagSince).toBe(2_000)
    clock = 4_000
    position = 150n
    await head.fetch() // head went backwards to 160: lag 8
    expect(head.lagSince).toBeUndefined()
    expect(head.head).toBe(160n)
    expect(head.fetchedAt).toBe(4_000)
    expect(lines.some((l) => l.includes('head went backwards'))).toBe(true)
  })
})
