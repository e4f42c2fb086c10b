import { describe, expect, test } from 'vitest'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { DevnetError } from './DevnetError.ts'
import { resolveAnvilBinary } from './resolveAnvilBinary.ts'
import { existsSync } from 'node:fs'

describe('DevnetError', () => {
  test('behavior: is a ShepherdError carrying pid and recent Anvil output in its details', () => {
    const error = new DevnetError('Anvil failed to start', { pid: 42, output: ['error: address in use\n'] })
    expect(error).toBeInstanceOf(ShepherdError)
    expect(error.action).toBe('stop')
    expect(error.pid).toBe(42)
    expect(error.message).toContain('anvil pid: 42')
    expect(error.message).toContain('recent anvil output:')
    expect(error.message).toContain('error: address in use')
  })
})

describe('resolveAnvilBinary', () => {
  test('behavior: finds the binary inside @foundry-rs/anvil-linux-amd64', () => {
    const binary = resolveAnvilBinary()
    expect(binary).toMatch(/@foundry-rs\/anvil-linux-amd64\/bin\/anvil$/)
    expect(existsSync(binary)).toBe(true)
  })
})
