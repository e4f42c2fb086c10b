import type { BenchRow } from './defineBenchmark.ts'

export type FormatBenchTableParameters = readonly BenchRow[]
export type FormatBenchTableReturnType = string

/** Three significant digits, without exponent notation for the sizes seen here. */
function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US')
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

/**
 * The results as a fixed-width text table: benchmark, task, clock, ops/s, mean, median and p99 per op (ms),
 * samples, and the notes (`key=value`). Pure: the runner prints it.
 *
 * @example
 * console.log(formatBenchTable(rows))
 */
export function formatBenchTable(rows: FormatBenchTableParameters): FormatBenchTableReturnType {
  const header = ['benchmark', 'task', 'clock', 'ops/s', 'mean ms/op', 'median ms/op', 'p99 ms/op', 'samples', 'notes']
  const notes = (row: BenchRow) => Object.entries(row.notes ?? {}).map(([key, value]) => `${key}=${typeof value === 'number' ? figure(value) : value}`).join(' ')
  const lines = rows.map((row) => [row.benchmark, row.task, row.clock, figure(row.opsPerSecond), figure(row.meanMs), figure(row.medianMs), figure(row.p99Ms), String(row.samples), notes(row)])
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)))
  // Names and notes left, figures right.
  const render = (cells: string[]) => cells.map((cell, column) => (column === 8 ? cell : column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd()
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join('\n')
}
