import { getAddress, keccak256, stringToBytes, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { judge, type Measures } from './judge.ts'
import { judgeAppData, type AppDataCreation } from './judgeAppData.ts'
import { passingMeasures } from './passingMeasures.ts'

const owner = getAddress('0x7bf140727d27ea64b607e042f1225680b40eca6a')
const weth = getAddress('0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14')
const cow = getAddress('0x0625aFB445C3B6B7B929342a04A22599fd5dBB59')
const DOCUMENT = '{"appCode":"Shepherd load","metadata":{"referrer":{"code":"SHEPHERD"}},"version":"1.15.0"}'
const HASH = keccak256(stringToBytes(DOCUMENT))
const creation = (i: number, appData: Hex = HASH): AppDataCreation => ({ owner, sellToken: weth, buyToken: cow, receiver: owner, sellAmount: 1000n + BigInt(i), buyAmount: 1n, validTo: 1_700_000_000 + i, appData })
let seq = 0
const entry = (e: Partial<RecordEntry>): RecordEntry => ({ seq: ++seq, at: seq, answeredAt: seq, method: 'POST', path: '/api/v1/orders', body: undefined, status: 201, responseBody: undefined, delayMs: 0, ...e })
const put = (fullAppData: string, status = 201) => entry({ method: 'PUT', path: `/api/v1/app_data/${keccak256(stringToBytes(fullAppData))}`, body: { fullAppData }, status, responseBody: keccak256(stringToBytes(fullAppData)) })
/** The body a watcher posts for creation i, with the appData it chose. */
const post = (i: number, appData: string, status = 201, injected?: string) =>
  entry({
    body: { from: owner, sellToken: weth, buyToken: cow, receiver: owner, sellAmount: String(1000 + i), buyAmount: '1', validTo: 1_700_000_000 + i, appData, feeAmount: '0', kind: 'sell', partiallyFillable: false, signingScheme: 'eip1271', signature: '0x' },
    status,
    uid: `0x${String(i).padStart(112, '0')}`,
    ...(injected ? { injected } : {}),
  })

describe('judgeAppData', () => {
  test('behavior: parts posted with the hash their TWAP named, after its document was registered, are intact', () => {
    const intact = judgeAppData({ creations: [creation(1), creation(2)], record: [put(DOCUMENT), post(1, HASH), post(2, DOCUMENT)] })
    expect(intact).toEqual({ nonEmptyCreations: 2, checked: 2, intact: 2, violations: [] })
  })

  test('behavior: a watcher that posts the empty appData (or another document) is caught, though the UID then matches no expected part', () => {
    const other = '{"appCode":"someone else","metadata":{},"version":"1.15.0"}'
    const intact = judgeAppData({ creations: [creation(1), creation(2), creation(3)], record: [put(DOCUMENT), put(other), post(1, EMPTY_APP_DATA_HASH), post(2, other), post(3, HASH)] })
    expect(intact.checked).toBe(3)
    expect(intact.intact).toBe(1)
    expect(intact.violations).toEqual([
      expect.objectContaining({ expected: HASH, found: EMPTY_APP_DATA_HASH, why: 'carries another appData than its creation named' }),
      expect.objectContaining({ expected: HASH, found: keccak256(stringToBytes(other)) }),
    ])
  })

  test('behavior: a hash written in upper case is the same hash; a document registered by PUT /api/v1/app_data (the service computes the hash) counts', () => {
    const upper = `0x${HASH.slice(2).toUpperCase()}`
    const byBody = entry({ method: 'PUT', path: '/api/v1/app_data', body: { fullAppData: DOCUMENT }, status: 201, responseBody: HASH })
    expect(judgeAppData({ creations: [creation(1), creation(2)], record: [byBody, post(1, upper), post(2, HASH)] })).toEqual({ nonEmptyCreations: 2, checked: 2, intact: 2, violations: [] })
  })

  test('behavior: the right hash without its document at the orderbook (never registered, registration refused, or registered only after) is caught', () => {
    const refused = judgeAppData({ creations: [creation(1), creation(2)], record: [put(DOCUMENT, 400), post(1, HASH), put(DOCUMENT), post(2, HASH)] })
    expect(refused.violations).toEqual([expect.objectContaining({ found: HASH, why: 'names a hash whose document the orderbook was never given' })])
    expect(refused.intact).toBe(1)
  })

  test('behavior: refused, lost and unrelated posts are not judged; empty-appData creations say there is nothing to judge', () => {
    const intact = judgeAppData({ creations: [creation(1)], record: [post(1, EMPTY_APP_DATA_HASH, 400), post(1, EMPTY_APP_DATA_HASH, 201, 'acceptThenLose'), post(9, EMPTY_APP_DATA_HASH)] })
    expect(intact).toEqual({ nonEmptyCreations: 1, checked: 0, intact: 0, violations: [] })
    expect(judgeAppData({ creations: [creation(1, EMPTY_APP_DATA_HASH)], record: [post(1, EMPTY_APP_DATA_HASH)] })).toEqual({ nonEmptyCreations: 0, checked: 1, intact: 1, violations: [] })
  })
})

describe('the "appData intact" bar', () => {
  const clean: Measures = passingMeasures()
  const bar = (appData: Measures['appData'], extra: Partial<Measures> = {}) => judge({ ...clean, ...extra, appData }).bars.find((b) => b.name === 'appData intact')

  test('behavior: passes when every checked order is intact, fails on a violating run, naming it', () => {
    expect(bar({ nonEmptyCreations: 4, checked: 4, intact: 4, violations: [] })).toMatchObject({ status: 'pass', measured: '4/4 intact' })
    const violated = judgeAppData({ creations: [creation(1), creation(2)], record: [put(DOCUMENT), post(1, EMPTY_APP_DATA_HASH), post(2, HASH)] })
    const failed = bar(violated)
    expect(failed).toMatchObject({ status: 'fail', pass: false })
    expect(failed!.measured).toMatch(/^1\/2 intact; 1 not: .*carries another appData than its creation named/)
    expect(judge({ ...clean, appData: violated }).pass).toBe(false)
    expect(failed!.measured).not.toMatch(/more/)
    // Past three violations the bar names three and counts the rest.
    const many = judgeAppData({ creations: [1, 2, 3, 4, 5].map((i) => creation(i)), record: [1, 2, 3, 4, 5].map((i) => post(i, EMPTY_APP_DATA_HASH)) })
    expect(bar(many)!.measured).toMatch(/^0\/5 intact; 5 not: (.*carries another appData.*){3}; 2 more$/)
    const three = judgeAppData({ creations: [1, 2, 3].map((i) => creation(i)), record: [1, 2, 3].map((i) => post(i, EMPTY_APP_DATA_HASH)) })
    expect(bar(three)!.measured).not.toMatch(/more/)
  })

  test('behavior: nothing matched is "not measured"; an external orderbook makes it not applicable; runs with only the empty document show no such bar', () => {
    expect(bar({ nonEmptyCreations: 3, checked: 0, intact: 0, violations: [] })).toMatchObject({ status: 'not measured', pass: false })
    expect(bar({ nonEmptyCreations: 3, checked: 0, intact: 0, violations: [] }, { externalOrderbook: true })).toMatchObject({ status: 'not applicable', pass: true })
    expect(bar({ nonEmptyCreations: 0, checked: 5, intact: 5, violations: [] })).toBeUndefined()
    expect(bar(undefined)).toBeUndefined()
  })
})
