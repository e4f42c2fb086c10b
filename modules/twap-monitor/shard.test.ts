import { getAddress, keccak256, toHex, type Address } from 'viem'
import { expect, test } from 'vitest'
import { shardOf, type MockHost, type ModuleLog } from '../sdk/index.ts'
import { twapMonitorConfig } from './config.ts'
import twapMonitor from './index.ts'
import { blockAt, createdLog, twapParams } from './testing/fixtures.ts'
import { mockHostsForEachTest } from './testing/hosts.ts'

const host = mockHostsForEachTest()
const owners: Address[] = Array.from({ length: 60 }, (_, i) => getAddress(keccak256(toHex(`owner ${i}`)).slice(0, 42)))
// Two orders per owner, so an owner's watches stay together on one shard.
const logs: ModuleLog[] = owners.flatMap((owner, i) => [0, 1].map((k) => createdLog(twapParams(undefined, keccak256(toHex(`salt ${i}:${k}`))), 5n, { owner, logIndex: 2 * i + k })))

async function watchesOf(shard: string | undefined): Promise<{ mock: MockHost; ids: string[] }> {
  const mock = host()
  const config = twapMonitorConfig.parse(shard === undefined ? {} : { shard })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(5n), logs })
  return { mock, ids: (await mock.store.list('watch:')).map(([key]) => key) }
}

test('behavior: instances configured 1/2 and 2/2, fed the same logs, together create every watch exactly once', async () => {
  const all = await watchesOf(undefined)
  const [first, second] = [await watchesOf('1/2'), await watchesOf('2/2')]
  expect(all.ids).toHaveLength(120)
  expect(first.ids.length).toBeGreaterThan(0)
  expect(second.ids.length).toBeGreaterThan(0)
  expect([...first.ids, ...second.ids].sort()).toEqual([...all.ids].sort())
  expect(first.ids.filter((id) => second.ids.includes(id))).toEqual([])
  // Each took its owners' watches, with their due entries.
  for (const [index, { mock }] of [first, second].entries()) {
    const watched = (await mock.store.list<{ owner: Address }>('watch:')).map(([, watch]) => watch.owner)
    expect(watched.every((owner) => shardOf(owner, 2) === index + 1)).toBe(true)
    expect(mock.store.entries().filter(([key]) => key.startsWith('due:'))).toHaveLength(watched.length)
  }
})

test('behavior: three shards split the same logs with no watch twice and none missing', async () => {
  const all = await watchesOf(undefined)
  const shards = await Promise.all(['1/3', '2/3', '3/3'].map(watchesOf))
  const union = shards.flatMap((shard) => shard.ids)
  expect(union.sort()).toEqual([...all.ids].sort())
  expect(new Set(union).size).toBe(union.length)
})

test('behavior: a bad shard is refused naming what was found', () => {
  const result = twapMonitorConfig.safeParse({ shard: '3/2' })
  expect(result.error?.issues[0]).toMatchObject({ path: ['shard'], message: expect.stringMatching(/found "3\/2" \(i is above n\)/) })
})
