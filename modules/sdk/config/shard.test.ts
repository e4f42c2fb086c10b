import fc from 'fast-check'
import { getAddress, type Address } from 'viem'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { inShard, shardOf, zShard } from './shard.ts'

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString('hex')}` as Address)

test('property: for any n and any owners, each owner is in exactly one of the shards 1/n .. n/n', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.array(address, { minLength: 1, maxLength: 50 }), (count, owners) => {
      for (const owner of owners) {
        const holders = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(owner, { index, count }))
        expect(holders).toEqual([shardOf(owner, count)])
      }
    }),
    { numRuns: 200 },
  )
})

test('property: the shard does not depend on how the address is spelled', () => {
  fc.assert(
    fc.property(address, fc.integer({ min: 1, max: 1000 }), (owner, count) => {
      expect(shardOf(getAddress(owner), count)).toBe(shardOf(owner.toLowerCase(), count))
      expect(shardOf(owner.toUpperCase().replace('0X', '0x'), count)).toBe(shardOf(owner, count))
    }),
  )
})

test('behavior: no shard takes every owner; 1/1 takes every owner', () => {
  const owner = '0x7bf140727d27ea64b607e042f1225680b40eca6a'
  expect(inShard(owner, undefined)).toBe(true)
  expect(inShard(owner, { index: 1, count: 1 })).toBe(true)
})

test('behavior: vanity addresses that share their last byte still spread over the shards (the raw last byte would put them all in one)', () => {
  // 600 addresses ending in 0x00, as mined vanity or CREATE2 addresses often do.
  const owners = Array.from({ length: 600 }, (_, i) => `0x${(i + 1).toString(16).padStart(38, '0')}00`)
  const byLastByte = new Set(owners.map((owner) => (Number.parseInt(owner.slice(-2), 16) % 3) + 1))
  expect(byLastByte.size).toBe(1)
  const counts = [0, 0, 0]
  for (const owner of owners) counts[shardOf(owner, 3) - 1]!++
  // Each shard gets its third within a wide margin (200 expected; binomial sd ~11.5).
  for (const count of counts) expect(count).toBeGreaterThan(150)
  for (const count of counts) expect(count).toBeLessThan(250)
})

test('behavior: zShard reads "i/n" and refuses anything else, naming what it found', () => {
  const schema = z.strictObject({ shard: zShard.optional() })
  expect(schema.parse({ shard: '2/3' })).toEqual({ shard: { index: 2, count: 3 } })
  expect(schema.parse({ shard: ' 1 / 1 ' })).toEqual({ shard: { index: 1, count: 1 } })
  expect(schema.parse({})).toEqual({})
  const refused: Array<[unknown, RegExp]> = [
    ['3/2', /found "3\/2" \(i is above n\)/],
    ['0/2', /found "0\/2" \(i must be at least 1\)/],
    ['1/0', /found "1\/0" \(n must be at least 1\)/],
    ['1-2', /found "1-2" \(not of the form i\/n\)/],
    ['1.5/2', /not of the form/],
    ['99999999999999999999/1', /too large/],
    [2, /found number 2/],
  ]
  for (const [shard, message] of refused) {
    const result = schema.safeParse({ shard })
    expect(result.success, String(shard)).toBe(false)
    expect(result.error?.issues[0]?.message).toMatch(/expected a shard "i\/n" with whole numbers 1 <= i <= n/)
    expect(result.error?.issues[0]?.message).toMatch(message)
  }
})

test('behavior: shardOf refuses what is not an address or a shard count', () => {
  expect(() => shardOf('0x12', 2)).toThrow(/not a 20-byte hex address/)
  expect(() => shardOf('0x7bf140727d27ea64b607e042f1225680b40eca6a', 0)).toThrow(/count must be/)
})
