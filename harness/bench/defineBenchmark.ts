/** One line of the results: one tinybench task, its figures per op (an iteration may hold many ops). */
export type BenchRow = {
  /** The benchmark's name (what `npm run bench -- <name>` selects). */
  benchmark: string
  task: string
  /** What the figures time: wall time, or CPU time of this process (user + system, all threads) or of a named child. */
  clock: 'wall' | 'cpu'
  /** What one op is: `hash`, `post`, `poll`, `start`, ... */
  unit: string
  /** Ops per tinybench iteration: the figures below are per op. */
  opsPerIteration: number
  opsPerSecond: number
  /** Mean per op, ms. */
  meanMs: number
  /** Median of the iterations, per op, ms (steadier than the mean on shared cores). */
  medianMs: number
  /** 99th percentile of the iterations, per op, ms. */
  p99Ms: number
  /** Iterations tinybench sampled. */
  samples: number
  /** Anything else the benchmark counted (eth_calls per post, refused posts, ...). */
  notes?: Readonly<Record<string, number | string>>
}

/** What the runner hands every benchmark. */
export type BenchContext = {
  /** Short budgets (a smoke run of every benchmark in well under a minute). */
  quick: boolean
  /** Progress lines for the console (not results). */
  log: (line: string) => void
}

/** What a benchmark returns: its rows, and a headline (a figure that is not one task's, such as a ratio). */
export type BenchOutcome = {
  rows: BenchRow[]
  headline?: Readonly<Record<string, number | string | boolean>>
}

export type Benchmark = {
  name: string
  /** One sentence: what it measures. */
  summary: string
  run(context: BenchContext): Promise<BenchOutcome>
}

export type DefineBenchmarkParameters = Benchmark
export type DefineBenchmarkReturnType = Benchmark

/**
 * Declares a benchmark for `npm run bench` (harness/bench/runBench.ts): its setup and tinybench
 * tasks live in `run`, which returns rows made with `rowsOf`. A typed identity function.
 *
 * @example
 * import { Bench } from 'tinybench'
 * export default defineBenchmark({
 *   name: 'uid',
 *   summary: 'UID hashing per order',
 *   async run({ quick }) {
 *     const bench = new Bench(benchOptions(quick)).add('fastOrderUid', () => hash())
 *     await bench.run()
 *     return { rows: rowsOf(bench, { benchmark: 'uid', unit: 'hash' }) }
 *   },
 * })
 */
export function defineBenchmark(benchmark: DefineBenchmarkParameters): DefineBenchmarkReturnType {
  return benchmark
}
