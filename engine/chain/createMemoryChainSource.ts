import { keccak256, numberToHex, pad, toHex, type Address, type Hex } from 'viem'
import { logsBloomOf } from './bloomMayMatch.ts'
import type { ChainBlock, ChainSource, LogFilter } from './types.ts'
import type { RawLog } from '../../modules/sdk/module/types.ts'

/** What a test mines: the parts of a `RawLog` it chooses; the chain fills in where the log landed. */
export type MemoryLog = Pick<RawLog, 'address' | 'topics' | 'data'>

/**
 * A scripted chain in memory, for tests of ingestion and dispatch: mine blocks with logs, reorg
 * to a new branch, make the head lag. Hashes are derived from (branch, number), so a reorg
 * changes every hash from its depth on.
 */
export function createMemoryChainSource({ chainId = 11155111, genesisTime = 1_700_000_000n }: { chainId?: number; genesisTime?: bigint } = {}) {
  const blocks: ChainBlock[] = []
  const logs = new Map<bigint, RawLog[]>()
  let branch = 0
  let reportedHead: bigint | undefined
  const listeners = new Set<(n: bigint) => void>()
  const calls = { getBlockNumber: 0, getBlocks: 0, getLogs: 0, getBlock: 0, getBlockLogs: 0 }
  let failNext: { method: keyof typeof calls; error: Error } | undefined

  const hashOf = (number: bigint) => keccak256(toHex(`${branch}:${number}`))
  function push(entries: readonly MemoryLog[]) {
    const number = BigInt(blocks.length)
    const parentHash = number === 0n ? (pad('0x0') as Hex) : blocks[blocks.length - 1]!.hash
    const block: ChainBlock = { chainId, number, hash: hashOf(number), parentHash, timestamp: genesisTime + number, logsBloom: logsBloomOf(entries) }
    blocks.push(block)
    logs.set(
      number,
      entries.map((entry, logIndex) => ({
        ...entry,
        address: entry.address.toLowerCase() as Address,
        blockNumber: number,
        blockHash: block.hash,
        transactionHash: keccak256(toHex(`${block.hash}:${logIndex}`)),
        transactionIndex: logIndex,
        logIndex,
        removed: false,
      })),
    )
    return block
  }
  push([])

  const maybeFail = (method: keyof typeof calls) => {
    calls[method]++
    if (failNext?.method === method) {
      const { error } = failNext
      failNext = undefined
      throw error
    }
  }
  const head = () => BigInt(blocks.length - 1)
  const matching = (n: bigint, filter: Pick<LogFilter, 'address' | 'topic0'>) => {
    const addresses = filter.address?.length ? filter.address.map((a) => a.toLowerCase()) : undefined
    return (logs.get(n) ?? []).filter((log) => (!addresses || addresses.includes(log.address)) && (!filter.topic0.length || filter.topic0.includes(log.topics[0] as Hex)))
  }

  const source: ChainSource = {
    chainId,
    kind: 'ws',
    async getBlockNumber() {
      maybeFail('getBlockNumber')
      return reportedHead ?? head()
    },
    async getBlock(number) {
      maybeFail('getBlock')
      const block = blocks[Number(number)]
      if (!block) throw new Error(`block ${number} not found`)
      return block
    },
    async getBlocks(from, to) {
      maybeFail('getBlocks')
      const out: ChainBlock[] = []
      for (let n = from; n <= to; n++) {
        const block = blocks[Number(n)]
        if (!block) throw new Error(`block ${n} not found`)
        out.push(block)
      }
      return out
    },
    async getLogs(filter: LogFilter) {
      maybeFail('getLogs')
      const out: RawLog[] = []
      for (let n = filter.fromBlock; n <= filter.toBlock; n++) out.push(...matching(n, filter))
      return out
    },
    async getBlockLogs(blockHash, filter) {
      maybeFail('getBlockLogs')
      const block = blocks.find((b) => b.hash === blockHash)
      return block ? matching(block.number, filter) : []
    },
    watchHeads(onHead) {
      listeners.add(onHead)
      return () => listeners.delete(onHead)
    },
    async close() {
      listeners.clear()
    },
  }

  return {
    source,
    calls,
    blocks: () => blocks as readonly ChainBlock[],
    /** Every log of block `n`, as mined. */
    logsOf: (n: bigint) => logs.get(n) ?? [],
    head,
    /** Mines one block per entry of `perBlock` (each a list of logs), and pushes the new head. */
    mine(perBlock: ReadonlyArray<readonly MemoryLog[]>) {
      const mined = perBlock.map(push)
      for (const listener of listeners) listener(head())
      return mined
    },
    /** Replaces the newest `depth` blocks by a new branch of `perBlock.length` blocks. */
    reorg(depth: number, perBlock: ReadonlyArray<readonly MemoryLog[]>) {
      for (let i = 0; i < depth; i++) logs.delete(BigInt(blocks.length - 1)) && blocks.pop()
      branch++
      return this.mine(perBlock)
    },
    /** Makes eth_blockNumber answer this (a lagging node); undefined restores the real head. */
    reportHead(number: bigint | undefined) {
      reportedHead = number
    },
    /** The next call of `method` throws `error`. */
    failNext(method: keyof typeof calls, error: Error) {
      failNext = { method, error }
    },
  }
}

/** A log with topic0 and one indexed uint256 `seq`, for tests. */
export function memoryLog(address: Address, topic0: Hex, seq: bigint, data: Hex = '0x'): MemoryLog {
  return { address, topics: [topic0, numberToHex(seq, { size: 32 })], data }
}
