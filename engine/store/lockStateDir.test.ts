import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { ConfigError, StateDirLockedError } from '../errors/config.ts'
import { LOCK_FILE, lockStateDir, readStateDirLock, type StateDirLockHolder } from './lockStateDir.ts'

const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-lock-'))
  dirs.push(dir)
  return dir
}
const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = []
const log = { debug() {}, info() {}, error() {}, warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, fields }) }
const writeLock = (dir: string, holder: Partial<StateDirLockHolder>) =>
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ hostname: hostname(), since: '2026-12-07T20:00:00.000Z', token: 'old-token', ...holder }))
/** A PID that belonged to a process which has exited and been reaped. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!
const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
}

describe('lockStateDir', () => {
  test('behavior: a second lock on a directory whose lock is held is refused with a ConfigError naming the file, key, expectation and holder', () => {
    const dir = tempDir()
    const first = lockStateDir({ stateDir: dir, configFile: '/etc/shepherd/engine.toml' })
    let error: unknown
    try {
      lockStateDir({ stateDir: dir, configFile: '/etc/shepherd/engine.toml' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StateDirLockedError)
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toContain('another engine is using its state directory')
    expect(message).toContain('file: /etc/shepherd/engine.toml')
    expect(message).toContain('key: engine.state_dir')
    expect(message).toContain('expected: a state directory no other engine is using')
    expect(message).toMatch(new RegExp(`found: locked by pid ${process.pid} on .+ since \\d{4}-\\d\\d-\\d\\dT`))
    expect((error as StateDirLockedError).pid).toBe(process.pid)
    // The refused attempt left the holder's lock as it was, and no draft file behind.
    expect(readStateDirLock(dir)?.live).toBe(true)
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    first.release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    // Released: the directory can be locked again (a restart in the same process).
    lockStateDir({ stateDir: dir, configFile: 'engine.toml' }).release()
  })

  test('behavior: a lock left by a process that no longer runs is taken over, with a warning', () => {
    const dir = tempDir()
    const pid = deadPid()
    writeLock(dir, { pid })
    expect(readStateDirLock(dir)).toMatchObject({ live: false, holder: { pid } })
    warnings.length = 0
    const lock = lockStateDir({ stateDir: dir, configFile: 'engine.toml', log })
    expect(lock.tookOverFrom?.pid).toBe(pid)
    expect(warnings).toEqual([{ message: expect.stringContaining('took over a stale state directory lock'), fields: expect.objectContaining({ stalePid: pid }) }])
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as StateDirLockHolder
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    lock.release()
  })

  test('behavior: a lock naming a live process on this host is refused; the same PID started later (reused) is stale', async () => {
    const dir = tempDir()
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
    children.push(child)
    await new Promise((resolve) => child.once('spawn', resolve))
    const pid = child.pid!
    writeLock(dir, { pid, processStart: startOf(pid) })
    expect(() => lockStateDir({ stateDir: dir, configFile: 'engine.toml' })).toThrow(`locked by pid ${pid}`)
    writeLock(dir, { pid, processStart: String(Number(startOf(pid)) - 1) })
    const lock = lockStateDir({ stateDir: dir, configFile: 'engine.toml' })
    expect(lock.tookOverFrom?.pid).toBe(pid)
    lock.release()
  })

  test('behavior: a lock left with this very PID by an earlier process (a container restarted as PID 1) is stale; one from another host is live', () => {
    const dir = tempDir()
    writeLock(dir, { pid: process.pid, token: 'an-earlier-life' })
    const lock = lockStateDir({ stateDir: dir, configFile: 'engine.toml' })
    expect(lock.tookOverFrom?.token).toBe('an-earlier-life')
    lock.release()
    writeLock(dir, { pid: deadPid(), hostname: `${hostname()}-elsewhere` })
    expect(() => lockStateDir({ stateDir: dir, configFile: 'engine.toml' })).toThrow(`on ${hostname()}-elsewhere since`)
  })

  test('behavior: release leaves a lock that is no longer its own (taken over meanwhile) in place', () => {
    const dir = tempDir()
    const lock = lockStateDir({ stateDir: dir, configFile: 'engine.toml' })
    writeLock(dir, { pid: process.pid, token: 'someone-else' })
    lock.release()
    expect(readStateDirLock(dir)?.holder.token).toBe('someone-else')
  })
})
