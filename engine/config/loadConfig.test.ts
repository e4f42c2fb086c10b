import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { ConfigError } from '../errors/config.ts'
import { loadModules } from '../module/loadModules.ts'
import { loadConfig, parseConfig } from './loadConfig.ts'

const chain = `[chains.11155111]\nrpc_url = "http://127.0.0.1:8545"\n`
const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig({ text, file: 'engine.toml', env })
function errorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}
async function asyncErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

function moduleDir(source: string) {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-config-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'mod.ts'), source)
  return dir
}
const moduleSource = `
import { z } from 'zod'
import { zAddress } from '${join(process.cwd(), 'engine/config/zodTypes.ts')}'
import { defineModule } from '${join(process.cwd(), 'engine/module/defineModule.ts')}'
export default defineModule({
  name: 'probe',
  config: z.strictObject({ chainId: z.number().default(11155111), owner: zAddress.optional() }),
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
})
`

describe('parseConfig', () => {
  test('behavior: fills every default for a minimal file', () => {
    const config = parse(chain)
    expect(config.engine).toEqual({
      state_dir: '.state',
      log_level: 'info',
      metrics: { enabled: false, bind: '127.0.0.1:9100' },
      supervisor: { backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000 },
    })
    expect(config.chains.get(11155111)).toMatchObject({ rpc_url: 'http://127.0.0.1:8545', confirmations: 0, poll_interval_ms: 1000, max_lookback_blocks: 10_000 })
    expect(config.modules).toEqual([])
  })

  test('behavior: substitutes ${ENV} and ${ENV:-default} in strings', () => {
    const config = parse(`[engine]\nstate_dir = "\${DIR:-/tmp/x}"\n[chains.1]\nrpc_url = "\${RPC}"\n`, { RPC: 'ws://127.0.0.1:9' })
    expect(config.chains.get(1)?.rpc_url).toBe('ws://127.0.0.1:9')
    expect(config.engine.state_dir).toBe('/tmp/x')
  })

  test('bad input: malformed TOML names the line and column', () => {
    const error = errorOf(() => parse('[engine\nstate_dir = 1'))
    expect(error.shortMessage).toMatch(/^Malformed TOML at line 1, column \d+$/)
    expect(error.message).toContain('file: engine.toml')
    expect(error.message).toContain('expected: valid TOML')
  })

  test('bad input: an unknown key names the key and its table', () => {
    const error = errorOf(() => parse(`${chain}confirmation = 3\n`))
    expect(error.shortMessage).toBe('Unknown key "confirmation" in [chains.11155111]')
    expect(error.key).toBe('chains.11155111.confirmation')
  })

  test('bad input: a wrong type names the key, expected and found', () => {
    const error = errorOf(() => parse(`${chain}poll_interval_ms = "fast"\n`))
    expect(error.key).toBe('chains.11155111.poll_interval_ms')
    expect(error.message).toContain('expected: number')
    expect(error.message).toContain('found: "fast"')
  })

  test('bad input: an rpc_url that is not http or ws', () => {
    const error = errorOf(() => parse(`[chains.1]\nrpc_url = "ftp://x"\n`))
    expect(error.key).toBe('chains.1.rpc_url')
    expect(error.message).toContain('expected an http(s):// or ws(s):// URL')
  })

  test('bad input: a bad address names the key', () => {
    const error = errorOf(() => parse(`${chain}multicall_address = "0x1234"\n`))
    expect(error.key).toBe('chains.11155111.multicall_address')
    expect(error.message).toContain('20-byte hex address')
    expect(error.message).toContain('found: "0x1234"')
  })

  test('bad input: a non-numeric chain id', () => {
    const error = errorOf(() => parse(`[chains.sepolia]\nrpc_url = "http://127.0.0.1:1"\n`))
    expect(error.message).toContain('numeric chain id')
  })

  test('bad input: an unset environment variable names the variable and key', () => {
    const error = errorOf(() => parse(`[chains.1]\nrpc_url = "\${NOPE_RPC}"\n`))
    expect(error.shortMessage).toBe('Environment variable NOPE_RPC is not set')
    expect(error.key).toBe('chains.1.rpc_url')
  })

  test('bad input: a missing file', () => {
    const error = errorOf(() => loadConfig('/nonexistent/engine.toml'))
    expect(error.shortMessage).toBe('Cannot read the config file')
    expect(error.message).toContain('found: ENOENT')
  })
})

describe('loadModules', () => {
  test('bad input: a missing module', async () => {
    const config = parse(`${chain}[[modules]]\nname = "no-such-module"\n`)
    const error = await asyncErrorOf(loadModules(config))
    expect(error.shortMessage).toBe('Module "no-such-module" not found')
    expect(error.key).toBe('modules.0.name')
  })

  test('bad input: a chain a module needs but the config lacks', async () => {
    const dir = moduleDir(moduleSource)
    const config = { ...parse(`${chain}[[modules]]\nname = "probe"\npath = "./mod.ts"\n[modules.config]\nchainId = 5\n`), file: join(dir, 'engine.toml') }
    const error = await asyncErrorOf(loadModules(config))
    expect(error.shortMessage).toBe('Module "probe" needs chain 5, which is not configured')
    expect(error.key).toBe('chains.5')
  })

  test('bad input: a bad address in a module config names the module key', async () => {
    const dir = moduleDir(moduleSource)
    const config = { ...parse(`${chain}[[modules]]\nname = "probe"\npath = "./mod.ts"\n[modules.config]\nowner = "0xnothex"\n`), file: join(dir, 'engine.toml') }
    const error = await asyncErrorOf(loadModules(config))
    expect(error.key).toBe('modules.0.config.owner')
    expect(error.message).toContain('20-byte hex address')
    expect(error.message).toContain('found: "0xnothex"')
  })

  test('bad input: an unknown key in a module config', async () => {
    const dir = moduleDir(moduleSource)
    const config = { ...parse(`${chain}[[modules]]\nname = "probe"\npath = "./mod.ts"\n[modules.config]\nowenr = "x"\n`), file: join(dir, 'engine.toml') }
    const error = await asyncErrorOf(loadModules(config))
    expect(error.key).toBe('modules.0.config.owenr')
  })

  test('behavior: a valid module file loads with its parsed config', async () => {
    const dir = moduleDir(moduleSource)
    const config = { ...parse(`${chain}[[modules]]\nname = "probe"\npath = "./mod.ts"\n`), file: join(dir, 'engine.toml') }
    const [loaded] = await loadModules(config)
    expect(loaded?.definition.name).toBe('probe')
    expect(loaded?.config).toEqual({ chainId: 11155111 })
    expect(loaded?.subscriptions).toEqual({ blocks: [{ chainId: 11155111 }] })
  })
})
