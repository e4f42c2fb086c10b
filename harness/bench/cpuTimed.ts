export type CpuTimedParameters = () => unknown
export type CpuTimedReturnType = () => Promise<{ overriddenDuration: number; overriddenIterationCost: number }>

/**
 * Wraps a tinybench task so its sample is the CPU this process used (user + system, every thread:
 * lmdb's writer and libuv's pool included) instead of wall time: on 2 shared cores, a busy
 * neighbour stretches wall time far more than CPU time. The time budget still counts wall time.
 *
 * @example
 * bench.add('decode', cpuTimed(() => decodeAll(inputs)))
 */
export function cpuTimed(fn: CpuTimedParameters): CpuTimedReturnType {
  return async () => {
    const wall = performance.now()
    const start = process.cpuUsage()
    await fn()
    const used = process.cpuUsage(start)
    return { overriddenDuration: (used.user + used.system) / 1000, overriddenIterationCost: performance.now() - wall }
  }
}
