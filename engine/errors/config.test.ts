import { describe, expect, test } from 'vitest'
import { ConfigError } from './config.ts'

describe('ConfigError', () => {
  test('behavior: ConfigError names file, key, expected and found', () => {
    const error = new ConfigError('Invalid address', { file: 'engine.toml', key: 'modules.0.config.owner', expected: 'a 20-byte hex address', found: '"0x12"' })
    expect(error.message).toContain('file: engine.toml')
    expect(error.message).toContain('key: modules.0.config.owner')
    expect(error.message).toContain('expected: a 20-byte hex address')
    expect(error.message).toContain('found: "0x12"')
  })

})
