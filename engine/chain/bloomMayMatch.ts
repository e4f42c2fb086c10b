import { bytesToHex, hexToBytes, keccak256, type Address, type Hex } from 'viem'
import type { RawLog } from '../../modules/sdk/module/types.ts'

/** The three (byte, mask) pairs a value sets in a 2048-bit logs bloom. */
function bloomBits(value: Hex): Array<[number, number]> {
  const hash = hexToBytes(keccak256(value))
  const bits: Array<[number, number]> = []
  for (let i = 0; i < 6; i += 2) {
    const bit = ((hash[i]! << 8) | hash[i + 1]!) & 2047
    // Bit 0 is the lowest bit of the last byte (the bloom is big-endian).
    bits.push([255 - (bit >> 3), 1 << (bit & 7)])
  }
  return bits
}

/**
 * A test of a block's logs bloom against a log filter (one of the addresses, or any when none,
 * and one of the topic0s). False means the block certainly holds no matching log; true means it
 * may. A range answer with no logs for a "may" block deserves a second look by block hash.
 *
 * @example
 * const mayMatch = createBloomMatcher({ address: [composableCow], topic0: [created] })
 * if (mayMatch(block.logsBloom)) await source.getBlockLogs(block.hash, filter)
 */
export function createBloomMatcher(filter: { address?: readonly Address[]; topic0: readonly Hex[] }): (logsBloom: Hex) => boolean {
  const addresses = (filter.address ?? []).map(bloomBits)
  const topics = filter.topic0.map(bloomBits)
  return (logsBloom) => {
    const bloom = hexToBytes(logsBloom)
    const has = (bits: Array<[number, number]>) => bits.every(([byte, mask]) => (bloom[byte]! & mask) !== 0)
    return (addresses.length === 0 || addresses.some(has)) && (topics.length === 0 || topics.some(has))
  }
}

/**
 * The logs bloom of a set of logs (each address and topic), as a node computes it. For test chains.
 *
 * @example
 * const bloom = logsBloomOf([{ address, topics: [topic0] }])
 */
export function logsBloomOf(logs: ReadonlyArray<Pick<RawLog, 'address' | 'topics'>>): Hex {
  const bloom = new Uint8Array(256)
  for (const log of logs) for (const value of [log.address, ...log.topics]) for (const [byte, mask] of bloomBits(value)) bloom[byte]! |= mask
  return bytesToHex(bloom)
}
