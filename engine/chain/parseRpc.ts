import type { Address, Hex } from 'viem'
import type { ChainBlock } from './types.ts'
import type { RawLog } from '../../modules/sdk/module/types.ts'

/** The RPC answered something that is not a valid block or log. Retried by the ingestor. */
export class BadRpcDataError extends Error {
  override name = 'BadRpcDataError'
  constructor(what: string, readonly value: unknown) {
    super(`Malformed ${what} from the RPC: ${JSON.stringify(value)?.slice(0, 200)}`)
  }
}

const isHex = (v: unknown, bytes?: number): v is Hex =>
  typeof v === 'string' && /^0x[0-9a-fA-F]*$/.test(v) && (bytes === undefined || v.length === 2 + bytes * 2)
const quantity = (v: unknown, what: string, raw: unknown): bigint => {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]+$/.test(v)) throw new BadRpcDataError(what, raw)
  return BigInt(v)
}

/** Parses an `eth_getBlockByNumber` answer from unknown. */
export function parseBlock(raw: unknown, chainId: number): ChainBlock {
  if (raw === null || typeof raw !== 'object') throw new BadRpcDataError('block', raw)
  const b = raw as Record<string, unknown>
  if (!isHex(b.hash, 32) || !isHex(b.parentHash, 32)) throw new BadRpcDataError('block', raw)
  if (b.logsBloom !== undefined && !isHex(b.logsBloom, 256)) throw new BadRpcDataError('block (logsBloom)', raw)
  const block: ChainBlock = { chainId, number: quantity(b.number, 'block', raw), hash: b.hash, parentHash: b.parentHash, timestamp: quantity(b.timestamp, 'block', raw) }
  if (b.logsBloom !== undefined) block.logsBloom = b.logsBloom
  return block
}

/** Parses one `eth_getLogs` entry from unknown. */
export function parseLog(raw: unknown): RawLog {
  if (raw === null || typeof raw !== 'object') throw new BadRpcDataError('log', raw)
  const l = raw as Record<string, unknown>
  if (!isHex(l.address, 20) || !isHex(l.blockHash, 32) || !isHex(l.transactionHash, 32) || !isHex(l.data)) throw new BadRpcDataError('log', raw)
  if (!Array.isArray(l.topics) || l.topics.length > 4 || !l.topics.every((t) => isHex(t, 32))) throw new BadRpcDataError('log', raw)
  return {
    address: l.address.toLowerCase() as Address,
    blockNumber: quantity(l.blockNumber, 'log', raw),
    blockHash: l.blockHash,
    transactionHash: l.transactionHash,
    transactionIndex: Number(quantity(l.transactionIndex, 'log', raw)),
    logIndex: Number(quantity(l.logIndex, 'log', raw)),
    topics: l.topics as Hex[],
    data: l.data,
    removed: l.removed === true,
  }
}

/** Parses an `eth_blockNumber` answer. */
export function parseBlockNumber(raw: unknown): bigint {
  return quantity(raw, 'block number', raw)
}
