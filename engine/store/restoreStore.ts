import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { StateDirLockedError } from '../errors/config.ts'
import { StoreCheckError } from '../errors/store.ts'
import { readStateDirLock } from './lockStateDir.ts'
import { verifyStore, type VerifyChain, type VerifyStoreReturnType } from './verifyStore.ts'

export type RestoreStoreParameters = {
  /** A directory made by `backupStore` (its `data.mdb`). */
  from: string
  /** The config's state directory. */
  stateDir: string
  /** Replace a non-empty state directory (it is moved aside to `<stateDir>-replaced-<time>`, never deleted). */
  force?: boolean
  /** The configured chains, for the integrity check of the restored store (cursors against heads). */
  chains: readonly VerifyChain[]
  /** The config file naming `stateDir`, for the error when an engine holds its lock. */
  configFile?: string
}

export type RestoreStoreReturnType = { stateDir: string; verify: VerifyStoreReturnType; replacedTo?: string }

/**
 * Restores a backup into a state directory: refuses a non-empty one unless `force`, copies the
 * backup beside it, runs the integrity check on the copy (`verifyStore`, with the config's chains),
 * and only then renames it into place. A backup that fails the check leaves the state directory as
 * it was and throws a StoreCheckError naming each problem. Refuses (StateDirLockedError) while an
 * engine holds the directory's lock: stop the engine before restoring.
 *
 * @example
 * await restoreStore({ from: '/backups/shepherd-2026-12-07', stateDir: '/var/lib/shepherd/state', chains: [] })
 */
export async function restoreStore({ from, stateDir, force = false, chains, configFile }: RestoreStoreParameters): Promise<RestoreStoreReturnType> {
  const source = resolve(from)
  const target = resolve(stateDir)
  // Checked before anything else, also with --force: moving a running engine's directory aside
  // would leave it writing to the old store while the restored one looks current.
  const lock = readStateDirLock(target)
  if (lock?.live) throw new StateDirLockedError({ file: configFile ?? target, lockFile: lock.file, pid: lock.holder.pid, hostname: lock.holder.hostname, since: lock.holder.since, action: 'Nothing was restored' })
  const present = existsSync(target) ? readdirSync(target) : []
  if (present.length > 0 && !force)
    throw new StoreCheckError('The state directory is not empty', { dir: target, problems: [`${target} holds ${present.join(', ')}`], hint: 'Restore into a new or empty state_dir, or pass --force to move the current one aside (it is kept, renamed).' })
  if (!existsSync(join(source, 'data.mdb')))
    throw new StoreCheckError('No backup in this directory', { dir: source, problems: [`${join(source, 'data.mdb')} does not exist`], hint: 'Give a directory made by `shepherd store backup`.' })
  const staging = `${target}-restoring-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  try {
    copyFileSync(join(source, 'data.mdb'), join(staging, 'data.mdb'))
    // The check opens the copy, never the backup (which may sit on read-only media); a damaged
    // file is found by its header before lmdb maps it: an error here, never a crash.
    const verify = await verifyStore({ dir: staging, chains })
    if (!verify.ok) throw new StoreCheckError('The backup failed the integrity check; nothing was restored', { dir: source, problems: verify.problems, hint: `${target} is unchanged.` })
    let replacedTo: string | undefined
    mkdirSync(dirname(target), { recursive: true })
    if (present.length > 0) {
      replacedTo = `${target}-replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`
      renameSync(target, replacedTo)
    } else if (existsSync(target)) rmdirSync(target)
    renameSync(staging, target)
    return { stateDir: target, verify: { ...verify, dir: target }, ...(replacedTo ? { replacedTo } : {}) }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    throw error
  }
}
