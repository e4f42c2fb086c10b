import { keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { CowApiError, FINAL_ERROR_TYPES, computeUid, type MockHost } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'

const host = mockHostsForEachTest()
const URL = 'http://127.0.0.1:9/api/v1/orders'
const TWAPS = 6
const datas = Array.from({ length: TWAPS }, (_, i) => twapData({ partSellAmount: 10n ** 17n + BigInt(i) }))
const salts = Array.from({ length: TWAPS }, (_, i) => keccak256(toHex(`refused-${i}`)))
/** Part 0 of every TWAP (tradeable from block 10 to block 19). */
const part0 = datas.map((data) => {
  const r = pollTwap({ data, now: timeOf(10n) })
  if (r.kind !== 'order') throw new Error('model')
  return computeUid(CHAIN_ID, r.order, OWNER)
})

/** Runs blocks with the module's clock at each block's time (as a live engine would see it). */
async function blocks(mock: MockHost, from: bigint, to: bigint) {
  for (let n = from; n <= to; n++) {
    mock.clock.set(Number(timeOf(n)) * 1000)
    await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
  }
}

async function setUp() {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.clock.set(Number(timeOf(5n)) * 1000)
  // Six TWAPs with the same parts' timing but distinct salts: six orders due in block 10.
  await twapMonitor.onLogs!({
    host: mock.host,
    config,
    block: blockAt(5n),
    logs: datas.map((data, i) => createdLog(twapParams(data, salts[i]), 5n, { logIndex: i })),
  })
  return mock
}

const keys = (mock: MockHost) => mock.store.entries().map(([key]) => key)
const accepted = (mock: MockHost) => mock.cowApi.submissions.filter((s) => s.outcome === 'ok').map((s) => s.uid!)

describe('answers that are not about the order never drop it', () => {
  test.each([
    ['401 from an auth proxy', { status: 401, description: 'Unauthorized' }],
    ['403 HTML from a firewall', { status: 403, description: '<html><body><h1>403 Forbidden</h1>Request blocked.</body></html>' }],
    ['404 HTML from another server (a wrong orderbook_url)', { status: 404, description: '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>nginx</body></html>' }],
    ['413 from a proxy', { status: 413, description: '<html><head><title>413 Request Entity Too Large</title></head></html>' }],
    ['400 with an unknown errorType', { status: 400, errorType: 'SomethingNew', description: 'a rule this version does not know' }],
  ])('behavior: %s stops submissions past the bound with a health reason and metrics, keeps every part, and resumes by itself', async (_, failure) => {
    const mock = await setUp()
    const refusal = mock.faults.inject({ on: 'cowApi.submitOrder', fault: { kind: 'throw', error: new CowApiError({ ...failure, url: URL }) }, times: Infinity })
    await blocks(mock, 10n, 10n)
    // Six refusals in one block (the bound is 5): stopped, nothing dropped, the reason names status and URL.
    expect(mock.cowApi.submissions).toHaveLength(TWAPS)
    const check = mock.health.checks.get('submissions')
    expect(check?.reason).toContain(`HTTP ${failure.status}`)
    expect(check?.reason).toContain(URL)
    expect(check?.reason).toMatch(/What to do: /)
    expect(check?.reason).toMatch(/Nothing is dropped/)
    expect(mock.errors.filter((e) => e.kind === 'orderbook_refused')).toHaveLength(TWAPS)
    expect(mock.errors.filter((e) => e.kind === 'submissions_stopped')).toHaveLength(1)
    expect(keys(mock).filter((k) => k.startsWith('dropped:') || k.startsWith('missed:'))).toEqual([])

    // While stopped, one probe at a time, at growing intervals: never all six again.
    await blocks(mock, 11n, 14n)
    const probes = mock.cowApi.submissions.length - TWAPS
    expect(probes).toBeGreaterThanOrEqual(1)
    expect(probes).toBeLessThanOrEqual(4)
    expect(mock.health.checks.has('submissions')).toBe(true)

    // The orderbook answers again: the next probe is accepted, the gate reopens, every part is posted once.
    refusal.cancel()
    await blocks(mock, 15n, 19n)
    expect(accepted(mock).sort()).toEqual([...part0].sort())
    expect(mock.health.checks.has('submissions')).toBe(false)
    expect(mock.logs.some((l) => l.message.includes('submissions resumed'))).toBe(true)
    expect(keys(mock).filter((k) => k.startsWith('dropped:') || k.startsWith('missed:'))).toEqual([])
  })

  test('behavior: fewer refusals in a row than the bound retry the part without stopping', async () => {
    const mock = await setUp()
    mock.faults.inject({ on: 'cowApi.submitOrder', fault: { kind: 'throw', error: new CowApiError({ status: 404, description: 'Not Found', url: URL }) }, times: 2 })
    await blocks(mock, 10n, 12n)
    expect(mock.health.checks.size).toBe(0)
    expect(accepted(mock).sort()).toEqual([...part0].sort())
  })

  test.each([...FINAL_ERROR_TYPES])('behavior: the final errorType %s drops the part, and never stops submissions', async (errorType) => {
    const mock = await setUp()
    mock.faults.inject({ on: 'cowApi.submitOrder', fault: { kind: 'throw', error: new CowApiError({ status: errorType === 'Forbidden' ? 403 : 400, errorType, description: 'final', url: URL }) }, times: Infinity })
    await blocks(mock, 10n, 12n)
    expect(keys(mock).filter((k) => k.startsWith('dropped:')).sort()).toEqual(part0.map((uid) => `dropped:${uid}`).sort())
    expect(await mock.store.get(`dropped:${part0[0]}`)).toMatchObject({ reason: errorType })
    expect(mock.health.checks.size).toBe(0)
    expect(mock.errors.filter((e) => e.kind === 'orderbook_refused')).toEqual([])
    expect(mock.cowApi.submissions).toHaveLength(TWAPS)
  })
})
