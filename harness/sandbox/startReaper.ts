import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** What the reaper ends when the runner disappears. */
export type ReaperManifest = { groups: number[]; pids: number[]; dirs: string[]; commands: string[] }

export type Reaper = {
  /** The reaper's own PID. */
  pid: number
  manifestFile: string
  /** Adds what to end (a process group, a single process, a folder, a teardown command). */
  track(item: { group?: number; pid?: number; dir?: string; command?: string }): void
  /** Forgets something the runner ended itself. */
  untrack(item: { group?: number; pid?: number; dir?: string }): void
  /** The runner is done (normally): the reaper exits without ending anything. */
  release(): void
}

export type StartReaperParameters = {
  /** The PID to watch. Default: this process. */
  watch?: number
}

const script = fileURLToPath(new URL('./reaper.mjs', import.meta.url))

/**
 * Starts the reaper: a detached watchdog process that ends the tracked process groups, processes
 * and folders as soon as the watched PID (this process by default) disappears, even by SIGKILL.
 * Call `release()` after a normal teardown.
 *
 * @example
 * const reaper = startReaper()
 * reaper.track({ pid: devnet.pid })
 * // ... on a normal exit:
 * reaper.release()
 */
export function startReaper({ watch = process.pid }: StartReaperParameters = {}): Reaper {
  const manifestFile = join(tmpdir(), `shepherd-reaper-${watch}-${randomUUID().slice(0, 8)}.json`)
  const manifest: ReaperManifest = { groups: [], pids: [], dirs: [], commands: [] }
  const save = () => writeFileSync(manifestFile, JSON.stringify(manifest))
  save()
  // Its own session: a signal to the runner's process group (Ctrl-C) does not reach it.
  const child = spawn(process.execPath, [script, String(watch), manifestFile], { detached: true, stdio: 'ignore' })
  child.unref()
  let released = false
  return {
    pid: child.pid!,
    manifestFile,
    track({ group, pid, dir, command }) {
      if (group !== undefined) manifest.groups.push(group)
      if (pid !== undefined) manifest.pids.push(pid)
      if (dir !== undefined) manifest.dirs.push(dir)
      if (command !== undefined) manifest.commands.push(command)
      if (!released) save()
    },
    untrack({ group, pid, dir }) {
      manifest.groups = manifest.groups.filter((g) => g !== group)
      manifest.pids = manifest.pids.filter((p) => p !== pid)
      manifest.dirs = manifest.dirs.filter((d) => d !== dir)
      if (!released) save()
    },
    release() {
      if (released) return
      released = true
      // No manifest: the reaper's next poll (≤ 200 ms) sees it gone and exits.
      rmSync(manifestFile, { force: true })
    },
  }
}
