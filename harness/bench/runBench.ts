// `npm run bench -- [names...] [--quick] [--out file.json] [--list]`: runs the benchmarks (all, or
// those named) one after another in this process, prints one table and the ratio against the bare
// loop, and writes the JSON results (reports/bench-<date>.json by default). Not a test: figures vary
// with the machine's load; docs/operations/benchmarks.md has the latest ones and what each measures.
import '../../engine/polyfills.ts'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { benchmarkFiles } from './benchmarks.ts'
import { buildBenchReport, type BenchReport } from './buildBenchReport.ts'
import type { Benchmark, BenchRow } from './defineBenchmark.ts'
import { formatBenchTable } from './formatBenchTable.ts'
import { formatRatio } from './formatRatio.ts'
import { parseBenchArgs } from './parseBenchArgs.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

async function load(name: string, file: string): Promise<Benchmark> {
  const loaded = (await import(pathToFileURL(resolve(root, file)).href)) as { default?: Benchmark }
  const benchmark = loaded.default
  if (!benchmark || typeof benchmark.run !== 'function' || benchmark.name !== name)
    throw new ShepherdError(`${file} does not default-export the benchmark "${name}"`, { details: [`found: ${benchmark ? `a benchmark named "${benchmark.name}"` : 'no default export'}`], hint: 'export default defineBenchmark({ name, summary, run })' })
  return benchmark
}

async function main(): Promise<number> {
  const args = parseBenchArgs({ argv: process.argv.slice(2), known: benchmarkFiles.map((b) => b.name) })
  if (args.list) {
    for (const { name, file } of benchmarkFiles) console.log(`${name.padEnd(20)} ${file}`)
    return 0
  }
  const selected = args.names.length > 0 ? args.names.map((name) => benchmarkFiles.find((b) => b.name === name)!) : benchmarkFiles
  const startedAt = new Date()
  const rows: BenchRow[] = []
  const headlines: BenchReport['headlines'] = {}
  const failures: BenchReport['failures'] = []
  for (const { name, file } of selected) {
    const began = performance.now()
    console.log(`\n> ${name} (${file})${args.quick ? ' --quick' : ''}`)
    try {
      const benchmark = await load(name, file)
      const outcome = await benchmark.run({ quick: args.quick, log: (line) => console.log(`  ${line}`) })
      rows.push(...outcome.rows)
      if (outcome.headline) headlines[name] = outcome.headline
      console.log(formatBenchTable(outcome.rows).replace(/^/gm, '  '))
    } catch (error) {
      failures.push({ benchmark: name, error: errorMessage(error) })
      console.error(`  FAILED: ${errorMessage(error)}`)
    }
    console.log(`  (${((performance.now() - began) / 1000).toFixed(1)} s)`)
  }
  const report = buildBenchReport({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), quick: args.quick, benchmarks: selected.map((b) => b.name), rows, headlines, failures })
  const out = resolve(root, args.out ?? `reports/bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\n${formatBenchTable(rows)}`)
  if (headlines.ratio) console.log(`\n${formatRatio(headlines.ratio)}`)
  for (const failure of failures) console.log(`\nFAILED ${failure.benchmark}: ${failure.error}`)
  console.log(`\nresults: ${out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`)
  return failures.length > 0 ? 1 : 0
}

try {
  // Exit explicitly: a benchmark's leftover handle (a keep-alive socket) must not hold the run open.
  process.exit(await main())
} catch (error) {
  console.error(errorMessage(error))
  process.exit(2)
}
