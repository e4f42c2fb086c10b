import { decodeEventLog, encodeFunctionData, decodeFunctionResult, getAddress, numberToHex, toEventSelector, type Address, type Hex, type PublicClient } from 'viem'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { coWSwapEthFlowArtifact } from '../contracts/artifacts/CoWSwapEthFlow.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { decodeTwapStaticInput, expectedTwapParts, KIND_SELL, BALANCE_ERC20, type GPv2OrderData } from '../twap/model.ts'
import { groundTruthOrderUid } from './orderUid.ts'

export type ChainBlock = { number: bigint; hash: Hex; timestamp: bigint; transactions: number }

export type ExpectedPart = {
  uid: Hex
  owner: Address
  part: bigint
  /** The first block whose timestamp falls inside the part's window: when a watcher could first see it. */
  tradeableBlock: bigint
  createdBlock: bigint
}

export type GroundTruthParameters = {
  client: PublicClient
  addresses: { composableCow: Address; twap: Address; ethFlow: Address }
  fromBlock: bigint
  /** Parts and placements up to this block are expected to be handled. */
  toBlock: bigint
  /**
   * Every request the orderbook stub answered; or, for an orderbook we do not run, a reader given
   * the expected UIDs (see readOrderbookRecord.ts).
   */
  record: readonly RecordEntry[] | ((uids: { twap: Hex[]; ethFlow: Hex[] }) => Promise<readonly RecordEntry[]>)
  /** When the harness first saw each block (ms since the epoch). */
  blockSeenAt: ReadonlyMap<bigint, number>
  /** Transaction hashes removed by reorgs: their orders must not be submitted. */
  chainId?: number
}

const conditionalOrderCreated = composableCoWArtifact.abi.find((i) => i.type === 'event' && i.name === 'ConditionalOrderCreated')!
const orderPlacement = coWSwapEthFlowArtifact.abi.find((i) => i.type === 'event' && i.name === 'OrderPlacement')!

async function getBlocks(client: PublicClient, from: bigint, to: bigint): Promise<ChainBlock[]> {
  const numbers: bigint[] = []
  for (let n = from; n <= to; n++) numbers.push(n)
  const blocks = await Promise.all(numbers.map((n) => client.request({ method: 'eth_getBlockByNumber', params: [numberToHex(n), false] })))
  return blocks.map((b) => ({
    number: BigInt(b!.number!),
    hash: b!.hash!,
    timestamp: BigInt(b!.timestamp),
    transactions: (b!.transactions as unknown[]).length,
  }))
}

type ChainLog = { blockNumber: Hex | null; topics: Hex[]; data: Hex; address: Address }

/** eth_getLogs in ranges of `chunk` blocks: a saturation run's logs exceed viem's 10 MiB response limit. */
async function getLogsChunked(client: PublicClient, address: Address, topic0: Hex, fromBlock: bigint, toBlock: bigint, chunk = 20n): Promise<ChainLog[]> {
  const out: ChainLog[] = []
  for (let from = fromBlock; from <= toBlock; from += chunk) {
    const to = from + chunk - 1n < toBlock ? from + chunk - 1n : toBlock
    const logs = await client.request({ method: 'eth_getLogs', params: [{ address, fromBlock: numberToHex(from), toBlock: numberToHex(to), topics: [topic0] }] })
    out.push(...(logs as unknown as ChainLog[]))
  }
  return out
}

/**
 * What should have happened, read from the chain alone: every ConditionalOrderCreated of the TWAP
 * handler becomes its expected part UIDs (TWAP reference model + block timestamps); every
 * OrderPlacement becomes an EthFlow UID. Then the stub's record says what actually arrived.
 */
export async function collectGroundTruth({ client, addresses, fromBlock, toBlock, record, blockSeenAt, chainId = 11155111 }: GroundTruthParameters) {
  const blocks = await getBlocks(client, fromBlock, toBlock)
  const byNumber = new Map(blocks.map((b) => [b.number, b]))
  const [createdLogs, placementLogs] = await Promise.all([
    getLogsChunked(client, addresses.composableCow, toEventSelector(conditionalOrderCreated), fromBlock, toBlock),
    getLogsChunked(client, addresses.ethFlow, toEventSelector(orderPlacement), fromBlock, toBlock),
  ])

  const expectedParts: ExpectedPart[] = []
  let twapOrders = 0
  for (const log of createdLogs) {
    const { args } = decodeEventLog({ abi: [conditionalOrderCreated], topics: log.topics as [Hex], data: log.data })
    const { owner, params } = args as { owner: Address; params: { handler: Address; salt: Hex; staticInput: Hex } }
    if (params.handler.toLowerCase() !== addresses.twap.toLowerCase()) continue
    twapOrders++
    const createdBlock = BigInt(log.blockNumber!)
    const data = decodeTwapStaticInput(params.staticInput)
    let ctxStart: bigint | undefined
    if (data.t0 === 0n) {
      const hash = decodeFunctionResult({
        abi: composableCoWArtifact.abi,
        functionName: 'hash',
        data: (await client.call({ to: addresses.composableCow, data: encodeFunctionData({ abi: composableCoWArtifact.abi, functionName: 'hash', args: [params] }) })).data!,
      })
      const cabinet = decodeFunctionResult({
        abi: composableCoWArtifact.abi,
        functionName: 'cabinet',
        data: (await client.call({ to: addresses.composableCow, data: encodeFunctionData({ abi: composableCoWArtifact.abi, functionName: 'cabinet', args: [owner, hash] }) })).data!,
      })
      ctxStart = BigInt(cabinet)
    }
    const created = byNumber.get(createdBlock)!
    const last = byNumber.get(toBlock)!
    for (const part of expectedTwapParts(data, created.timestamp, last.timestamp, ctxStart)) {
      // A watcher decides per block: the part is seen by the first block inside its window.
      const seenBy = blocks.find((b) => b.number >= createdBlock && b.timestamp >= part.start && b.timestamp <= part.validTo)
      if (!seenBy) continue
      expectedParts.push({ uid: groundTruthOrderUid(part.order, getAddress(owner), chainId), owner: getAddress(owner), part: part.part, tradeableBlock: seenBy.number, createdBlock })
    }
  }

  // Two watches can yield the same GPv2 order (same owner and fields): it is one order, expected once,
  // from the first block that could see it.
  const byUid = new Map<Hex, ExpectedPart>()
  for (const part of expectedParts) {
    const known = byUid.get(part.uid)
    if (!known || part.tradeableBlock < known.tradeableBlock) byUid.set(part.uid, part)
  }
  expectedParts.length = 0
  expectedParts.push(...byUid.values())

  const ethFlowUids: Array<{ uid: Hex; block: bigint }> = []
  for (const log of placementLogs) {
    const { args } = decodeEventLog({ abi: [orderPlacement], topics: log.topics as [Hex], data: log.data })
    const order = (args as { order: GPv2OrderData }).order
    ethFlowUids.push({ uid: groundTruthOrderUid({ ...order, kind: KIND_SELL, sellTokenBalance: BALANCE_ERC20, buyTokenBalance: BALANCE_ERC20 }, getAddress(log.address), chainId), block: BigInt(log.blockNumber!) })
  }

  const entries = typeof record === 'function' ? await record({ twap: expectedParts.map((p) => p.uid), ethFlow: ethFlowUids.map((e) => e.uid) }) : record
  return judgeDelivery({ expectedParts, ethFlowUids, record: entries, blockSeenAt, blocks, twapOrders })
}

/** Compares what should have arrived with the stub's record: delivery, duplicates, misses, latency. */
export function judgeDelivery({
  expectedParts,
  ethFlowUids,
  record,
  blockSeenAt,
  blocks,
  twapOrders,
}: {
  expectedParts: readonly ExpectedPart[]
  ethFlowUids: ReadonlyArray<{ uid: Hex; block: bigint }>
  record: readonly RecordEntry[]
  blockSeenAt: ReadonlyMap<bigint, number>
  blocks: readonly ChainBlock[]
  twapOrders: number
}) {
  const posts = new Map<string, RecordEntry[]>()
  const observed = new Set<string>()
  for (const entry of record) {
    const uid = entry.uid?.toLowerCase()
    if (!uid) continue
    if (entry.method === 'POST' && entry.path.endsWith('/api/v1/orders')) posts.set(uid, [...(posts.get(uid) ?? []), entry])
    if (entry.method === 'GET' && entry.path.includes('/api/v1/orders/') && entry.status === 200) observed.add(uid)
  }
  // A 201 the stub then lost (its lossy knob) is not a delivery: the order never reached the book.
  const isAccepted = (e: RecordEntry) => e.status === 201 && e.injected !== 'acceptThenLose'
  const latenciesMs: number[] = []
  const missing: ExpectedPart[] = []
  for (const part of expectedParts) {
    const accepted = posts.get(part.uid)?.find(isAccepted)
    if (!accepted) {
      missing.push(part)
      continue
    }
    const seen = blockSeenAt.get(part.tradeableBlock)
    if (seen !== undefined) latenciesMs.push(Math.max(0, accepted.at - seen))
  }
  // A duplicate is any post of a UID after the orderbook already accepted it.
  let duplicates = 0
  const duplicateUids: string[] = []
  const duplicatePosts: Array<{ uid: string; posts: number }> = []
  for (const [uid, entries] of posts) {
    const firstAccepted = entries.findIndex((e) => e.status === 201)
    if (firstAccepted >= 0 && entries.length - firstAccepted - 1 > 0) {
      duplicates += entries.length - firstAccepted - 1
      duplicateUids.push(uid)
      duplicatePosts.push({ uid, posts: entries.length - firstAccepted })
    }
  }
  const expectedUids = new Set(expectedParts.map((p) => p.uid))
  const unexpectedAccepted = [...posts.entries()].filter(([uid, e]) => !expectedUids.has(uid as Hex) && e.some((p) => p.status === 201)).map(([uid]) => uid)
  const ethFlowMissing = ethFlowUids.filter((e) => !observed.has(e.uid))
  const ethFlowPosted = ethFlowUids.filter((e) => posts.has(e.uid))
  return {
    blocks,
    twap: { orders: twapOrders, expected: expectedParts.length, delivered: expectedParts.length - missing.length, missing, duplicates, duplicateUids, duplicatePosts, unexpectedAccepted, latenciesMs },
    ethFlow: { placed: ethFlowUids.length, observed: ethFlowUids.length - ethFlowMissing.length, missing: ethFlowMissing, postedByWatcher: ethFlowPosted.length },
  }
}

export type GroundTruth = Awaited<ReturnType<typeof collectGroundTruth>>
