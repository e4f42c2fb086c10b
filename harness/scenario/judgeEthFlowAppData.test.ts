import { keccak256, stringToBytes, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { judge, type Measures } from './judge.ts'
import { judgeEthFlowAppData } from './judgeEthFlowAppData.ts'
import { passingMeasures } from './passingMeasures.ts'

const DOCUMENT = '{"appCode":"Shepherd load","metadata":{"referrer":{"code":"SHEPHERD"}},"version":"1.15.0"}'
const HASH = keccak256(stringToBytes(DOCUMENT))
const OTHER = '{"appCode":"someone else","metadata":{},"version":"1.15.0"}'
const uid = (i: number) => `0x${String(i).padStart(112, '0')}` as Hex
let seq = 0
/** The orderbook's answer to GET /api/v1/orders/{uid}, as the stub records it. */
const read = (i: number, appData: string, fullAppData: string | null, status = 200, suffix = ''): RecordEntry => ({
  seq: ++seq, at: seq, answeredAt: seq, method: 'GET', path: `/api/v1/orders/${uid(i)}${suffix}`, body: undefined, status,
  responseBody: status === 200 ? { uid: uid(i), appData, fullAppData } : { errorType: 'NotFound' }, uid: uid(i), delayMs: 0,
})

describe('judgeEthFlowAppData', () => {
  test('behavior: orders shown with the hash and the document their placement named are intact; upper-case hex is the same hash', () => {
    const upper = `0x${HASH.slice(2).toUpperCase()}`
    const intact = judgeEthFlowAppData({ placements: [{ uid: uid(1), appData: HASH }, { uid: uid(2), appData: HASH }], record: [read(1, HASH, DOCUMENT), read(2, upper, DOCUMENT), read(2, HASH, DOCUMENT)] })
    expect(intact).toEqual({ nonEmptyPlacements: 2, checked: 2, intact: 2, violations: [] })
  })

  test('behavior: another hash, no document, or a document of another hash are each caught, one violation per order', () => {
    const placements = [1, 2, 3, 4].map((i) => ({ uid: uid(i), appData: HASH }))
    const intact = judgeEthFlowAppData({ placements, record: [read(1, EMPTY_APP_DATA_HASH, '{}'), read(2, HASH, null), read(3, HASH, OTHER), read(4, HASH, DOCUMENT), read(4, HASH, null), read(4, HASH, null)] })
    expect(intact.checked).toBe(4)
    expect(intact.intact).toBe(0)
    expect(intact.violations).toEqual([
      { uid: uid(1), expected: HASH, found: EMPTY_APP_DATA_HASH, why: 'the orderbook shows another appData than its creation named' },
      { uid: uid(2), expected: HASH, found: HASH, why: 'the orderbook holds no document for the appData its creation named' },
      { uid: uid(3), expected: HASH, found: keccak256(stringToBytes(OTHER)), why: 'the orderbook holds a document of another hash than its creation named' },
      { uid: uid(4), expected: HASH, found: HASH, why: 'the orderbook holds no document for the appData its creation named' },
    ])
  })

  test('behavior: 404s, status reads, unrelated UIDs are not judged; the empty document needs no fullAppData', () => {
    const intact = judgeEthFlowAppData({
      placements: [{ uid: uid(1), appData: HASH }, { uid: uid(2), appData: EMPTY_APP_DATA_HASH }],
      record: [read(1, HASH, null, 404), read(1, EMPTY_APP_DATA_HASH, null, 200, '/status'), read(9, EMPTY_APP_DATA_HASH, null), read(2, EMPTY_APP_DATA_HASH, null)],
    })
    expect(intact).toEqual({ nonEmptyPlacements: 1, checked: 1, intact: 1, violations: [] })
  })
})

describe('the "EthFlow appData intact" bar', () => {
  const clean: Measures = passingMeasures()
  const verdict = (ethFlowAppData: Measures['ethFlowAppData'], extra: Partial<Measures> = {}) => judge({ ...clean, ...extra, ethFlowAppData })
  const bar = (ethFlowAppData: Measures['ethFlowAppData'], extra: Partial<Measures> = {}) => verdict(ethFlowAppData, extra).bars.find((b) => b.name === 'EthFlow appData intact')

  test('behavior: a run whose orderbook shows an EthFlow order with the empty appData FAILS, naming the order and why', () => {
    const violating = judgeEthFlowAppData({ placements: [{ uid: uid(1), appData: HASH }, { uid: uid(2), appData: HASH }], record: [read(1, EMPTY_APP_DATA_HASH, '{}'), read(2, HASH, DOCUMENT)] })
    expect(verdict(violating).pass).toBe(false)
    const failed = bar(violating)
    expect(failed).toMatchObject({ status: 'fail', pass: false })
    expect(failed!.measured).toMatch(/^1\/2 intact; 1 not: 0x0000000000000000\.\.\. the orderbook shows another appData than its creation named/)
  })

  test('behavior: the failing bar names the first three violations and counts the rest', () => {
    const placements = [1, 2, 3, 4, 5].map((i) => ({ uid: uid(i), appData: HASH }))
    const five = judgeEthFlowAppData({ placements, record: [1, 2, 3, 4, 5].map((i) => read(i, EMPTY_APP_DATA_HASH, '{}')) })
    const measured = bar(five)!.measured
    expect(measured).toMatch(/^0\/5 intact; 5 not: /)
    expect(measured).toMatch(/; 2 more$/)
    expect(measured.match(/the orderbook shows another appData/g)).toHaveLength(3)
    const three = judgeEthFlowAppData({ placements: placements.slice(0, 3), record: [1, 2, 3].map((i) => read(i, EMPTY_APP_DATA_HASH, '{}')) })
    expect(bar(three)!.measured).not.toMatch(/more/)
    expect(bar(three)!.measured.match(/the orderbook shows another appData/g)).toHaveLength(3)
  })

  test('behavior: passes when every answered order is intact, also against an external orderbook (read per UID)', () => {
    expect(bar({ nonEmptyPlacements: 3, checked: 3, intact: 3, violations: [] })).toMatchObject({ status: 'pass', measured: '3/3 intact' })
    expect(bar({ nonEmptyPlacements: 3, checked: 3, intact: 3, violations: [] }, { externalOrderbook: true })).toMatchObject({ status: 'pass' })
  })

  test('behavior: placements naming documents that the orderbook never answered for are not measured (a fail); none naming one: no bar', () => {
    expect(bar({ nonEmptyPlacements: 2, checked: 0, intact: 0, violations: [] })).toMatchObject({ status: 'not measured', pass: false })
    expect(bar({ nonEmptyPlacements: 0, checked: 4, intact: 4, violations: [] })).toBeUndefined()
    expect(bar(undefined)).toBeUndefined()
  })
})
