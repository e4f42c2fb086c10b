import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { CASSETTE_FORMAT, CASSETTE_VERSION, CassetteFormatError, encodeEntry, readCassette, type CassetteEntry } from './cassette.ts'
import { loadCassette } from './loadCassette.ts'
import { CassetteMissError, createCassetteChainHost, createRecordedCowApi, createReplayChainSource } from './replayHosts.ts'
import { ChainCallError } from '../../modules/sdk/errors/chain.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'

const dir = mkdtempSync(join(tmpdir(), 'cassette-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const header: CassetteEntry = { t: 'header', format: CASSETTE_FORMAT, version: CASSETTE_VERSION, chainId: 11155111, recordedOn: 'local devnet', from: 1n, to: 2n, modules: [], tool: 'shepherd test', recordedAt: '2026-01-01T00:00:00Z' }
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const
const entries: CassetteEntry[] = [
  header,
  { t: 'block', number: 1n, hash: hash(1), parentHash: hash(0), timestamp: 100n },
  { t: 'block', number: 2n, hash: hash(2), parentHash: hash(1), timestamp: 112n },
  { t: 'log', address: '0x00000000000000000000000000000000000000aa', blockNumber: 2n, blockHash: hash(2), transactionHash: hash(9), transactionIndex: 0, logIndex: 0, topics: [hash(7)], data: '0x' },
  { t: 'read', method: 'eth_getBalance', params: [11155111, '0x00000000000000000000000000000000000000aa'], block: 2n, result: 5n },
  { t: 'read', method: 'eth_call', params: [11155111, { to: '0x00000000000000000000000000000000000000aa', data: '0x01' }], block: 2n, error: { kind: 'revert', data: '0xdead' } },
  { t: 'cow', op: 'submitOrder', args: [11155111, { a: 1 }], error: { kind: 'cow', status: 400, errorType: 'DuplicatedOrder', description: 'order already exists' } },
  { t: 'cow', op: 'submitOrder', args: [11155111, { a: 1 }], result: '0xuid' },
]
const write = (name: string, lines: string[], gzip = false) => {
  const file = join(dir, name)
  const text = `${lines.join('\n')}\n`
  writeFileSync(file, gzip ? gzipSync(text) : text)
  return file
}

describe('cassette', () => {
  test('behavior: a gzipped cassette streams back entry by entry, bigints intact', async () => {
    const file = write('ok.ndjson.gz', entries.map(encodeEntry), true)
    const read: CassetteEntry[] = []
    for await (const entry of readCassette(file)) read.push(entry)
    expect(read).toEqual(entries)
  })

  test('behavior: a malformed line is a CassetteFormatError naming its line', async () => {
    const file = write('bad.ndjson', [encodeEntry(header), encodeEntry(entries[1]!), '{"t":"block","number":'])
    const error = await (async () => {
      for await (const _ of readCassette(file));
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CassetteFormatError)
    expect((error as CassetteFormatError).line).toBe(3)
    expect((error as Error).message).toMatch(/line 3/)
  })

  test('behavior: a cassette whose first line is not a header is refused', async () => {
    const file = write('noheader.ndjson', [encodeEntry(entries[1]!)])
    await expect((async () => { for await (const _ of readCassette(file)); })()).rejects.toThrow(/first line must be the header/)
  })

  test('behavior: the replay hosts answer recorded reads, replay failures, and refuse an unrecorded read by name', async () => {
    const cassette = await loadCassette(write('hosts.ndjson', entries.map(encodeEntry)))
    const source = createReplayChainSource(cassette)
    expect(await source.getBlockNumber()).toBe(2n)
    expect((await source.getLogs({ fromBlock: 1n, toBlock: 2n, topic0: [hash(7)] })).length).toBe(1)
    expect(await source.getLogs({ fromBlock: 1n, toBlock: 2n, topic0: [hash(8)] })).toEqual([])
    const misses: unknown[] = []
    const chain = createCassetteChainHost(cassette, (e) => misses.push(e))
    expect(await chain.getBalance(11155111, '0x00000000000000000000000000000000000000aa', { blockNumber: 2n })).toBe(5n)
    await expect(chain.call(11155111, { to: '0x00000000000000000000000000000000000000aa', data: '0x01' }, { blockNumber: 2n })).rejects.toBeInstanceOf(ChainCallError)
    const miss = await chain.getBalance(11155111, '0x00000000000000000000000000000000000000aa', { blockNumber: 1n }).catch((e: unknown) => e)
    expect(miss).toBeInstanceOf(CassetteMissError)
    expect((miss as Error).message).toMatch(/cannot answer eth_getBalance/)
    expect((miss as Error).message).toMatch(/block: 1/)
    expect(misses).toHaveLength(1)
    const cow = createRecordedCowApi(cassette)
    await expect(cow.submitOrder(11155111, { a: 1 } as never)).rejects.toBeInstanceOf(CowApiError)
    expect(await cow.submitOrder(11155111, { a: 1 } as never)).toBe('0xuid')
    await expect(cow.getOrder(11155111, '0x01')).rejects.toThrow(/cannot answer orderbook getOrder/)
  })
})
