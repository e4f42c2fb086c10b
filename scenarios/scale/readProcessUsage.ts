import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs'
import { join } from 'node:path'

/** CPU time (user + system, every thread: workers included) and resident memory of one process. */
export type ProcessUsage = { cpuMs: number; rssBytes: number }

/** Clock ticks per second of /proc/<pid>/stat on Linux (USER_HZ, 100 on every mainstream kernel). */
const ticksPerSecond = 100

/**
 * Reads a process's CPU time (utime + stime of /proc/<pid>/stat, which cover all its threads, so a
 * module's worker threads count) and its RSS (VmRSS of /proc/<pid>/status). Linux only; undefined
 * when the process is gone or /proc is not readable.
 *
 * @example
 * const before = readProcessUsage(engine.pid!)
 */
export function readProcessUsage(pid: number): ProcessUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    if (!Number.isFinite(ticks) || !rss) return undefined
    return { cpuMs: (ticks * 1000) / ticksPerSecond, rssBytes: Number(rss[1]) * 1024 }
  } catch {
    return undefined
  }
}

/**
 * Bytes of the files under `dir` (the engine's lmdb `state_dir`): what the store takes on disk, as
 * `du` counts it (blocks allocated: lmdb files can be sparse). 0 for a missing folder.
 *
 * @example
 * const bytes = directoryBytes(join(runDir, 'state'))
 */
export function directoryBytes(dir: string): number {
  let total = 0
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += directoryBytes(path)
    else if (entry.isFile()) total += statSync(path).blocks * 512
  }
  return total
}
