import { afterEach, expect, test } from 'vitest'
import { z } from 'zod'
import { createMockHost, type MockHost } from '../mockHost.ts'
import {
  FINISHED_BLOCK_PREFIX,
  FINISHED_EPOCH_PREFIX,
  deleteFinishedMarker,
  finishedIndexKey,
  pruneFinished,
  setFinishedMarker,
  zRetainFinishedBlocks,
} from './finishedMarkers.ts'

let mocks: MockHost[] = []
afterEach(() => {
  for (const mock of mocks) mock.dispose()
  mocks = []
})
function store() {
  const mock = createMockHost({ module: 'prune-test' })
  mocks.push(mock)
  return mock.host.store
}
/** Block n has timestamp 1000 + 12 n. */
const at = (number: bigint) => ({ number, timestamp: 1000n + number * 12n })
const keys = async (s: ReturnType<typeof store>) => (await s.list('')).map(([key]) => key)

test('behavior: a marker without validTo is pruned once retention has passed, with its index entry', async () => {
  const s = store()
  await setFinishedMarker(s, { key: 'observed:0xaa', value: { block: 10n }, block: 10n })
  await s.set('watch:0xbb', { unrelated: true })
  expect(await keys(s)).toEqual([finishedIndexKey({ block: 10n }, 'observed:0xaa'), 'observed:0xaa', 'watch:0xbb'])
  expect(await pruneFinished({ store: s, block: at(265n), retainBlocks: 256 })).toEqual({ pruned: 0, started: 0 })
  expect(await s.get('observed:0xaa')).toEqual({ block: 10n })
  expect(await pruneFinished({ store: s, block: at(266n), retainBlocks: 256 })).toEqual({ pruned: 1, started: 0 })
  expect(await keys(s)).toEqual(['watch:0xbb'])
})

test('behavior: a marker with validTo is kept whatever the retention until a block passes validTo, then retention counts from that block', async () => {
  const s = store()
  const validTo = at(5_000n).timestamp // valid through block 5,000's second
  await setFinishedMarker(s, { key: 'submitted:0xaa', value: 1, block: 10n, validTo })
  // Far more than the retention after the write, but the order is still valid: kept.
  for (const n of [300n, 1_000n, 5_000n]) {
    expect(await pruneFinished({ store: s, block: at(n), retainBlocks: 256 })).toEqual({ pruned: 0, started: 0 })
    expect(await s.get('submitted:0xaa')).toBe(1)
  }
  expect(await pruneFinished({ store: s, block: at(5_001n), retainBlocks: 256 })).toEqual({ pruned: 0, started: 1 })
  expect((await keys(s)).filter((key) => key.startsWith('finished:'))).toEqual([finishedIndexKey({ block: 5_001n }, 'submitted:0xaa')])
  expect(await pruneFinished({ store: s, block: at(5_256n), retainBlocks: 256 })).toEqual({ pruned: 0, started: 0 })
  expect(await s.get('submitted:0xaa')).toBe(1)
  expect(await pruneFinished({ store: s, block: at(5_257n), retainBlocks: 256 })).toEqual({ pruned: 1, started: 0 })
  expect(await keys(s)).toEqual([])
})

test('behavior: at most `max` entries per stage per block; the rest wait for the next blocks', async () => {
  const s = store()
  for (let i = 0; i < 10; i++) await setFinishedMarker(s, { key: `dropped:${i}`, value: i, block: BigInt(i) })
  expect(await pruneFinished({ store: s, block: at(1_000n), retainBlocks: 256, max: 4 })).toEqual({ pruned: 4, started: 0 })
  expect(await pruneFinished({ store: s, block: at(1_001n), retainBlocks: 256, max: 4 })).toEqual({ pruned: 4, started: 0 })
  expect(await pruneFinished({ store: s, block: at(1_002n), retainBlocks: 256, max: 4 })).toEqual({ pruned: 2, started: 0 })
  expect(await keys(s)).toEqual([])
})

test('behavior: oldest first: a younger marker stays while an older one goes', async () => {
  const s = store()
  await setFinishedMarker(s, { key: 'observed:old', value: 1, block: 100n })
  await setFinishedMarker(s, { key: 'observed:new', value: 2, block: 200n })
  expect(await pruneFinished({ store: s, block: at(400n), retainBlocks: 256 })).toEqual({ pruned: 1, started: 0 })
  expect(await s.get('observed:old')).toBeUndefined()
  expect(await s.get('observed:new')).toBe(2)
})

test('behavior: retention 0 keeps every marker forever', async () => {
  const s = store()
  await setFinishedMarker(s, { key: 'observed:0xaa', value: 1, block: 1n })
  await setFinishedMarker(s, { key: 'submitted:0xbb', value: 2, block: 1n, validTo: 0n })
  expect(await pruneFinished({ store: s, block: at(10n ** 9n), retainBlocks: 0 })).toEqual({ pruned: 0, started: 0 })
  expect(await s.get('observed:0xaa')).toBe(1)
  expect(await s.get('submitted:0xbb')).toBe(2)
})

test('behavior: an index entry deletes only the marker its key names, whatever its value says', async () => {
  const s = store()
  await s.set('watch:precious', 1)
  await s.set(`${FINISHED_BLOCK_PREFIX}${'1'.padStart(20, '0')}:observed:x`, 'watch:precious')
  await s.set(`${FINISHED_EPOCH_PREFIX}${'1'.padStart(20, '0')}:submitted:y`, 'watch:precious')
  await pruneFinished({ store: s, block: at(1_000n), retainBlocks: 256 })
  await pruneFinished({ store: s, block: at(2_000n), retainBlocks: 256 })
  expect(await keys(s)).toEqual(['watch:precious'])
})

test('behavior: deleteFinishedMarker removes the marker and its index entry (a reorg undid it)', async () => {
  const s = store()
  await setFinishedMarker(s, { key: 'closed:0xaa', value: { block: 7n }, block: 7n })
  await deleteFinishedMarker(s, 'closed:0xaa', { block: 7n })
  expect(await keys(s)).toEqual([])
})

test('behavior: retainFinishedBlocks defaults to 50,400, takes 0 or at least 256, and names what it found', () => {
  const schema = z.strictObject({ retainFinishedBlocks: zRetainFinishedBlocks })
  expect(schema.parse({})).toEqual({ retainFinishedBlocks: 50_400 })
  expect(schema.parse({ retainFinishedBlocks: 0 })).toEqual({ retainFinishedBlocks: 0 })
  expect(schema.parse({ retainFinishedBlocks: 256 })).toEqual({ retainFinishedBlocks: 256 })
  for (const bad of [1, 255, -5]) {
    const result = schema.safeParse({ retainFinishedBlocks: bad })
    expect(result.error?.issues[0]?.message).toMatch(new RegExp(`at least 256 blocks .*found ${bad}`))
  }
  expect(schema.safeParse({ retainFinishedBlocks: 300.5 }).error?.issues[0]?.message).toMatch(/whole number of blocks/)
  expect(schema.safeParse({ retainFinishedBlocks: '300' }).error?.issues[0]?.message).toMatch(/whole number of blocks/)
})
