import { keccak256, stringToHex } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { CowApiError } from './errors/cowApi.ts'
import { EMPTY_APP_DATA_HASH, resolveAppData } from './appData.ts'
import { createMockHost, type MockHost } from './mockHost.ts'

let mock: MockHost
afterEach(() => mock?.dispose())

describe('resolveAppData', () => {
  test('behavior: the empty document short-circuits without a request', async () => {
    mock = createMockHost({ module: 'm' })
    expect(EMPTY_APP_DATA_HASH).toBe(keccak256(stringToHex('{}')))
    expect(await resolveAppData(mock, 1, EMPTY_APP_DATA_HASH)).toEqual({ kind: 'found', document: {}, fullAppData: '{}' })
    expect(mock.records).toHaveLength(0)
  })

  test('behavior: a known document is found and parsed; 404 is notFound', async () => {
    mock = createMockHost({ module: 'm' })
    const hash = mock.cowApi.addAppData('{"appCode":"shepherd"}')
    expect(await resolveAppData(mock, 1, hash)).toEqual({ kind: 'found', document: { appCode: 'shepherd' }, fullAppData: '{"appCode":"shepherd"}' })
    expect(await resolveAppData(mock, 1, `0x${'11'.repeat(32)}`)).toEqual({ kind: 'notFound' })
    expect(mock.recordsOf('cowApi.getAppData')).toHaveLength(2)
  })

  test('behavior: a document whose hash differs is a mismatch', async () => {
    mock = createMockHost({ module: 'm' })
    mock.cowApi.onGetAppData({ fullAppData: '{"evil":true}' })
    const result = await resolveAppData(mock, 1, `0x${'22'.repeat(32)}`)
    expect(result).toEqual({ kind: 'mismatch', fullAppData: '{"evil":true}', actualHash: keccak256(stringToHex('{"evil":true}')) })
  })

  test('behavior: transport errors, garbage answers and bad hashes are errors, never throws', async () => {
    mock = createMockHost({ module: 'm' })
    const hash = `0x${'33'.repeat(32)}` as const
    mock.cowApi.onGetAppData(new CowApiError({ status: 503 }), { times: 1 })
    const failed = await resolveAppData(mock, 1, hash)
    expect(failed.kind === 'error' && failed.error).toBeInstanceOf(CowApiError)
    mock.faults.garbageNext('cowApi.getAppData', 5)
    for (let i = 0; i < 5; i++) expect(['error', 'mismatch']).toContain((await resolveAppData(mock, 1, hash)).kind)
    expect((await resolveAppData(mock, 1, '0x1234')).kind).toBe('error')
  })
})
