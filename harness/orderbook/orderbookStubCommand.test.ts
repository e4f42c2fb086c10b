import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../engine/errors/config.ts'
import { orderbookStubCommand } from './orderbookStubCommand.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'

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

  test('behavior: --checks-off turns named checks off (a violating post passes); an unknown name is a ConfigError', async () => {
    const error: unknown = await orderbookStubCommand(['--checks-off', 'nonZeroFee,balence']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).key).toBe('--checks-off')
    for (const [argv, expected] of [[[], 400], [['--checks-off', 'nonZeroFee'], 201]] as const) {
      const controller = new AbortController()
      let printed!: (line: string) => void
      const firstLine = new Promise<string>((resolve) => (printed = resolve))
      const exit = orderbookStubCommand(['--port', '0', ...argv], { signal: controller.signal, print: (line) => printed(line) })
      try {
        const baseUrl = await firstLine
        const body = JSON.stringify(exampleOrderCreation({ feeAmount: '1' }))
        const answer = await fetch(`${baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        expect(answer.status).toBe(expected)
      } finally {
        controller.abort()
      }
      expect(await exit).toBe(0)
    }
  })
})
