import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { ConfigError } from '../../engine/errors/config.ts'
import { recordRange } from './record.ts'
import { renderBacktestJson, renderBacktestReport } from './renderBacktestReport.ts'
import { runBacktest } from './replay.ts'
import type { CassetteModule } from './cassette.ts'

export const recordUsage = 'shepherd record --rpc <url> --from <block> --to <block> --config engine.toml --out fixtures/<name>.ndjson[.gz] [--orderbook configured|stub]'
export const replayUsage = 'shepherd replay fixtures/<name>.ndjson[.gz] [--modules a,b] [--module-file ./my-module.ts [--module-name N] [--module-config JSON]] [--orderbook recorded|accept-all] [--drift] [--report path]'

const usageError = (key: string, expected: string, found: string, usage: string) =>
  new ConfigError(`Bad ${key}`, { file: '(command line)', key, expected, found, hint: `Usage: ${usage}` })

function blockArg(value: string | undefined, key: string): bigint {
  if (value === undefined || !/^\d+$/.test(value)) throw usageError(key, 'a block number (decimal)', value ?? 'nothing', recordUsage)
  return BigInt(value)
}

/** `shepherd record ...`: records a range into a cassette. Exit 2 on bad input. */
export async function recordCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { rpc: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, orderbook: { type: 'string', default: 'configured' } },
    strict: true,
  })
  if (!values.rpc || !/^(https?|wss?):\/\//.test(values.rpc)) throw usageError('--rpc', 'an http(s):// or ws(s):// URL', values.rpc ?? 'nothing', recordUsage)
  const from = blockArg(values.from, '--from')
  const to = blockArg(values.to, '--to')
  if (to < from) throw usageError('--to', `a block >= --from (${from})`, String(to), recordUsage)
  if (!values.config) throw usageError('--config', 'an engine.toml', 'nothing', recordUsage)
  if (!values.out || !/\.ndjson(\.gz)?$/.test(values.out)) throw usageError('--out', 'a path ending in .ndjson or .ndjson.gz', values.out ?? 'nothing', recordUsage)
  if (values.orderbook !== 'configured' && values.orderbook !== 'stub') throw usageError('--orderbook', 'configured or stub', values.orderbook ?? '', recordUsage)
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  try {
    await recordRange({ config: loadConfig(values.config), rpcUrl: values.rpc, from, to, out: values.out, orderbook: values.orderbook, signal: controller.signal })
  } finally {
    process.off('SIGINT', stop)
  }
  return controller.signal.aborted ? 130 : 0
}

/**
 * The user's module from `--module-file` (name: `--module-name`, default the file's base name;
 * config: `--module-config`, a JSON object), or undefined when no file is given.
 */
function moduleFileArg(file: string | undefined, name: string | undefined, configText: string | undefined): CassetteModule | undefined {
  if (file === undefined) {
    if (name !== undefined || configText !== undefined) throw usageError(name !== undefined ? '--module-name' : '--module-config', 'to come with --module-file', 'no --module-file', replayUsage)
    return undefined
  }
  if (!existsSync(file)) throw usageError('--module-file', 'an existing module file (.ts or .js whose default export is defineModule(...))', resolve(file), replayUsage)
  const moduleName = name ?? basename(file, extname(file))
  if (!/^[a-z0-9][a-z0-9-]*$/.test(moduleName)) throw usageError('--module-name', 'lowercase letters, digits and dashes', moduleName, replayUsage)
  let config: unknown = {}
  if (configText !== undefined) {
    try {
      config = JSON.parse(configText)
    } catch {
      throw usageError('--module-config', 'a JSON object, e.g. \'{"threshold":"2500"}\'', configText, replayUsage)
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw usageError('--module-config', 'a JSON object', configText, replayUsage)
  }
  return { name: moduleName, path: resolve(file), config: config as Record<string, unknown> }
}

/** `shepherd replay ...`: backtests a cassette; exit 0 when the bar passes, 1 when it fails. */
export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      modules: { type: 'string' },
      'module-file': { type: 'string' },
      'module-name': { type: 'string' },
      'module-config': { type: 'string' },
      orderbook: { type: 'string', default: 'recorded' },
      drift: { type: 'boolean', default: false },
      report: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  if (positionals.length !== 1) throw usageError('cassette', 'one cassette path', positionals.join(' ') || 'nothing', replayUsage)
  if (values.orderbook !== 'recorded' && values.orderbook !== 'accept-all') throw usageError('--orderbook', 'recorded or accept-all', values.orderbook ?? '', replayUsage)
  const named = values.modules?.split(',').map((m) => m.trim()).filter(Boolean)
  const userModule = moduleFileArg(values['module-file'], values['module-name'], values['module-config'])
  // A user's module runs alone unless --modules names cassette modules to run beside it.
  const modules = userModule ? [...(named ?? []), userModule] : named
  const run = await runBacktest({ cassette: positionals[0]!, modules, orderbook: values.orderbook, drift: values.drift })
  const markdown = renderBacktestReport(run.result)
  if (values.report) {
    mkdirSync(dirname(values.report), { recursive: true })
    const base = values.report.replace(/\.(md|json)$/, '')
    writeFileSync(`${base}.md`, markdown)
    writeFileSync(`${base}.json`, renderBacktestJson(run.result))
  }
  console.log(markdown)
  console.error(`replay: ${run.blocks} blocks in ${Math.round(run.durationMs)} ms (${Math.round(run.blocksPerSecond)} blocks/s)`)
  return run.result.passed ? 0 : 1
}
