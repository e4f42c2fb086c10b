import { existsSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Bench } from 'tinybench'
import { describe, expect, test } from 'vitest'
import { benchmarkFiles } from './benchmarks.ts'
import { buildBenchReport } from './buildBenchReport.ts'
import type { BenchRow } from './defineBenchmark.ts'
import { formatBenchTable } from './formatBenchTable.ts'
import { formatRatio } from './formatRatio.ts'
import { parseBenchArgs } from './parseBenchArgs.ts'
import { rowsOf } from './rowsOf.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const known = ['ratio', 'uid', 'schedule']

const row = (overrides: Partial<BenchRow> = {}): BenchRow => ({
  benchmark: 'uid',
  task: 'stub fastOrderUid',
  clock: 'wall',
  unit: 'uid',
  opsPerIteration: 1,
  opsPerSecond: 25_000,
  meanMs: 0.04,
  medianMs: 0.035,
  p99Ms: 0.25,
  samples: 1234,
  ...overrides,
})

function benchFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : benchFiles(path)
    return /\.bench\.ts$|^bench.*\.mjs$/.test(entry.name) ? [relative(ROOT, path)] : []
  })
}

describe('parseBenchArgs', () => {
  test('behavior: names, --quick and --out are read; no names means all', () => {
    expect(parseBenchArgs({ argv: [], known })).toEqual({ names: [], quick: false, out: undefined, list: false })
    expect(parseBenchArgs({ argv: ['uid', '--quick', '--out', 'r.json', 'ratio', 'uid'], known })).toEqual({ names: ['uid', 'ratio'], quick: true, out: 'r.json', list: false })
    expect(parseBenchArgs({ argv: ['--out=x.json', '--list'], known })).toMatchObject({ out: 'x.json', list: true })
  })

  test('behavior: an unknown benchmark, an unknown flag and --out without a file are errors that say what exists', () => {
    expect(() => parseBenchArgs({ argv: ['uids'], known })).toThrow(/no benchmark named "uids"[\s\S]*ratio, uid, schedule/)
    expect(() => parseBenchArgs({ argv: ['--fast'], known })).toThrow(/unknown option --fast/)
    expect(() => parseBenchArgs({ argv: ['--out'], known })).toThrow(/--out needs a file/)
    expect(() => parseBenchArgs({ argv: ['--out', '--quick'], known })).toThrow(/--out needs a file/)
  })
})

describe('formatBenchTable', () => {
  test('behavior: one header, one line per row, columns aligned, figures to three significant digits', () => {
    const table = formatBenchTable([row(), row({ benchmark: 'ratio', task: 'shepherd pollDueWatches (ws)', clock: 'cpu', opsPerSecond: 20_518.4, meanMs: 0.04874, medianMs: 0.0461, p99Ms: 0.0871, samples: 20, notes: { watches: 2000, answer: 'PollTryAtEpoch' } })])
    const lines = table.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^benchmark\s+task\s+clock\s+ops\/s\s+mean ms\/op\s+median ms\/op\s+p99 ms\/op\s+samples\s+notes\s*$/)
    // Every figure column ends where its header does (the notes trail).
    const samplesEnd = lines[0]!.indexOf('samples') + 'samples'.length
    for (const line of lines) expect(line.slice(samplesEnd - 1, samplesEnd), line).toMatch(/\S|-/)
    for (const line of lines.slice(2)) expect(line.slice(samplesEnd, samplesEnd + 1), line).toMatch(/^ ?$/)
    expect(lines[3]).toContain('20,518')
    expect(lines[3]).toContain('0.0487')
    expect(lines[2]).toMatch(/25,000\s+0\.04\s+0\.035\s+0\.25\s+1234$/)
    expect(lines[3]).toMatch(/20\s+watches=2,000 answer=PollTryAtEpoch$/)
  })
})

describe('formatRatio', () => {
  test('behavior: says within or OVER the target per transport', () => {
    const text = formatRatio({ watches: 2000, answer: 'PollTryAtEpoch', target: 1.2, ws: 1.19, wsMedian: 1.22, wsShepherdUsPerPoll: 48.7, wsFloorUsPerPoll: 41.1, http: 1.5, httpMedian: 1.4, httpShepherdUsPerPoll: 60, httpFloorUsPerPoll: 40 })
    expect(text).toMatch(/ws\s+shepherd 48\.7 us\/poll, floor 41\.1 us\/poll: 1\.19x \(medians 1\.22x\) within target/)
    expect(text).toMatch(/http\s+shepherd 60\.0 us\/poll, floor 40\.0 us\/poll: 1\.50x .* OVER target/)
  })
})

describe('buildBenchReport', () => {
  test('behavior: the JSON carries version, the machine, rows, headlines and failures', () => {
    const report = buildBenchReport({ startedAt: 'a', finishedAt: 'b', quick: true, benchmarks: ['uid'], rows: [row()], headlines: { ratio: { ws: 1.1 } }, failures: [{ benchmark: 'devnet', error: 'no anvil' }] })
    expect(report).toMatchObject({ version: 1, quick: true, benchmarks: ['uid'], rows: [row()], headlines: { ratio: { ws: 1.1 } }, failures: [{ benchmark: 'devnet', error: 'no anvil' }] })
    expect(report.machine.cpus).toBeGreaterThan(0)
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })
})

describe('rowsOf', () => {
  test('behavior: figures are per op (an iteration of N ops divides by N), with notes', async () => {
    const bench = new Bench({ iterations: 3, time: 0, warmup: false, throws: true }).add('batch', () => ({ overriddenDuration: 10 }))
    await bench.run()
    const [only] = rowsOf(bench, { benchmark: 'b', unit: 'poll', clock: 'cpu', opsPerIteration: { batch: 100 }, notes: { batch: { watches: 100 } } })
    expect(only).toMatchObject({ benchmark: 'b', task: 'batch', clock: 'cpu', unit: 'poll', opsPerIteration: 100, meanMs: 0.1, medianMs: 0.1, samples: 3, notes: { watches: 100 } })
    expect(only!.opsPerSecond).toBeCloseTo(10_000)
  })

  test('behavior: a task that failed is an error naming it', async () => {
    const bench = new Bench({ iterations: 2, time: 0, warmup: false }).add('broken', () => {
      throw new Error('boom')
    })
    await bench.run()
    expect(() => rowsOf(bench, { benchmark: 'b', unit: 'op' })).toThrow(/Benchmark "b", task "broken" did not complete[\s\S]*errored[\s\S]*boom/)
  })
})

describe('the registry', () => {
  test('behavior: every bench file in the repository is registered once, and every registered file exists', () => {
    const onDisk = benchFilesOnDisk().sort()
    const registered = benchmarkFiles.map((b) => b.file).sort()
    expect(registered).toEqual(onDisk)
    for (const file of registered) expect(existsSync(join(ROOT, file)), file).toBe(true)
    expect(new Set(benchmarkFiles.map((b) => b.name)).size).toBe(benchmarkFiles.length)
  })
})

function benchFilesOnDisk(): string[] {
  return ['cli', 'engine', 'harness', 'modules', 'scenarios'].flatMap((dir) => benchFiles(join(ROOT, dir)))
}
