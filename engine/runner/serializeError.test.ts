import { describe, expect, test } from 'vitest'
import { classifyApiError } from '../../modules/sdk/classifyApiError.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { ChainCallError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { deserializeError, serializeError } from './serializeError.ts'

/** Through structured clone, as a worker message goes. */
const cross = (error: unknown) => deserializeError(structuredClone(serializeError(error)))

describe('serializeError', () => {
  test('behavior: a CowApiError crosses as a CowApiError with its fields, action and message', () => {
    const original = new CowApiError({ status: 400, errorType: 'InsufficientFee', description: 'fee too low', data: { fee: 10n }, url: 'http://127.0.0.1/api/v1/orders' })
    const rebuilt = cross(original)
    expect(rebuilt).toBeInstanceOf(CowApiError)
    expect(rebuilt).toMatchObject({ status: 400, errorType: 'InsufficientFee', description: 'fee too low', data: { fee: 10n }, action: 'retry', url: 'http://127.0.0.1/api/v1/orders', message: original.message })
    expect(classifyApiError(rebuilt)).toEqual(classifyApiError(original))
  })

  test('behavior: a ChainCallError keeps its revert data and chain; a ChainRequestError stays retryable', () => {
    const revert = cross(new ChainCallError({ chainId: 5, to: '0x00000000000000000000000000000000000000aa', data: '0x08c379a0' }))
    expect(revert).toBeInstanceOf(ChainCallError)
    expect(revert).toMatchObject({ chainId: 5, data: '0x08c379a0' })
    expect(revert.message).toContain('to: 0x00000000000000000000000000000000000000aa')
    const request = cross(new ChainRequestError('RPC timed out', { chainId: 5, method: 'eth_call' }))
    expect(request).toBeInstanceOf(ChainRequestError)
    expect(request).toMatchObject({ shortMessage: 'RPC timed out', action: 'retry' })
    expect(request.message).toContain('method: eth_call')
  })

  test('behavior: other errors become ShepherdErrors with the original message, stack and cause chain', () => {
    const original = new TypeError('bad input', { cause: new RangeError('deep') })
    const rebuilt = cross(original) as ShepherdError
    expect(rebuilt).toBeInstanceOf(ShepherdError)
    expect(rebuilt.shortMessage).toBe('TypeError: bad input')
    expect(rebuilt.stack).toBe(original.stack)
    expect((rebuilt.cause as ShepherdError).shortMessage).toBe('RangeError: deep')
    expect(cross('a string').message).toBe('a string')
  })
})
