import { describe, expect, test } from 'vitest'
import type { Address, Hex } from 'viem'
import { EMPTY_APP_DATA_HASH } from '../../../modules/sdk/appData.ts'
import { judgeSigned, type ActionEvidence } from './judgeSigned.ts'
import type { SignedSnapshot } from './takeSnapshot.ts'
import { renderSignedReport, type SignedResult } from './renderSignedReport.ts'

const key: Address = '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955'
const stopLossOwner: Address = '0x00000000000000000000000000000000000e2e03'
const hash: Hex = `0x${'11'.repeat(32)}`
const uid = (n: number): Hex => `0x${n.toString(16).padStart(112, '0')}`
const twapAppData: Hex = `0x${'a1'.repeat(32)}`
const ethFlowAppData: Hex = `0x${'e7'.repeat(32)}`

const snapshot = (alerts: Record<string, number>, stopLossOrders: string[]): SignedSnapshot => ({
  at: '2026-12-07T00:00:00.000Z',
  chain: { block: '1', timestamp: '1', nonce: 0, balanceWei: '1' },
  orderbook: { ordersByOwner: { [key]: [], [stopLossOwner]: stopLossOrders } },
  metrics: { alertsByModule: alerts },
})

const passing = () => ({
  actions: [
    { name: 'twap-create', hash, block: '6', owner: key, ownerHasCode: false, created: 1, parts: [0, 1, 2].map((p) => ({ part: p, uid: uid(p + 1), start: '1', orderbook: 'found', namedAppData: twapAppData, appData: { intact: true, found: twapAppData }, posts: { count: 1, statuses: [201] } })) },
    { name: 'ethflow-place', hash, block: '7', placements: 1, uid: uid(9), orderbook: 'found', namedAppData: ethFlowAppData, appData: { intact: true, found: ethFlowAppData } },
    { name: 'eth-transfer', hash, block: '8', to: '0x00000000000000000000000000000000000e2e04', valueWei: '2' },
    { name: 'oracle-fall', hash, block: '9', answerUpdates: 1 },
  ] as ActionEvidence[],
  before: snapshot({ 'price-alert': 2 }, ['0xold']),
  after: snapshot({ 'price-alert': 3, 'balance-tracker': 1 }, ['0xold', '0xnew']),
})

const judge = (input: ReturnType<typeof passing>) => judgeSigned({ world: 'devnet', stopLossOwner, ...input })
const failing = (input: ReturnType<typeof passing>) => judge(input).bars.filter((b) => b.status === 'fail' || b.status === 'not measured').map((b) => b.name)
const edit = <N extends ActionEvidence['name']>(input: ReturnType<typeof passing>, name: N, change: (a: Extract<ActionEvidence, { name: N }>) => void) => {
  change(input.actions.find((a) => a.name === name) as Extract<ActionEvidence, { name: N }>)
  return input
}

describe('judgeSigned: each bar fails alone on violating evidence', () => {
  test('the passing run passes, with the EOA TWAP parts not applicable', () => {
    const verdict = judge(passing())
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.find((b) => b.name === 'TWAP parts accepted')!.status).toBe('not applicable')
  })
  test.each([
    ['TWAP created once', (i: ReturnType<typeof passing>) => edit(i, 'twap-create', (a) => void (a.created = 2))],
    ['twap-monitor posted each due part', (i: ReturnType<typeof passing>) => edit(i, 'twap-create', (a) => void (a.parts[1]!.posts = { count: 0, statuses: [] }))],
    ['TWAP parts accepted', (i: ReturnType<typeof passing>) => edit(i, 'twap-create', (a) => { a.ownerHasCode = true; a.parts[2]!.orderbook = 'not found' })],
    ['EthFlow order at the orderbook', (i: ReturnType<typeof passing>) => edit(i, 'ethflow-place', (a) => void (a.orderbook = 'not found'))],
    ['TWAP appData intact', (i: ReturnType<typeof passing>) => edit(i, 'twap-create', (a) => void (a.parts[1]!.appData = { intact: false, found: EMPTY_APP_DATA_HASH, why: 'the orderbook shows another appData than its creation named' }))],
    ['TWAP appData intact', (i: ReturnType<typeof passing>) => edit(i, 'twap-create', (a) => a.parts.forEach((p) => { p.namedAppData = EMPTY_APP_DATA_HASH; p.appData = { intact: true, found: EMPTY_APP_DATA_HASH } }))],
    ['EthFlow appData intact', (i: ReturnType<typeof passing>) => edit(i, 'ethflow-place', (a) => void (a.appData = { intact: false, found: ethFlowAppData, why: 'the orderbook holds no document for the appData its creation named' }))],
    ['EthFlow appData intact', (i: ReturnType<typeof passing>) => edit(i, 'ethflow-place', (a) => { a.namedAppData = EMPTY_APP_DATA_HASH; a.appData = { intact: true, found: EMPTY_APP_DATA_HASH } })],
    ['balance-tracker alerted', (i: ReturnType<typeof passing>) => ({ ...i, after: snapshot({ 'price-alert': 3 }, ['0xold', '0xnew']) })],
    ['price-alert alerted once', (i: ReturnType<typeof passing>) => ({ ...i, after: snapshot({ 'price-alert': 4, 'balance-tracker': 1 }, ['0xold', '0xnew']) })],
    ['stop-loss order accepted', (i: ReturnType<typeof passing>) => ({ ...i, after: snapshot({ 'price-alert': 3, 'balance-tracker': 1 }, ['0xold', '0xnew', '0xdup']) })],
    ['oracle fell', (i: ReturnType<typeof passing>) => edit(i, 'oracle-fall', (a) => void (a.answerUpdates = 0))],
  ])('%s', (name, violate) => {
    const verdict = judge(violate(passing()))
    expect(verdict.pass).toBe(false)
    expect(failing(violate(passing()))).toEqual([name])
  })
  test('metrics that could not be read are not measured, and fail the run', () => {
    const input = { ...passing(), after: { ...passing().after, metrics: { error: 'ECONNREFUSED' } } }
    expect(judge(input).pass).toBe(false)
    expect(judge(input).bars.filter((b) => b.status === 'not measured').map((b) => b.name)).toEqual(['balance-tracker alerted', 'price-alert alerted once'])
  })
  test('an EOA-owned TWAP with no part found still cannot fail the parts bar; a contract owner can', () => {
    const eoa = edit(passing(), 'twap-create', (a) => a.parts.forEach((p) => { p.orderbook = 'not found'; delete p.appData }))
    expect(judge(eoa).pass).toBe(true)
    expect(judge(eoa).bars.find((b) => b.name === 'TWAP appData intact')!.status).toBe('not applicable')
    const contract = edit(eoa, 'twap-create', (a) => void (a.ownerHasCode = true))
    expect(judge(contract).pass).toBe(false)
    expect(judge(contract).bars.find((b) => b.name === 'TWAP appData intact')!.status).toBe('not measured')
  })
  test('a TWAP with no part due: its appData is not measured for a contract owner (a fail), not applicable for an EOA', () => {
    const none = edit(passing(), 'twap-create', (a) => void (a.parts = []))
    expect(judge(none).bars.find((b) => b.name === 'TWAP appData intact')!.status).toBe('not applicable')
    expect(judge(edit(none, 'twap-create', (a) => void (a.ownerHasCode = true))).bars.find((b) => b.name === 'TWAP appData intact')!.status).toBe('not measured')
  })
  test('an EthFlow order not found leaves its appData not measured, which fails the run', () => {
    const lost = edit(passing(), 'ethflow-place', (a) => { a.orderbook = 'not found'; delete a.appData })
    expect(judge(lost).bars.filter((b) => b.status !== 'pass' && b.status !== 'not applicable').map((b) => [b.name, b.status])).toEqual([['EthFlow order at the orderbook', 'fail'], ['EthFlow appData intact', 'not measured']])
  })
})

test('the report names each action with its hash, block and evidence', () => {
  const input = passing()
  const verdict = judge(input)
  const result: SignedResult = {
    world: 'devnet', chainId: 11155111, account: key, rpcUrl: 'http://127.0.0.1:1', orderbookUrl: 'http://127.0.0.1:2', metricsUrl: 'http://127.0.0.1:3', journal: '/s/journal.json',
    startedAt: '2026-12-07T00:00:00.000Z', durationMs: 1000, before: input.before, after: input.after,
    actions: input.actions.map((a) => ({ ...a, describe: `the ${a.name}`, resumed: a.name === 'twap-create' })), verdict, notes: ['a note'],
  }
  const md = renderSignedReport(result)
  expect(md).toMatch(/^# Signed e2e: PASS/)
  for (const a of input.actions) expect(md).toContain(`| ${a.name} | the ${a.name} | ${hash} | ${a.block} | - (-) |`)
  expect(md).toContain('found, posted 1x [201]')
  expect(md).toContain('| oracle-fall | stop-loss order accepted | exactly one new order of the stop-loss owner at the orderbook | 1 new | ok |')
})
