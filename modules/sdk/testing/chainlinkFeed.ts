// Test fixtures for modules that read a Chainlink feed (price-alert, stop-loss): not for module code.
import { encodeFunctionResult, type Hex } from 'viem'
import type { BlockRef } from '../module/types.ts'
import { chainlinkAggregatorAbi } from '../abi/chainlink.ts'
import type { MockHost } from '../mockHost.ts'

/**
 * The Chainlink ETH/USD feed's Sepolia address, where `programFeed` answers.
 *
 * @example
 * mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, encodeRound(2500n * 10n ** 8n, T0))
 */
export const FEED = '0x694AA1769357215DE4FAC081bf1f309aDC325306'
/**
 * The timestamp of block 0 in `blockAt`: block n has timestamp T0 + 12n.
 *
 * @example
 * blockAt(10n).timestamp === T0 + 120n // true
 */
export const T0 = 1_700_000_000n

/**
 * A `BlockRef` on chain 11155111 at `number`, with made-up hashes and a 12 s cadence from `T0`.
 *
 * @example
 * await module.onBlock!({ host: mock.host, config, block: blockAt(10n) })
 */
export function blockAt(number: bigint): BlockRef {
  const hex = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as Hex
  return { chainId: 11155111, number, hash: hex(number + 1n), parentHash: hex(number), timestamp: T0 + number * 12n }
}

/**
 * The return data of `latestRoundData()` for one round.
 *
 * @example
 * mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, encodeRound(2500n * 10n ** 8n, T0))
 */
export function encodeRound(answer: bigint, updatedAt: bigint, roundId = 1n): Hex {
  return encodeFunctionResult({ abi: chainlinkAggregatorAbi, functionName: 'latestRoundData', result: [roundId, answer, updatedAt, updatedAt, roundId] })
}

/**
 * Programs the feed: `decimals()` answers 8 and `latestRoundData()` answers `priceAt(block)` USD
 * (a number of whole dollars, or raw answer via bigint), updated at that block's timestamp unless
 * `updatedAt` says otherwise.
 *
 * @example
 * programFeed(mock, (block) => (block < 100n ? 2500 : 1800))
 */
export function programFeed(mock: MockHost, priceAt: (block: bigint) => number | bigint, updatedAt?: (block: bigint) => bigint): void {
  mock.chain.onCall({ to: FEED, selector: '0x313ce567' }, encodeFunctionResult({ abi: chainlinkAggregatorAbi, functionName: 'decimals', result: 8 }))
  mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, (call) => {
    const block = call.blockNumber ?? 0n
    const price = priceAt(block)
    const answer = typeof price === 'bigint' ? price : BigInt(price) * 10n ** 8n
    return encodeRound(answer, updatedAt ? updatedAt(block) : T0 + block * 12n, block + 1n)
  })
}
