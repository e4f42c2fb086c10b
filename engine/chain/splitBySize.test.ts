import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { splitBySize } from './splitBySize.ts'

describe('splitBySize', () => {
  test('behavior: groups in order within the byte and count limits, overhead and separators counted', () => {
    const sizeOf = (s: string) => s.length
    expect(splitBySize(['aa', 'bbbb', 'cc'], { sizeOf, maxBytes: 6 })).toEqual([['aa', 'bbbb'], ['cc']])
    expect(splitBySize(['aa', 'bbbb', 'cc'], { sizeOf, maxBytes: 6, separatorBytes: 1 })).toEqual([['aa'], ['bbbb'], ['cc']])
    expect(splitBySize(['a', 'b', 'c'], { sizeOf, maxBytes: 100, maxCount: 2 })).toEqual([['a', 'b'], ['c']])
    expect(splitBySize(['a', 'b'], { sizeOf, maxBytes: 3, overheadBytes: 2 })).toEqual([['a'], ['b']])
    expect(splitBySize([], { sizeOf, maxBytes: 3 })).toEqual([])
  })

  test('behavior: an item too big on its own gets a group of its own', () => {
    expect(splitBySize(['a', 'xxxxxxxx', 'b'], { sizeOf: (s) => s.length, maxBytes: 4 })).toEqual([['a'], ['xxxxxxxx'], ['b']])
  })

  test('property: keeps every item in order; a group over the limit is a single item', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { maxLength: 60 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 10 }), (sizes, maxBytes, maxCount) => {
        const groups = splitBySize(sizes, { sizeOf: (n) => n, maxBytes, maxCount, overheadBytes: 2, separatorBytes: 1 })
        expect(groups.flat()).toEqual(sizes)
        for (const group of groups) {
          expect(group.length).toBeGreaterThan(0)
          expect(group.length).toBeLessThanOrEqual(maxCount)
          const bytes = 2 + group.reduce((sum, n) => sum + n, 0) + group.length - 1
          if (bytes > maxBytes) expect(group).toHaveLength(1)
        }
      }),
    )
  })
})
