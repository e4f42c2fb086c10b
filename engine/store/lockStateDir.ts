import { randomUUID } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { hostname as osHostname } from 'node:os'
import { join, resolve } from 'node:path'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'
import { StateDirLockedError } from '../errors/config.ts'

/** The lock file's name inside a state directory. */
export const LOCK_FILE = 'shepherd-engine.lock'

/** What the lock file holds: who took it, where and when. */
export type StateDirLockHolder = {
  pid: number
  hostname: string
  /** When the lock was taken (ISO time). */
  since: string
  /** The holder's start time in clock ticks since boot (`/proc/<pid>/stat`), to tell a reused PID apart. */
  processStart?: string
  /** Unique per lock taken: a lock left by an earlier process with this very PID (a container's PID 1) is not ours. */
  token: string
}

// Tokens of the locks this process holds: a lock naming our PID is live only if it is one of them.
const heldTokens = new Set<string>()

function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces and parentheses); starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

export type ReadStateDirLockReturnType = { file: string; holder: StateDirLockHolder; live: boolean } | undefined

/**
 * Reads a state directory's lock and judges whether its holder still runs: a PID on this host that
 * no longer exists (or now belongs to a process started later) is stale; a lock from another host
 * cannot be checked and counts as live. Undefined when there is no lock file.
 *
 * @example
 * const lock = readStateDirLock('/var/lib/shepherd/state')
 * if (lock?.live) console.log(`engine pid ${lock.holder.pid} runs on it`)
 */
export function readStateDirLock(stateDir: string): ReadStateDirLockReturnType {
  const file = join(resolve(stateDir), LOCK_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  let holder: StateDirLockHolder
  try {
    holder = JSON.parse(text) as StateDirLockHolder
    if (typeof holder.pid !== 'number') throw new Error('no pid')
  } catch {
    // The file is written whole before it is linked into place, so unreadable content is not a
    // lock being taken: it is damage, and names no process that could still run.
    return { file, holder: { pid: 0, hostname: '?', since: '?', token: '' }, live: false }
  }
  return { file, holder, live: isLive(holder) }
}

function isLive(holder: StateDirLockHolder): boolean {
  if (holder.hostname !== osHostname()) return true
  if (holder.pid === process.pid) return heldTokens.has(holder.token)
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
  }
  const start = processStartOf(holder.pid)
  return holder.processStart === undefined || start === undefined || start === holder.processStart
}

export type LockStateDirParameters = {
  stateDir: string
  /** The config file that names the directory (`engine.state_dir`), for the error. */
  configFile: string
  /** Where taking over a stale lock is logged (as a warning). */
  log?: LogHost
}

export type LockStateDirReturnType = {
  file: string
  /** The stale lock this one replaced, if any. */
  tookOverFrom?: StateDirLockHolder
  /** Removes the lock file (if it is still ours). Safe to call twice. */
  release(): void
}

/**
 * Takes the engine's exclusive lock on its state directory: a file holding this process's PID,
 * host and start time, created atomically (written whole, then hard-linked into place, which fails
 * if the file exists). A stale lock (its process is gone) is taken over with a warning; a live one
 * throws StateDirLockedError. lmdb lets several processes write one environment, and two engines
 * on one store would each process and post every block.
 *
 * @example
 * const lock = lockStateDir({ stateDir: '/var/lib/shepherd/state', configFile: 'engine.toml' })
 * try { await runEngine() } finally { lock.release() }
 */
export function lockStateDir({ stateDir, configFile, log }: LockStateDirParameters): LockStateDirReturnType {
  const dir = resolve(stateDir)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, LOCK_FILE)
  const holder: StateDirLockHolder = { pid: process.pid, hostname: osHostname(), since: new Date().toISOString(), token: randomUUID() }
  const processStart = processStartOf(process.pid)
  if (processStart !== undefined) holder.processStart = processStart
  const draft = join(dir, `${LOCK_FILE}.${holder.token}`)
  writeFileSync(draft, `${JSON.stringify(holder)}\n`, { flag: 'wx' })
  let tookOverFrom: StateDirLockHolder | undefined
  try {
    // Bounded: each round either takes the lock, throws, or removed a stale lock someone else may race for.
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, file)
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error
      }
      const found = readStateDirLock(dir)
      if (!found) continue
      if (found.live) throw new StateDirLockedError({ file: configFile, lockFile: file, pid: found.holder.pid, hostname: found.holder.hostname, since: found.holder.since })
      // Moved aside, not deleted: if another starter replaced the stale lock meanwhile, the file
      // moved is theirs and goes back.
      const aside = `${draft}.stale`
      try {
        renameSync(file, aside)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw error
      }
      const moved = readFileSync(aside, 'utf8')
      if (!moved.includes(`"token":"${found.holder.token}"`) && found.holder.token !== '') {
        try {
          linkSync(aside, file)
        } catch {
          // Someone else holds it now; their lock stands.
        }
        rmSync(aside, { force: true })
        continue
      }
      rmSync(aside, { force: true })
      tookOverFrom = found.holder
      log?.warn('took over a stale state directory lock: the engine that held it no longer runs', { lockFile: file, stalePid: found.holder.pid, staleSince: found.holder.since })
    }
  } finally {
    rmSync(draft, { force: true })
  }
  heldTokens.add(holder.token)
  let released = false
  return {
    file,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    release() {
      if (released) return
      released = true
      heldTokens.delete(holder.token)
      try {
        if (readStateDirLock(dir)?.holder.token === holder.token) rmSync(file, { force: true })
      } catch (error) {
        log?.warn('could not remove the state directory lock', { lockFile: file, error: errorMessage(error) })
      }
    },
  }
}
