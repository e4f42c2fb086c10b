import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from 'viem'
import type { Host } from '../module/types.ts'
import { chainlinkAggregatorAbi } from '../abi/chainlink.ts'
import { errorMessage } from '../errors/errorMessage.ts'

/** One Chainlink round, as `latestRoundData()` returns it. */
export type LatestRound = { roundId: bigint; answer: bigint; startedAt: bigint; updatedAt: bigint; answeredInRound: bigint }

export type ReadResult<value> = { ok: true; value: value } | { ok: false; reason: string }

const LATEST_ROUND_DATA: Hex = encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'latestRoundData' })
const DECIMALS: Hex = encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'decimals' })

/**
 * Reads `latestRoundData()` at `blockNumber` and checks it is usable: it decodes, `updatedAt` is
 * set (0 means the round is incomplete) and `answer` is positive (a price feed answering <= 0 is
 * broken, and must neither alert nor trigger). Never throws: a revert, a transport fault or garbage
 * becomes `{ ok: false, reason }`.
 *
 * @example
 * const read = await readLatestRound(host, 11155111, feed, block.number)
 * if (!read.ok) host.log.warn('feed read failed', { reason: read.reason })
 */
export async function readLatestRound(host: Pick<Host, 'chain'>, chainId: number, feed: Address, blockNumber: bigint): Promise<ReadResult<LatestRound>> {
  let data: unknown
  try {
    data = await host.chain.call(chainId, { to: feed, data: LATEST_ROUND_DATA }, { blockNumber })
  } catch (error) {
    return { ok: false, reason: `latestRoundData() failed (${errorMessage(error)})` }
  }
  let decoded: readonly [bigint, bigint, bigint, bigint, bigint]
  try {
    decoded = decodeFunctionResult({ abi: chainlinkAggregatorAbi, functionName: 'latestRoundData', data: data as Hex })
  } catch (error) {
    return { ok: false, reason: `latestRoundData() returned data that does not decode (${errorMessage(error)})` }
  }
  const [roundId, answer, startedAt, updatedAt, answeredInRound] = decoded
  if (updatedAt === 0n) return { ok: false, reason: `round ${roundId} is incomplete (updatedAt = 0)` }
  if (answer <= 0n) return { ok: false, reason: `answer ${answer} is not a positive price` }
  return { ok: true, value: { roundId, answer, startedAt, updatedAt, answeredInRound } }
}

/**
 * The feed's `decimals()`, read once and then kept in the store under `decimals:<feed>`, so later
 * blocks (and a restarted instance) cost no call. Never throws on bad chain answers.
 *
 * @example
 * const decimals = await readFeedDecimals(host, 11155111, feed, block.number)
 * if (decimals.ok) toFeedUnits('2500', decimals.value)
 */
export async function readFeedDecimals(host: Pick<Host, 'chain' | 'store'>, chainId: number, feed: Address, blockNumber: bigint): Promise<ReadResult<number>> {
  const key = `decimals:${feed.toLowerCase()}`
  const cached = await host.store.get<number>(key)
  if (typeof cached === 'number') return { ok: true, value: cached }
  let data: unknown
  try {
    data = await host.chain.call(chainId, { to: feed, data: DECIMALS }, { blockNumber })
  } catch (error) {
    return { ok: false, reason: `decimals() failed (${errorMessage(error)})` }
  }
  let decimals: number
  try {
    decimals = decodeFunctionResult({ abi: chainlinkAggregatorAbi, functionName: 'decimals', data: data as Hex })
  } catch (error) {
    return { ok: false, reason: `decimals() returned data that does not decode (${errorMessage(error)})` }
  }
  if (decimals > 36) return { ok: false, reason: `decimals() = ${decimals} is not a plausible feed precision (0..36)` }
  await host.store.set(key, decimals)
  return { ok: true, value: decimals }
}
