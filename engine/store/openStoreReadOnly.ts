import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { open, type Database, type RootDatabase } from 'lmdb'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { StoreCheckError } from '../errors/store.ts'
import { checkLmdbFile, type LmdbFileFacts } from './checkLmdbFile.ts'

export type ReadOnlyStore = {
  root: RootDatabase<string, string>
  /** The header facts of the data file, checked before lmdb mapped it. */
  file: LmdbFileFacts
  /** The named databases in the store, `engine` first, then `module:<name>` in name order. */
  databases: string[]
  /** One named database (strings in, strings out: values are the store's JSON text). */
  database(name: string): Database<string, string>
  close(): Promise<void>
}

/**
 * Opens a state directory (or a backup) for reading only, beside a live engine if one runs on it
 * (lmdb readers never block its writer). The data file's header is checked first, so a file that is
 * not lmdb's or was cut short is a StoreCheckError, not a crash of the process.
 *
 * @example
 * const store = openStoreReadOnly('/var/lib/shepherd/state')
 * try { console.log(store.databases) } finally { await store.close() }
 */
export function openStoreReadOnly(dir: string): ReadOnlyStore {
  const dataFile = join(dir, 'data.mdb')
  if (!existsSync(dataFile)) throw new StoreCheckError('No store in this directory', { dir, problems: [`${dataFile} does not exist`], hint: 'Check the path (a state directory or a backup made by `shepherd store backup`).' })
  const header = checkLmdbFile(dataFile)
  if (!header.ok) throw new StoreCheckError('The store file is damaged', { dir, problems: [header.problem], hint: 'Restore from another backup; this file cannot be opened safely.' })
  let root: RootDatabase<string, string>
  try {
    // noSubdir: false: lmdb-js takes a path with a dot in its last part for a file, not a directory.
    root = open<string, string>({ path: dir, maxDbs: 256, encoding: 'string', readOnly: true, noSubdir: false })
  } catch (cause) {
    throw new StoreCheckError('lmdb cannot open the store', { dir, problems: [`${dataFile}: ${errorMessage(cause)}`], cause })
  }
  const opened = new Map<string, Database<string, string>>()
  let databases: string[]
  try {
    // The root database of an environment holds only the names of its named databases.
    const names = [...root.getKeys()].filter((k): k is string => typeof k === 'string')
    databases = [...names.filter((n) => n === 'engine'), ...names.filter((n) => n !== 'engine').sort()]
  } catch (cause) {
    void root.close()
    throw new StoreCheckError('The list of databases in the store cannot be read', { dir, problems: [`${dataFile}: ${errorMessage(cause)}`], cause })
  }
  return {
    root,
    file: header.facts,
    databases,
    database(name) {
      let db = opened.get(name)
      if (!db) {
        db = root.openDB<string, string>({ name, encoding: 'string' })
        opened.set(name, db)
      }
      return db
    },
    close: () => root.close(),
  }
}
