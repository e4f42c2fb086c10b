import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { decodeValue } from './json.ts'
import { lmdbEntryCount } from './lmdbEntryCount.ts'
import { openStoreReadOnly } from './openStoreReadOnly.ts'

/** One configured chain, as the cursor check needs it. */
export type VerifyChain = {
  chainId: number
  /** The chain's head now; an Error when it could not be read; undefined to skip the head checks (offline). */
  head: bigint | Error | undefined
  /** `[chains.<id>] max_lookback_blocks`. */
  maxLookbackBlocks: number
  /** What the engine does with a cursor older than the lookback: "halt" makes it a problem, "skip" a warning. */
  onGap: 'halt' | 'skip'
  /** Where the head was read (named in messages). */
  rpcUrl?: string
}

export type VerifyStoreParameters = { dir: string; chains: readonly VerifyChain[] }

export type VerifyStoreReturnType = {
  dir: string
  ok: boolean
  /** Each makes the check fail (exit 1), naming the database, key or chain. */
  problems: string[]
  /** Worth knowing, not wrong (a cursor of a chain no longer configured, a gap the engine will skip). */
  warnings: string[]
  databases: Array<{ name: string; entries: number }>
  cursors: Array<{ chainId: number; block: bigint }>
}

const HASH = /^0x[0-9a-fA-F]{64}$/

/**
 * The store's integrity check (`shepherd store verify`): the data file is whole, every database
 * reads end to end (every value decodes, and as many entries are read as lmdb counts), and every
 * configured chain's cursor is readable, not ahead of the chain's head and within its lookback.
 * Never throws for what it finds: it lists problems (and throws only when the store cannot be
 * opened at all: a StoreCheckError).
 *
 * @example
 * const result = await verifyStore({ dir: '.state', chains: [{ chainId: 11155111, head: 7_000_000n, maxLookbackBlocks: 10_000, onGap: 'halt' }] })
 * if (!result.ok) console.error(result.problems.join('\n'))
 */
export async function verifyStore({ dir, chains }: VerifyStoreParameters): Promise<VerifyStoreReturnType> {
  const problems: string[] = []
  const warnings: string[] = []
  const databases: VerifyStoreReturnType['databases'] = []
  const cursors: VerifyStoreReturnType['cursors'] = []
  const store = openStoreReadOnly(dir)
  try {
    for (const name of store.databases) {
      let read = 0
      let lastKey: string | undefined
      try {
        const db = store.database(name)
        for (const { key, value } of db.getRange({})) {
          if (typeof key !== 'string') throw new Error(`a key that is not a string (${typeof key})`)
          lastKey = key
          try {
            decodeValue(value)
          } catch (error) {
            problems.push(`${name} ${key}: the value is not the store's JSON (${errorMessage(error)})`)
          }
          read++
        }
        const counted = lmdbEntryCount(db)
        if (counted !== read) problems.push(`${name}: read ${read} entries end to end, lmdb counts ${counted}`)
        databases.push({ name, entries: read })
      } catch (error) {
        problems.push(`${name}: unreadable after ${read} entries${lastKey === undefined ? '' : ` (last good key ${lastKey})`}: ${errorMessage(error)}`)
      }
    }
    const engine = store.databases.includes('engine') ? store.database('engine') : undefined
    const stored = new Set<number>()
    if (engine)
      for (const key of engine.getKeys({ start: 'cursor:' })) {
        if (typeof key !== 'string' || !key.startsWith('cursor:')) break
        stored.add(Number(key.slice('cursor:'.length)))
      }
    for (const chain of chains) {
      stored.delete(chain.chainId)
      const key = `cursor:${chain.chainId}`
      const text = engine?.get(key)
      if (text === undefined) continue // never followed: the engine starts at start_block
      let cursor: { number?: unknown; hash?: unknown }
      try {
        cursor = decodeValue(text)
      } catch (error) {
        problems.push(`chain ${chain.chainId}: cursor (engine ${key}) is unreadable: ${errorMessage(error)}`)
        continue
      }
      if (typeof cursor?.number !== 'bigint' || cursor.number < 0n || typeof cursor.hash !== 'string' || !HASH.test(cursor.hash)) {
        problems.push(`chain ${chain.chainId}: cursor (engine ${key}) is malformed: expected { number: block, hash: 0x + 64 hex }, found ${text.slice(0, 120)}`)
        continue
      }
      const block = cursor.number
      cursors.push({ chainId: chain.chainId, block })
      const where = chain.rpcUrl ? ` (${chain.rpcUrl})` : ''
      if (chain.head === undefined) continue
      if (chain.head instanceof Error) {
        problems.push(`chain ${chain.chainId}: the head could not be read${where} to check the cursor at block ${block}: ${errorMessage(chain.head)} (use --offline to check the store alone)`)
        continue
      }
      if (block > chain.head)
        problems.push(`chain ${chain.chainId}: the cursor (block ${block}) is ahead of the chain head (block ${chain.head})${where}: this state belongs to another chain or to a chain that was reset`)
      else if (chain.head - block > BigInt(chain.maxLookbackBlocks)) {
        const gap = `chain ${chain.chainId}: the cursor (block ${block}) is ${chain.head - block} blocks behind the head (block ${chain.head}), beyond max_lookback_blocks = ${chain.maxLookbackBlocks}`
        if (chain.onGap === 'halt') problems.push(`${gap}: the engine will stop this chain (on_gap = "halt")`)
        else warnings.push(`${gap}: the engine will skip to the lookback (on_gap = "skip")`)
      }
    }
    for (const chainId of stored) warnings.push(`chain ${chainId}: a cursor is stored but the chain is not in the config`)
  } finally {
    await store.close()
  }
  return { dir, ok: problems.length === 0, problems, warnings, databases, cursors }
}
