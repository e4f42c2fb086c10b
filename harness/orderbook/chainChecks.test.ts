import { describe, expect, test } from 'vitest'
import { DEFAULT_ORDER_VALIDITY, judgeFunds, judgeValidTo } from './chainChecks.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { startInProcessStub } from './startInProcessStub.ts'

const now = 1_800_000_000n
const limit = (validTo: number, signingScheme: 'eip712' | 'presign' = 'eip712', feeAmount = 0n) => judgeValidTo({ validTo, feeAmount, signingScheme }, now, DEFAULT_ORDER_VALIDITY)?.errorType ?? null

describe('judgeValidTo (the service defaults: 1 min, 3 h market, 1 y limit, none for presign)', () => {
  test('behavior: below now + 60 s is InsufficientValidTo, at it passes', () => {
    expect(limit(Number(now) + 59)).toBe('InsufficientValidTo')
    expect(limit(Number(now) - 100)).toBe('InsufficientValidTo')
    expect(limit(Number(now) + 60)).toBeNull()
  })
  test('behavior: a limit order (zero fee) may reach 365.25 days, one second more is ExcessiveValidTo; a market order (fee) only 3 h', () => {
    expect(limit(Number(now) + 31_557_600)).toBeNull()
    expect(limit(Number(now) + 31_557_601)).toBe('ExcessiveValidTo')
    expect(limit(Number(now) + 3 * 3600 + 1, 'eip712', 1n)).toBe('ExcessiveValidTo')
  })
  test('behavior: presign orders and u32::MAX: presign has no maximum, an EthFlow validTo is excessive for any other scheme', () => {
    expect(limit(0xffffffff, 'presign')).toBeNull()
    expect(limit(0xffffffff)).toBe('ExcessiveValidTo')
  })
})

describe('judgeFunds (the service: 1, 10, 100 atoms; presign exempt)', () => {
  const ok = { timestamp: now, balance: 10n ** 18n, allowance: 10n ** 18n, transfers: [true, true, true] }
  test('behavior: refuses a zero balance, then a zero allowance, then transfers that all fail; passes otherwise', () => {
    expect(judgeFunds({ ...ok, balance: 0n }, 'eip1271', {})?.errorType).toBe('InsufficientBalance')
    expect(judgeFunds({ ...ok, allowance: 0n }, 'eip1271', {})?.errorType).toBe('InsufficientAllowance')
    expect(judgeFunds({ ...ok, transfers: [false, false, false] }, 'eip1271', {})?.errorType).toBe('TransferSimulationFailed')
    expect(judgeFunds({ ...ok, transfers: [false, false, true] }, 'eip1271', {})).toBeNull()
    expect(judgeFunds(ok, 'eip1271', {})).toBeNull()
  })
  test('behavior: a failed 1-atom transfer with a balance of 5 ends InsufficientBalance at 10 atoms, as the service loops', () => {
    expect(judgeFunds({ ...ok, balance: 5n, transfers: [false, false, false] }, 'eip712', {})?.errorType).toBe('InsufficientBalance')
  })
  test('behavior: an unreadable balance (no token code) is a failed simulation; presign passes with nothing; all knobs off pass', () => {
    expect(judgeFunds({ ...ok, balance: null }, 'eip712', {})?.errorType).toBe('TransferSimulationFailed')
    expect(judgeFunds({ timestamp: now, balance: 0n, allowance: 0n, transfers: [false, false, false] }, 'presign', {})).toBeNull()
    expect(judgeFunds({ ...ok, balance: 0n, allowance: 0n }, 'eip712', { balance: false, allowance: false, transferSimulation: false })).toBeNull()
  })
})

describe('a stub without a chain', () => {
  test('behavior: accepts what only the chain could refuse, and says which checks did not run (stub.chainChecks() and the record entry), never that they passed', async () => {
    const stub = createOrderbookStub()
    expect(stub.chainChecks()).toEqual({ chain: null, running: [], unchecked: ['eip1271', 'presign', 'validTo', 'balance', 'allowance', 'transferSimulation', 'limitOrderCount'] })
    const { baseUrl, close } = startInProcessStub(stub)
    try {
      const response = await fetch(`${baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exampleOrderCreation({ validTo: 1 })) })
      expect(response.status).toBe(201)
      expect(stub.record.accepted()[0]?.unchecked).toEqual(['eip1271', 'validTo', 'balance', 'allowance', 'transferSimulation', 'limitOrderCount'])
      stub.setKnobs({ checks: { validTo: false, balance: false, allowance: false, transferSimulation: false, eip1271: false } })
      expect(stub.chainChecks().unchecked).toEqual(['presign', 'limitOrderCount'])
    } finally {
      close()
    }
  })
})
