import { describe, expect, test } from 'vitest'
import { ShepherdError, describeError } from './base.ts'
import { ConfigError } from './config.ts'
import { CowApiError } from './cowApi.ts'

describe('ShepherdError', () => {
  test('behavior: message carries the short message, details and hint', () => {
    const error = new ShepherdError('Chain 5 is not configured', { details: ['module: x'], hint: 'Add [chains.5].' })
    expect(error.message).toBe('Chain 5 is not configured\n\n  module: x\n\nAdd [chains.5].')
    expect(error.shortMessage).toBe('Chain 5 is not configured')
    expect(describeError(error)).toBe('Chain 5 is not configured')
  })

  test('behavior: walk() finds a cause by predicate', () => {
    const root = new RangeError('deep')
    const error = new ShepherdError('outer', { cause: new Error('middle', { cause: root }) })
    expect(error.walk((e) => e instanceof RangeError)).toBe(root)
    expect(error.walk()).toBe(root)
  })

  test('behavior: ConfigError names file, key, expected and found', () => {
    const error = new ConfigError('Invalid address', { file: 'engine.toml', key: 'modules.0.config.owner', expected: 'a 20-byte hex address', found: '"0x12"' })
    expect(error.message).toContain('file: engine.toml')
    expect(error.message).toContain('key: modules.0.config.owner')
    expect(error.message).toContain('expected: a 20-byte hex address')
    expect(error.message).toContain('found: "0x12"')
  })

  test('behavior: CowApiError classes transport faults, 429 and 5xx as retry, 4xx as drop', () => {
    expect(new CowApiError({ status: 0 }).action).toBe('retry')
    expect(new CowApiError({ status: 429, retryAfter: 3 }).action).toBe('retry')
    expect(new CowApiError({ status: 503 }).action).toBe('retry')
    expect(new CowApiError({ status: 400, errorType: 'DuplicatedOrder' }).action).toBe('drop')
  })
})
