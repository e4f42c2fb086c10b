import { BaseError } from 'viem'
import { describe, expect, test } from 'vitest'
import { ShepherdError } from './base.ts'
import { errorMessage } from './errorMessage.ts'

describe('errorMessage', () => {
  test('behavior: a ShepherdError or a viem error gives its short message, not its details', () => {
    const shepherd = new ShepherdError('Chain 5 is not configured', { details: ['module: probe'], hint: 'Add [chains.5].' })
    expect(shepherd.message).toContain('\n')
    expect(errorMessage(shepherd)).toBe('Chain 5 is not configured')
    const viem = new BaseError('RPC request failed', { details: 'socket hang up' })
    expect(viem.message).toContain('\n')
    expect(errorMessage(viem)).toBe('RPC request failed')
  })

  test('behavior: a plain error gives the first line of its message, named by its class unless it is Error', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage(new Error('first\nsecond'))).toBe('first')
    expect(errorMessage(new TypeError('x is not a function'))).toBe('TypeError: x is not a function')
    expect(errorMessage(new RangeError(''))).toBe('RangeError')
    expect(errorMessage(new Error(''))).toBe('Error')
  })

  test('behavior: anything else gives its message field or String(value)', () => {
    expect(errorMessage({ code: -32000, message: 'execution reverted' })).toBe('execution reverted')
    expect(errorMessage('plain string')).toBe('plain string')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(undefined)).toBe('undefined')
    expect(errorMessage(null)).toBe('null')
    expect(errorMessage({ shortMessage: '', message: 'fallback' })).toBe('fallback')
  })

  test('behavior: never throws, even for values String() refuses', () => {
    expect(errorMessage(Object.create(null))).toBe('[object Object]')
    const throwing = { get message(): string { throw new Error('getter') }, toString() { throw new Error('toString') } }
    expect(errorMessage(throwing)).toBe('[object Object]')
  })
})
