import type { Bench } from 'tinybench'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { BenchRow } from './defineBenchmark.ts'

export type RowsOfParameters = {
  benchmark: string
  /** What one op is (`hash`, `post`, `poll`). */
  unit: string
  /** Default 'wall'; 'cpu' when the tasks return CPU time (cpuTimed). */
  clock?: BenchRow['clock']
  /** Ops per iteration, per task name or for all. Default 1. */
  opsPerIteration?: number | Readonly<Record<string, number>>
  /** Extra figures per task name. */
  notes?: Readonly<Record<string, Readonly<Record<string, number | string>>>>
}
export type RowsOfReturnType = BenchRow[]

/**
 * The rows of a finished tinybench `Bench`, per op. A task that did not complete is an error naming it.
 *
 * @example
 * await bench.run()
 * const rows = rowsOf(bench, { benchmark: 'uid', unit: 'hash' })
 */
export function rowsOf(bench: Bench, { benchmark, unit, clock = 'wall', opsPerIteration = 1, notes = {} }: RowsOfParameters): RowsOfReturnType {
  return bench.tasks.map((task) => {
    const result = task.result
    if (result.state !== 'completed')
      throw new ShepherdError(`Benchmark "${benchmark}", task "${task.name}" did not complete`, {
        details: [`state: ${result.state}`, ...(result.state === 'errored' ? [`error: ${errorMessage(result.error)}`] : [])],
      })
    const ops = typeof opsPerIteration === 'number' ? opsPerIteration : (opsPerIteration[task.name] ?? 1)
    const meanMs = result.latency.mean / ops
    const taskNotes = notes[task.name]
    return {
      benchmark,
      task: task.name,
      clock,
      unit,
      opsPerIteration: ops,
      opsPerSecond: meanMs > 0 ? 1000 / meanMs : 0,
      meanMs,
      medianMs: result.latency.p50 / ops,
      p99Ms: result.latency.p99 / ops,
      samples: result.latency.samplesCount,
      ...(taskNotes ? { notes: taskNotes } : {}),
    }
  })
}
