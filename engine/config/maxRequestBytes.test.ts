import { describe, expect, test } from 'vitest'
import { ConfigError } from '../errors/config.ts'
import { parseConfig } from './loadConfig.ts'

const chain = `[chains.11155111]\nrpc_url = "http://127.0.0.1:8545"\n`
const parse = (text: string) => parseConfig({ text, file: 'engine.toml', env: {} })

describe('[chains.<id>] max_request_bytes', () => {
  test('behavior: defaults to 1.5 MiB, below Anvil 2 MiB body limit', () => {
    expect(parse(chain).chains.get(11155111)?.max_request_bytes).toBe(1_572_864)
    expect(1_572_864).toBeLessThan(2 * 1024 * 1024)
  })

  test('behavior: takes a value in bytes', () => {
    expect(parse(`${chain}max_request_bytes = 5000000\n`).chains.get(11155111)?.max_request_bytes).toBe(5_000_000)
  })

  test('bad input: below 64 KiB names the key, what was expected and what was found', () => {
    let error: unknown
    try {
      parse(`${chain}max_request_bytes = 1000\n`)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).key).toBe('chains.11155111.max_request_bytes')
    expect((error as Error).message).toContain('found: 1000')
    expect((error as Error).message).toMatch(/65536/)
  })
})
