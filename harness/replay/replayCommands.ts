import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { ConfigError } from '../../engine/errors/config.ts'
import { recordRange } from './record.ts'
import { renderBacktestJson, renderBacktestReport } from './renderBacktestReport.ts'
import { runBacktest } from './replay.ts'

export const recordUsage = 'shepherd record --rpc <url> --from <block> --to <block> --config engine.toml --out fixtures/<name>.ndjson[.gz] [--orderbook configured|stub]'
export const replayUsage = 'shepherd replay fixtures/<name>.ndjson[.gz] [--modules a,b] [--orderbook recorded|accept-all] [--drift] [--report path]'

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

/** `shepherd replay ...`: backtests a cassette; exit 0 when the bar passes, 1 when it fails. */
export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { modules: { type: 'string' }, orderbook: { type: 'string', default: 'recorded' }, drift: { type: 'boolean', default: false }, report: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  if (positionals.length !== 1) throw usageError('cassette', 'one cassette path', positionals.join(' ') || 'nothing', replayUsage)
  if (values.orderbook !== 'recorded' && values.orderbook !== 'accept-all') throw usageError('--orderbook', 'recorded or accept-all', values.orderbook ?? '', replayUsage)
  const modules = values.modules?.split(',').map((m) => m.trim()).filter(Boolean)
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
