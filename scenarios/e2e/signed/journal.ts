import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, isHash, isHex, type Address, type Hex } from 'viem'
import { JournalError } from './E2eSignedError.ts'

/**
 * One action's transaction: signed (`hash`, `raw`), then handed to the node (`sent`), then mined
 * (`block`). The raw bytes are kept so a crash between persisting and sending can hand the node the
 * very same transaction (same hash, same nonce: it cannot happen twice), never a new one.
 */
export type JournalEntry = { hash: Hex; raw: Hex; sent: boolean; block?: string }

/** The journal of a signed e2e run: which chain and key it is for, and each action's transaction. */
export type Journal = { version: 1; chainId: number; account: Address; actions: Record<string, JournalEntry> }

/** The journal's file in a state folder. */
export const journalFileName = 'journal.json'

export type ReadJournalParameters = { stateDir: string; chainId: number; account: Address }
export type ReadJournalReturnType = { file: string; journal: Journal }

/**
 * Reads the state folder's journal (or starts an empty one), and refuses one written for another
 * chain or key: resuming it here would send actions twice or wait for transactions that are not there.
 *
 * @example
 * const { file, journal } = readJournal({ stateDir: 'state', chainId: 11155111, account })
 * journal.actions['twap-create']?.hash
 */
export function readJournal({ stateDir, chainId, account }: ReadJournalParameters): ReadJournalReturnType {
  const file = join(stateDir, journalFileName)
  if (!existsSync(file)) return { file, journal: { version: 1, chainId, account: getAddress(account), actions: {} } }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new JournalError('Journal is not readable JSON', { file, cause })
  }
  const journal = parseJournal(parsed, file)
  if (journal.chainId !== chainId)
    throw new JournalError('Journal was written for another chain', { file, details: [`journal chain id: ${journal.chainId}`, `rpc chain id: ${chainId}`] })
  if (journal.account !== getAddress(account))
    throw new JournalError('Journal was written for another key', { file, details: [`journal account: ${journal.account}`, `key's account: ${getAddress(account)}`] })
  return { file, journal }
}

/** Checks a parsed journal field by field (it is input: a person may have edited it). */
function parseJournal(value: unknown, file: string): Journal {
  const bad = (found: string) => new JournalError('Journal has an unexpected shape', { file, details: [`expected: { version: 1, chainId, account, actions: { <name>: { hash, raw, sent, block? } } }`, `found: ${found}`] })
  if (typeof value !== 'object' || value === null) throw bad(typeof value)
  const { version, chainId, account, actions } = value as Record<string, unknown>
  if (version !== 1) throw bad(`version ${JSON.stringify(version)}`)
  if (typeof chainId !== 'number' || !Number.isInteger(chainId)) throw bad(`chainId ${JSON.stringify(chainId)}`)
  if (typeof account !== 'string' || !isHex(account) || account.length !== 42) throw bad(`account ${JSON.stringify(account)}`)
  if (typeof actions !== 'object' || actions === null) throw bad(`actions ${JSON.stringify(actions)}`)
  const out: Record<string, JournalEntry> = {}
  for (const [name, entry] of Object.entries(actions)) {
    const { hash, raw, sent, block } = (entry ?? {}) as Record<string, unknown>
    if (typeof hash !== 'string' || !isHash(hash)) throw bad(`actions.${name}.hash ${JSON.stringify(hash)}`)
    if (typeof raw !== 'string' || !isHex(raw)) throw bad(`actions.${name}.raw ${JSON.stringify(raw)?.slice(0, 40)}`)
    if (typeof sent !== 'boolean') throw bad(`actions.${name}.sent ${JSON.stringify(sent)}`)
    if (block !== undefined && (typeof block !== 'string' || !/^\d+$/.test(block))) throw bad(`actions.${name}.block ${JSON.stringify(block)}`)
    out[name] = { hash, raw, sent, ...(block === undefined ? {} : { block }) }
  }
  return { version: 1, chainId, account: getAddress(account), actions: out }
}

/**
 * Writes the journal atomically: a temporary file beside it, then a rename. A crash mid-write leaves
 * the previous journal whole (rename replaces a file in one step on the same file system).
 *
 * @example
 * writeJournal(file, { ...journal, actions: { ...journal.actions, 'twap-create': { hash, raw, sent: false } } })
 */
export function writeJournal(file: string, journal: Journal): void {
  writeJsonAtomic(file, journal)
}

/**
 * Writes any JSON value atomically (temporary file + rename), creating the folder.
 *
 * @example
 * writeJsonAtomic('state/start-snapshot.json', snapshot)
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(temp, file)
}
