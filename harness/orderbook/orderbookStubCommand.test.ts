import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../engine/errors/config.ts'
import { orderbookStubCommand } from './orderbookStubCommand.ts'

describe('orderbookStubCommand', () => {
  test('behavior: prints the base URL, serves until aborted, then closes and exits 0', async () => {
    const controller = new AbortController()
    let printed!: (line: string) => void
    const firstLine = new Promise<string>((resolve) => (printed = resolve))
    const exit = orderbookStubCommand(['--port', '0', '--chain-id', '1', '--fail-rate', '1', '--fail-status', '503'], {
      signal: controller.signal,
      print: (line) => printed(line),
    })
    const baseUrl = await Promise.race([firstLine, exit.then((code) => `exited ${code}`)])
    try {
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const answer = await fetch(`${baseUrl}/api/v1/version`)
      expect(answer.status).toBe(503)
    } finally {
      controller.abort()
    }
    expect(await exit).toBe(0)
    await expect(fetch(`${baseUrl}/api/v1/version`)).rejects.toThrow()
  })

  test('behavior: a bad option value is a ConfigError naming the option', async () => {
    const error: unknown = await orderbookStubCommand(['--fail-rate', '3']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).key).toBe('--fail-rate')
    await expect(orderbookStubCommand(['--nope'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })
  })
})
