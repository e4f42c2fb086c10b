import { cpus } from 'node:os'
import type { BenchRow } from './defineBenchmark.ts'

/** The JSON written by `npm run bench` (reports/bench-<date>.json). */
export type BenchReport = {
  /** Bumped when a field changes meaning. */
  version: 1
  startedAt: string
  finishedAt: string
  quick: boolean
  machine: { node: string; platform: string; cpus: number; cpuModel: string }
  /** Benchmarks run, in order. */
  benchmarks: string[]
  rows: BenchRow[]
  /** Per benchmark, figures that are not one task's (the ratio against the bare loop). */
  headlines: Record<string, Readonly<Record<string, number | string | boolean>>>
  /** Benchmarks that failed, with why: the others still report. */
  failures: Array<{ benchmark: string; error: string }>
}

export type BuildBenchReportParameters = Omit<BenchReport, 'version' | 'machine'> & { machine?: BenchReport['machine'] }
export type BuildBenchReportReturnType = BenchReport

/**
 * The JSON results of a run, with the machine they were measured on (figures from 2 shared cores
 * mean little without it).
 *
 * @example
 * const report = buildBenchReport({ startedAt, finishedAt, quick, benchmarks, rows, headlines, failures })
 */
export function buildBenchReport({ machine, ...run }: BuildBenchReportParameters): BuildBenchReportReturnType {
  const cores = cpus()
  return {
    version: 1,
    ...run,
    machine: machine ?? { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cores.length, cpuModel: cores[0]?.model ?? 'unknown' },
  }
}
