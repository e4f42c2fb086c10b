import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { recordSince, recordToJsonLines } from './recordJsonLines.ts'
import type { RecordEntry } from './createRequestRecord.ts'

const entry = (seq: number, body: unknown = undefined): RecordEntry => ({ seq, at: 1, answeredAt: 2, delayMs: 0, method: 'GET', path: '/api/v1/version', body, status: 200, responseBody: 'v' })

describe('recordToJsonLines', () => {
  test('behavior: one JSON line per entry after `since`, bigints as decimal strings', () => {
    const text = recordToJsonLines([entry(1), entry(2, { n: 5n })], 0)
    expect(text.split('\n')).toEqual([JSON.stringify(entry(1)), JSON.stringify(entry(2, { n: '5' })), ''])
    expect(recordToJsonLines([entry(1), entry(2)], 1)).toBe(`${JSON.stringify(entry(2))}\n`)
    expect(recordToJsonLines([])).toBe('')
    expect([recordSince(''), recordSince('since=3'), recordSince('since=-1')]).toEqual([0, 3, undefined])
  })

  test('behavior: the in-process handlers serve the record on GET /__shepherd/record too, without recording the read', async () => {
    const stub = createOrderbookStub({ version: 'v1' })
    const ask = (path: string) => getResponse(stub.handlers(), new Request(`http://orderbook.test${path}`))
    await ask('/api/v1/version')
    const served = await ask('/__shepherd/record')
    expect(served?.headers.get('content-type')).toBe('application/x-ndjson')
    const lines = (await served!.text()).trim().split('\n').map((line) => JSON.parse(line) as RecordEntry)
    expect(lines.map((e) => [e.path, e.status, e.responseBody])).toEqual([['/api/v1/version', 200, 'v1']])
    expect(stub.record.entries).toHaveLength(1)
  })
})
