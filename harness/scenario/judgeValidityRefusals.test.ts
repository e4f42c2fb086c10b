import { describe, expect, it } from 'vitest'
import { DEFAULT_ORDER_VALIDITY } from '../orderbook/chainChecks.ts'
import { judgeValidityRefusals } from './judgeValidityRefusals.ts'

const post = (status: number, errorType?: string) => ({ method: 'POST', path: '/api/v1/orders', status, responseBody: errorType ? { errorType, description: 'x' } : '0xuid' })

describe('judgeValidityRefusals', () => {
  it('behavior: passes a strict run whose posts were all accepted, and counts other refusals per errorType', () => {
    const { bar, refusalsByErrorType } = judgeValidityRefusals({ record: [post(201), post(201), post(400, 'DuplicatedOrder'), { method: 'GET', path: '/api/v1/orders/0x1', status: 404, responseBody: {} }], validity: DEFAULT_ORDER_VALIDITY })
    expect(bar).toMatchObject({ pass: true, status: 'pass', measured: '0 of 3 order posts' })
    expect(refusalsByErrorType).toEqual({ DuplicatedOrder: 1 })
  })

  it('behavior: fails a run with a part refused as InsufficientValidTo (or ExcessiveValidTo)', () => {
    const { bar, refusalsByErrorType } = judgeValidityRefusals({ record: [post(201), post(400, 'InsufficientValidTo'), post(400, 'InsufficientValidTo'), post(400, 'ExcessiveValidTo')], validity: DEFAULT_ORDER_VALIDITY })
    expect(bar).toMatchObject({ pass: false, status: 'fail', measured: '2 InsufficientValidTo, 1 ExcessiveValidTo of 4 order posts' })
    expect(refusalsByErrorType).toEqual({ InsufficientValidTo: 2, ExcessiveValidTo: 1 })
  })

  it('behavior: a run that posted nothing fails as not measured (no evidence of meeting the window)', () => {
    const { bar } = judgeValidityRefusals({ record: [{ method: 'GET', path: '/api/v1/orders/0x1', status: 404, responseBody: {} }], validity: DEFAULT_ORDER_VALIDITY })
    expect(bar).toMatchObject({ pass: false, status: 'not measured' })
  })

  it('behavior: a stub with a lowered validity window cannot prove strictness: not applicable, naming the window', () => {
    const { bar } = judgeValidityRefusals({ record: [post(201)], validity: { ...DEFAULT_ORDER_VALIDITY, minSeconds: 0 } })
    expect(bar.status).toBe('not applicable')
    expect(bar.measured).toMatch(/lowered to 0 s/)
  })
})
