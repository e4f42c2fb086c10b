import type { BenchOptions } from 'tinybench'

export type BenchOptionsParameters = {
  /** Time budget per task, ms (full run; quick takes a tenth). Default 1000. */
  timeMs?: number
  /** Minimum iterations per task (full run; quick takes a quarter, at least 2). Default 16. */
  iterations?: number
  /** Warm-up iterations (full run; quick takes one). Default 4. */
  warmupIterations?: number
}
export type BenchOptionsReturnType = BenchOptions

/**
 * tinybench options with budgets bounded for 2 shared cores: each task runs until both its time
 * budget and its minimum iterations are met, so a slow task (an engine start) asks for few
 * iterations and little time, a fast one gets a second. Errors stop the run (`throws`).
 *
 * @example
 * const bench = new Bench(benchOptions(quick, { iterations: 5, timeMs: 0 }))
 */
export function benchOptions(quick: boolean, { timeMs = 1000, iterations = 16, warmupIterations = 4 }: BenchOptionsParameters = {}): BenchOptionsReturnType {
  return {
    time: quick ? Math.round(timeMs / 10) : timeMs,
    iterations: quick ? Math.max(2, Math.ceil(iterations / 4)) : iterations,
    warmup: warmupIterations > 0,
    warmupIterations: quick ? Math.min(1, warmupIterations) : warmupIterations,
    warmupTime: 0,
    throws: true,
  }
}

export type StepOptionsReturnType = BenchOptions

/**
 * tinybench options for tasks that change what they measure (store writes, block passes): exactly
 * `iterations` samples at least, no time budget and no warm-up, so each call is one real step.
 * tinybench may still call a task more often: a task must hold its whole sequence (or be safe to
 * repeat), and a check judges the end state, not a count of calls.
 *
 * @example
 * const ingest = new Bench(stepOptions(1)).add('ingest 50,000 watches', ingestAll)
 */
export function stepOptions(iterations: number): StepOptionsReturnType {
  return { iterations, time: 0, warmup: false, throws: true }
}
