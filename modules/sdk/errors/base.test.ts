import { describe, expect, test } from 'vitest'
import { ShepherdError, decideAction, findStopCause } from './base.ts'
import { errorMessage } from './errorMessage.ts'
import { ChainRequestError } from './chain.ts'
import { CowApiError } from './cowApi.ts'

describe('ShepherdError', () => {
  test('behavior: message carries the short message, details and hint', () => {
    const error = new ShepherdError('Chain 5 is not configured', { details: ['module: x'], hint: 'Add [chains.5].' })
    expect(error.message).toBe('Chain 5 is not configured\n\n  module: x\n\nAdd [chains.5].')
    expect(error.shortMessage).toBe('Chain 5 is not configured')
    expect(errorMessage(error)).toBe('Chain 5 is not configured')
  })

  test('behavior: walk() finds a cause by predicate', () => {
    const root = new RangeError('deep')
    const error = new ShepherdError('outer', { cause: new Error('middle', { cause: root }) })
    expect(error.walk((e) => e instanceof RangeError)).toBe(root)
    expect(error.walk()).toBe(root)
  })

  test('behavior: CowApiError classes transport faults, 429 and 5xx as retry, 4xx as drop', () => {
    expect(new CowApiError({ status: 0 }).action).toBe('retry')
    expect(new CowApiError({ status: 429, retryAfter: 3 }).action).toBe('retry')
    expect(new CowApiError({ status: 503 }).action).toBe('retry')
    expect(new CowApiError({ status: 400, errorType: 'DuplicatedOrder' }).action).toBe('drop')
  })

  test('behavior: decideAction reads stop anywhere in the cause chain first, then the outermost action, else retry', () => {
    const config = new ShepherdError('Bad key', { action: 'stop' })
    const wrapped = new ChainRequestError('RPC eth_chainId failed', { chainId: 1, method: 'eth_chainId', cause: config })
    expect(decideAction(wrapped)).toBe('stop')
    expect(findStopCause(wrapped)).toBe(config)
    expect(decideAction(new ChainRequestError('RPC eth_call failed', { chainId: 1, method: 'eth_call', cause: new Error('ECONNRESET') }))).toBe('retry')
    expect(decideAction(new CowApiError({ status: 400, errorType: 'InvalidSignature' }))).toBe('drop')
    expect(decideAction(new ShepherdError('outer', { action: 'drop', cause: new ShepherdError('inner', { action: 'retry' }) }))).toBe('drop')
    expect(decideAction(new Error('socket hang up'))).toBe('retry')
    expect(decideAction('a string')).toBe('retry')
    expect(findStopCause(new Error('plain'))).toBeUndefined()
  })
})
