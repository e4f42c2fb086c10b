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
  test('behavior: --banned-users and --max-gas-per-order set the policy (a banned owner is 403, heavy hooks TooMuchGas); a bad address is a ConfigError', async () => {
    const error: unknown = await orderbookStubCommand(['--banned-users', '0x12']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).key).toBe('--banned-users')
    const controller = new AbortController()
    let printed!: (line: string) => void
    const firstLine = new Promise<string>((resolve) => (printed = resolve))
    const banned = '0x1111111111111111111111111111111111111111'
    const exit = orderbookStubCommand(['--port', '0', '--banned-users', banned, '--max-gas-per-order', '150000'], { signal: controller.signal, print: (line) => printed(line) })
    try {
      const baseUrl = await firstLine
      const send = (body: unknown) => fetch(`${baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect((await send(exampleOrderCreation({ owner: banned }))).status).toBe(403)
      const hooks = JSON.stringify({ metadata: { hooks: { post: [{ target: banned, callData: '0x', gasLimit: '50001' }] } } })
      const other = '0x2222222222222222222222222222222222222222'
      expect(await (await send(exampleOrderCreation({ owner: other, appData: hooks }))).json()).toMatchObject({ errorType: 'TooMuchGas' })
      expect((await send(exampleOrderCreation({ owner: other }))).status).toBe(201)
    } finally {
      controller.abort()
    }
    expect(await exit).toBe(0)
  })
})
