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
import { zAddress } from '${join(process.cwd(), 'modules/sdk/config/zodTypes.ts')}'
import { defineModule } from '${join(process.cwd(), 'modules/sdk/module/defineModule.ts')}'
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
      admin: {},
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

  test('behavior: a module entry may name the chains it runs on; a chain without a [chains.N] table is refused, naming the key', () => {
    const two = `${chain}[chains.100]\nrpc_url = "http://127.0.0.1:8546"\n`
    expect(parse(`${two}[[modules]]\nname = "twap-monitor"\nchains = [11155111, 100]\n`).modules[0]!.chains).toEqual([11155111, 100])
    const error = errorOf(() => parse(`${two}[[modules]]\nname = "twap-monitor"\nchains = [11155111, 5]\n`))
    expect(error.key).toBe('modules.0.chains.1')
    expect(error.message).toContain('chain 5, which has no [chains.5] table')
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

describe('parseConfig: ${ENV} substitution', () => {
  const moduleLabel = (value: string, env: NodeJS.ProcessEnv) => parse(`${chain}[[modules]]\nname = "m"\n[modules.config]\nlabel = "${value}"\n`, env).modules[0]!.config.label

  test('behavior: $${ is a literal ${, so a value may contain ${NAME} text', () => {
    expect(moduleLabel('$${HOME}/x and $$ and $x', { HOME: '/root' })).toBe('${HOME}/x and $$ and $x')
  })

  test('behavior: like the shell, a set-but-empty variable is distinct from an unset one', () => {
    expect(moduleLabel('[${X}]', { X: '' })).toBe('[]')
    expect(moduleLabel('[${X-d}]', { X: '' })).toBe('[]')
    expect(moduleLabel('[${X-d}]', {})).toBe('[d]')
    expect(moduleLabel('[${X:-d}]', { X: '' })).toBe('[d]')
    expect(moduleLabel('[${X:-d}]', {})).toBe('[d]')
    expect(moduleLabel('[${X:-d}]', { X: 'v' })).toBe('[v]')
    expect(moduleLabel('[${X:-}]', {})).toBe('[]')
    expect(errorOf(() => moduleLabel('${X}', {})).shortMessage).toBe('Environment variable X is not set')
  })

  test('bad input: a ${ that is not a reference names the key and the escape', () => {
    for (const text of ['${1X}', '${X', '${}', 'a ${X:d}']) {
      const error = errorOf(() => moduleLabel(text, { X: 'v' }))
      expect(error.shortMessage).toBe('Malformed ${...} reference')
      expect(error.key).toBe('modules.0.config.label')
      expect(error.message).toContain('write $${ for a literal ${')
    }
  })

  test('behavior: a whole-value reference becomes a number or boolean where the schema wants one', () => {
    const text = `[engine.metrics]\nenabled = "\${METRICS}"\n[chains.1]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = "\${POLL}"\nconfirmations = "\${CONF:-2}"\nstart_block = "\${START}"\n`
    const config = parse(text, { METRICS: 'true', POLL: '250', START: '12' })
    expect(config.engine.metrics.enabled).toBe(true)
    expect(config.chains.get(1)).toMatchObject({ poll_interval_ms: 250, confirmations: 2, start_block: 12 })
    expect(parse(text, { METRICS: 'false', POLL: '250', START: 'latest' }).chains.get(1)?.start_block).toBe('latest')
  })

  test('bad input: a variable that is not a number names the file, the key, what was expected and what it held', () => {
    const error = errorOf(() => parse(`[chains.1]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = "\${POLL}"\n`, { POLL: 'fast' }))
    expect(error.shortMessage).toBe('Environment variable POLL is not a number')
    expect(error.file).toBe('engine.toml')
    expect(error.key).toBe('chains.1.poll_interval_ms')
    expect(error.message).toContain('expected: a number')
    expect(error.message).toContain('found: "fast" from ${POLL}')
    const empty = errorOf(() => parse(`[chains.1]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = "\${POLL}"\n`, { POLL: '' }))
    expect(empty.message).toContain('found: "" from ${POLL}')
  })

  test('bad input: only whole-value references convert; a literal "250" or "1${X}" is still a type error, naming the variable when there is one', () => {
    const literal = errorOf(() => parse(`[chains.1]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = "250"\n`))
    expect(literal.message).toContain('expected: number')
    expect(literal.message).toContain('found: "250"')
    const mixed = errorOf(() => parse(`[chains.1]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = "1\${X}"\n`, { X: '0' }))
    expect(mixed.message).toContain('found: "10"')
    const fromEnv = errorOf(() => parse(`[chains.1]\nrpc_url = "\${RPC}"\n`, { RPC: 'ftp://x' }))
    expect(fromEnv.message).toContain('found: "ftp://x" from ${RPC}')
  })
})

describe('parseConfig: reliability and isolation keys', () => {
  test('behavior: max_lag_blocks, on_gap, allow_methods and [engine.admin] token parse; on_gap and max_lag_blocks default at use', () => {
    const config = parse(
      `[engine.admin]\ntoken = "0123456789abcdef"\n[chains.1]\nrpc_url = "http://127.0.0.1:1"\nmax_lag_blocks = 5\non_gap = "skip"\n[chains.2]\nrpc_url = "http://127.0.0.1:2"\n` +
        `[[modules]]\nname = "m"\nallow_methods = ["debug_traceCall", "anvil_*"]\n`,
    )
    expect(config.engine.admin.token).toBe('0123456789abcdef')
    expect(config.chains.get(1)).toMatchObject({ max_lag_blocks: 5, on_gap: 'skip' })
    expect(config.chains.get(2)?.on_gap).toBeUndefined()
    expect(config.chains.get(2)?.max_lag_blocks).toBeUndefined()
    expect(config.modules[0]?.allow_methods).toEqual(['debug_traceCall', 'anvil_*'])
    expect(parse(`${chain}[[modules]]\nname = "m"\n`).modules[0]?.allow_methods).toEqual([])
  })

  test('bad input: a wrong on_gap, a bad method name and a short admin token name their keys', () => {
    const gap = errorOf(() => parse(`${chain}on_gap = "ignore"\n`))
    expect(gap.key).toBe('chains.11155111.on_gap')
    expect(gap.message).toContain('expected: one of "skip", "halt"')
    const method = errorOf(() => parse(`${chain}[[modules]]\nname = "m"\nallow_methods = ["eth sendTransaction"]\n`))
    expect(method.key).toBe('modules.0.allow_methods.0')
    expect(method.message).toContain('JSON-RPC method name')
    const token = errorOf(() => parse(`[engine.admin]\ntoken = "short"\n${chain}`))
    expect(token.key).toBe('engine.admin.token')
    expect(token.message).toContain('at least 16 characters')
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
