import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { StoreCheckError } from '../errors/store.ts'
import { packageVersion } from '../packageInfo.ts'
import { decodeValue } from './json.ts'
import { openStoreReadOnly } from './openStoreReadOnly.ts'
import { verifyStore, type VerifyStoreReturnType } from './verifyStore.ts'

/** `backup.json` beside the copied `data.mdb`: what the backup holds, for people and for restore. */
export type BackupManifest = {
  format: 'shepherd-store-backup/1'
  createdAt: string
  source: string
  shepherdVersion: string
  bytes: number
  cursors: Array<{ chainId: number; block: string }>
  databases: Array<{ name: string; entries: number }>
}

export type BackupStoreParameters = { stateDir: string; to: string }
export type BackupStoreReturnType = { dir: string; manifest: BackupManifest; tookMs: number }

const isEmptyDir = (dir: string) => readdirSync(dir).length === 0

/**
 * A consistent hot backup of a state directory into `to` (absent or empty): lmdb copies the
 * environment inside one read transaction (a compacting `mdb_env_copy`), so the copy is the store
 * as of one committed transaction even while an engine writes to it, and the engine is never
 * blocked. The copy is written beside `to` first, read back end to end, then renamed into place: a
 * backup directory that exists is whole. Writes `backup.json` (cursors, entries per database).
 *
 * @example
 * const { manifest } = await backupStore({ stateDir: '/var/lib/shepherd/state', to: '/backups/shepherd-2026-12-07' })
 */
export async function backupStore({ stateDir, to }: BackupStoreParameters): Promise<BackupStoreReturnType> {
  const started = Date.now()
  const target = resolve(to)
  if (existsSync(target) && !isEmptyDir(target)) throw new StoreCheckError('The backup directory is not empty', { dir: target, problems: [`${target} holds ${readdirSync(target).length} file(s)`], hint: 'Give a new or empty directory; a backup never overwrites another.' })
  const partial = `${target}-partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  try {
    const source = openStoreReadOnly(stateDir)
    try {
      await source.root.backup(partial, true)
    } finally {
      await source.close()
    }
    const check: VerifyStoreReturnType = await verifyStore({ dir: partial, chains: [] })
    if (!check.ok) throw new StoreCheckError('The backup copy does not read back whole', { dir: partial, problems: check.problems })
    // Reading it back made lmdb create a lock file: a backup is the data file and its manifest only.
    rmSync(join(partial, 'lock.mdb'), { force: true })
    const copy = openStoreReadOnly(partial)
    const bytes = copy.file.bytes
    const cursors: BackupManifest['cursors'] = []
    if (copy.databases.includes('engine'))
      for (const { key, value } of copy.database('engine').getRange({ start: 'cursor:' })) {
        if (typeof key !== 'string' || !key.startsWith('cursor:')) break
        cursors.push({ chainId: Number(key.slice('cursor:'.length)), block: String(decodeValue<{ number: bigint }>(value).number) })
      }
    await copy.close()
    rmSync(join(partial, 'lock.mdb'), { force: true })
    const manifest: BackupManifest = {
      format: 'shepherd-store-backup/1',
      createdAt: new Date().toISOString(),
      source: resolve(stateDir),
      shepherdVersion: packageVersion,
      bytes,
      cursors,
      databases: check.databases,
    }
    writeFileSync(join(partial, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    mkdirSync(dirname(target), { recursive: true })
    if (existsSync(target)) rmdirSync(target)
    renameSync(partial, target)
    return { dir: target, manifest, tookMs: Date.now() - started }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    throw error
  }
}
