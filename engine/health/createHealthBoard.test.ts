import { describe, expect, test } from 'vitest'
import { createHealthBoard } from './createHealthBoard.ts'

describe('createHealthBoard', () => {
  test('behavior: a watched check is asked on every read; since is kept while it fails and reset once it passes', () => {
    let time = 1_000
    let failing: string | undefined
    const board = createHealthBoard({ now: () => time })
    const unwatch = board.watch('chain:1', 'head', () => (failing ? { reason: failing } : undefined))
    expect(board.problems()).toEqual([])
    failing = 'no head for 6 s'
    expect(board.problems()).toEqual([{ source: 'chain:1', check: 'head', reason: 'no head for 6 s', since: 1_000 }])
    time = 2_000
    failing = 'no head for 7 s'
    expect(board.problems()[0]).toMatchObject({ reason: 'no head for 7 s', since: 1_000 })
    failing = undefined
    expect(board.problems()).toEqual([])
    failing = 'again'
    expect(board.problems()[0]?.since).toBe(2_000)
    unwatch()
    expect(board.problems()).toEqual([])
  })

  test('behavior: a watch may give its own since; a pushed report of the same check wins; all are sorted oldest first', () => {
    const board = createHealthBoard({ now: () => 50 })
    board.watch('chain:1', 'head', () => ({ reason: 'stale', since: 10 }))
    board.watch('module:a', 'poisoned', () => ({ reason: 'watched' }))
    board.degraded('module:a', 'poisoned', 'reported')
    board.degraded('module:b', 'submissions', 'orderbook 404')
    expect(board.problems().map((p) => [p.source, p.check, p.reason, p.since])).toEqual([
      ['chain:1', 'head', 'stale', 10],
      ['module:a', 'poisoned', 'reported', 50],
      ['module:b', 'submissions', 'orderbook 404', 50],
    ])
  })
})
