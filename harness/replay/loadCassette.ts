import type { BlockRef, RawLog } from '../../modules/sdk/module/types.ts'
import { cowKey, readCassette, readKey, type CassetteCow, type CassetteHeader, type CassetteOutcome, type CassetteRead } from './cassette.ts'

/** A cassette indexed for a replay: blocks in order, logs per block, answers per key (in the order they were given). */
export type LoadedCassette = {
  file: string
  header: CassetteHeader
  blocks: BlockRef[]
  logsByBlock: Map<bigint, RawLog[]>
  reads: Map<string, CassetteRead[]>
  cows: Map<string, CassetteCow[]>
  outcomes: Array<Omit<CassetteOutcome, 't'>>
  /** The last block every module finished while recording. */
  lastCheckpoint: bigint | undefined
}

/**
 * Streams a cassette once and indexes it. Blocks must be contiguous: a gap is an error naming it.
 *
 * @example
 * const cassette = await loadCassette('fixtures/devnet-sepolia.ndjson.gz')
 */
export async function loadCassette(file: string): Promise<LoadedCassette> {
  let header: CassetteHeader | undefined
  const blocks = new Map<bigint, BlockRef>()
  const logsByBlock = new Map<bigint, RawLog[]>()
  const reads = new Map<string, CassetteRead[]>()
  const cows = new Map<string, CassetteCow[]>()
  const outcomes: LoadedCassette['outcomes'] = []
  let lastCheckpoint: bigint | undefined
  for await (const entry of readCassette(file)) {
    switch (entry.t) {
      case 'header':
        header = entry
        break
      case 'block':
        blocks.set(entry.number, { chainId: header!.chainId, number: entry.number, hash: entry.hash, parentHash: entry.parentHash, timestamp: entry.timestamp })
        break
      case 'log': {
        const { t: _t, ...log } = entry
        const list = logsByBlock.get(entry.blockNumber) ?? []
        list.push({ ...log, removed: false })
        logsByBlock.set(entry.blockNumber, list)
        break
      }
      case 'read': {
        const key = readKey(entry.method, entry.params, entry.block)
        reads.set(key, [...(reads.get(key) ?? []), entry])
        break
      }
      case 'cow': {
        const key = cowKey(entry.op, entry.args)
        cows.set(key, [...(cows.get(key) ?? []), entry])
        break
      }
      case 'outcome': {
        const { t: _t, ...outcome } = entry
        outcomes.push(outcome)
        break
      }
      case 'checkpoint':
        lastCheckpoint = entry.number
        break
    }
  }
  const sorted = [...blocks.values()].sort((a, b) => (a.number < b.number ? -1 : 1))
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.number !== sorted[i - 1]!.number + 1n) throw new Error(`Cassette ${file} has a gap after block ${sorted[i - 1]!.number}`)
  for (const list of logsByBlock.values()) list.sort((a, b) => a.logIndex - b.logIndex)
  return { file, header: header!, blocks: sorted, logsByBlock, reads, cows, outcomes, lastCheckpoint }
}
