import { decodeEventLog, encodeFunctionData, decodeFunctionResult, getAddress, numberToHex, toEventSelector, type Address, type Hex, type PublicClient, type RpcLog } from 'viem'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { coWSwapEthFlowArtifact } from '../contracts/artifacts/CoWSwapEthFlow.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { decodeTwapStaticInput, expectedTwapParts, KIND_SELL, BALANCE_ERC20, type GPv2OrderData } from '../twap/model.ts'
import { groundTruthOrderUid } from './orderUid.ts'
import { judgeDelivery, type ChainBlock, type ExpectedPart, type ExplainedOrder } from './judgeDelivery.ts'
import { judgeAppData, type AppDataCreation, type AppDataIntact } from './judgeAppData.ts'
import { judgeEthFlowAppData, type EthFlowAppDataIntact, type EthFlowPlacementAppData } from './judgeEthFlowAppData.ts'

export type { ChainBlock, ExpectedPart } from './judgeDelivery.ts'

/** An orderbook we do not run answers per UID: what it had, and the lookups that failed. */
export type OrderbookReader = (uids: { twap: Hex[]; ethFlow: Hex[] }) => Promise<{ entries: readonly RecordEntry[]; failures: ReadonlyArray<{ uid: string; reason: string }> }>

export type GroundTruthParameters = {
  client: PublicClient
  addresses: { composableCow: Address; twap: Address; ethFlow: Address }
  fromBlock: bigint
  /** Parts and placements up to this block are expected to be handled. */
  toBlock: bigint
  /**
   * The last block of the drain (default `toBlock`): parts the model finds tradeable after `toBlock`
   * up to here may arrive too; they explain accepted orders but are not required.
   */
  drainedTo?: bigint
  /**
   * Every request the orderbook stub answered; or, for an orderbook we do not run, a reader given
   * the expected UIDs (see readOrderbookRecord.ts).
   */
  record: readonly RecordEntry[] | OrderbookReader
  /** When the harness first saw each block (ms since the epoch). */
  blockSeenAt: ReadonlyMap<bigint, number>
  /** Orders other modules are expected to post (scenario markers), with why. */
  explained?: readonly ExplainedOrder[]
  chainId?: number
}

const conditionalOrderCreated = composableCoWArtifact.abi.find((i) => i.type === 'event' && i.name === 'ConditionalOrderCreated')!
const orderPlacement = coWSwapEthFlowArtifact.abi.find((i) => i.type === 'event' && i.name === 'OrderPlacement')!

async function getBlocks(client: PublicClient, from: bigint, to: bigint): Promise<ChainBlock[]> {
  // In windows of 256 requests at a time: a long run (7,200 blocks and more) asked all at once timed out.
  const blocks: Awaited<ReturnType<typeof getBlock>>[] = []
  const getBlock = (n: bigint) => client.request({ method: 'eth_getBlockByNumber', params: [numberToHex(n), false] })
  for (let start = from; start <= to; start += 256n) {
    const window: bigint[] = []
    for (let n = start; n <= to && n < start + 256n; n++) window.push(n)
    blocks.push(...(await Promise.all(window.map(getBlock))))
  }
  return blocks.map((b) => ({
    number: BigInt(b!.number!),
    hash: b!.hash!,
    timestamp: BigInt(b!.timestamp),
    transactions: (b!.transactions as unknown[]).length,
  }))
}

// The wire form of eth_getLogs (hex numbers): viem's RpcLog, not redeclared.
type ChainLog = Pick<RpcLog, 'blockNumber' | 'topics' | 'data' | 'address'>

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
 * OrderPlacement becomes an EthFlow UID. Parts the same model finds tradeable in the drain blocks
 * explain late arrivals. The chain also says who created what (`chainCounts`), so the load
 * generator's own figures can be checked. Then the orderbook's record says what actually arrived.
 *
 * @example
 * const truth = await collectGroundTruth({ client, addresses, fromBlock, toBlock, drainedTo, record: stub.record.entries, blockSeenAt })
 * truth.orders.unexplained // accepted orders nothing accounts for
 */
export async function collectGroundTruth({ client, addresses, fromBlock, toBlock, drainedTo = toBlock, record, blockSeenAt, explained, chainId = 11155111 }: GroundTruthParameters) {
  const lastBlock = drainedTo > toBlock ? drainedTo : toBlock
  const allBlocks = await getBlocks(client, fromBlock, lastBlock)
  const blocks = allBlocks.filter((b) => b.number <= toBlock)
  const byNumber = new Map(allBlocks.map((b) => [b.number, b]))
  const [createdLogs, placementLogs] = await Promise.all([
    getLogsChunked(client, addresses.composableCow, toEventSelector(conditionalOrderCreated), fromBlock, lastBlock),
    getLogsChunked(client, addresses.ethFlow, toEventSelector(orderPlacement), fromBlock, lastBlock),
  ])

  const expectedParts: ExpectedPart[] = []
  const drainParts: ExpectedPart[] = []
  // Each part as its creation names it, appData included: what "appData intact" compares posts with.
  const creations: AppDataCreation[] = []
  const twapCreatedBy: Record<string, number> = {}
  let twapOrders = 0
  for (const log of createdLogs) {
    const { args } = decodeEventLog({ abi: [conditionalOrderCreated], topics: log.topics as [Hex], data: log.data })
    const { owner, params } = args as { owner: Address; params: { handler: Address; salt: Hex; staticInput: Hex } }
    if (params.handler.toLowerCase() !== addresses.twap.toLowerCase()) continue
    const createdBlock = BigInt(log.blockNumber!)
    if (createdBlock <= toBlock) {
      twapOrders++
      twapCreatedBy[owner.toLowerCase()] = (twapCreatedBy[owner.toLowerCase()] ?? 0) + 1
    }
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
    const last = byNumber.get(lastBlock)!
    for (const part of expectedTwapParts(data, created.timestamp, last.timestamp, ctxStart)) {
      // A watcher decides per block: the part is seen by the first block inside its window.
      const seenBy = allBlocks.find((b) => b.number >= createdBlock && b.timestamp >= part.start && b.timestamp <= part.validTo)
      if (!seenBy) continue
      const expected = { uid: groundTruthOrderUid(part.order, getAddress(owner), chainId), owner: getAddress(owner), part: part.part, tradeableBlock: seenBy.number, createdBlock, start: part.start, validTo: part.validTo }
      ;(seenBy.number <= toBlock ? expectedParts : drainParts).push(expected)
      const { sellToken, buyToken, receiver, sellAmount, buyAmount, validTo, appData } = part.order
      creations.push({ owner: getAddress(owner), sellToken, buyToken, receiver, sellAmount, buyAmount, validTo, appData })
    }
  }

  const ethFlowUids: Array<{ uid: Hex; block: bigint }> = []
  const allEthFlowUids: Hex[] = []
  const ethFlowPlacedBy: Record<string, number> = {}
  // Each placement's appData as the log names it: what "EthFlow appData intact" compares the orderbook's answers with.
  const placementAppData: EthFlowPlacementAppData[] = []
  for (const log of placementLogs) {
    const { args } = decodeEventLog({ abi: [orderPlacement], topics: log.topics as [Hex], data: log.data })
    const { order, sender } = args as { order: GPv2OrderData; sender: Address }
    const uid = groundTruthOrderUid({ ...order, kind: KIND_SELL, sellTokenBalance: BALANCE_ERC20, buyTokenBalance: BALANCE_ERC20 }, getAddress(log.address), chainId)
    allEthFlowUids.push(uid)
    placementAppData.push({ uid, appData: order.appData })
    if (BigInt(log.blockNumber!) > toBlock) continue
    ethFlowUids.push({ uid, block: BigInt(log.blockNumber!) })
    ethFlowPlacedBy[sender.toLowerCase()] = (ethFlowPlacedBy[sender.toLowerCase()] ?? 0) + 1
  }

  const { entries, failures } =
    typeof record === 'function' ? await record({ twap: expectedParts.map((p) => p.uid), ethFlow: ethFlowUids.map((e) => e.uid) }) : { entries: record, failures: [] }
  const judged = judgeDelivery({
    expectedParts: uniqueByUid(expectedParts),
    drainParts: uniqueByUid(drainParts),
    ethFlowUids,
    allEthFlowUids,
    explained,
    record: entries,
    lookupFailed: new Set(failures.map((f) => f.uid)),
    blockSeenAt,
    blocks,
    twapOrders,
  })
  return {
    ...judged,
    /** Whether each accepted order carries the appData its creation named (see judgeAppData.ts); optional for truths built elsewhere. */
    ...({ appData: judgeAppData({ creations, record: entries }) } as { appData?: AppDataIntact }),
    /** Whether the orderbook shows each EthFlow order with the appData its placement named (see judgeEthFlowAppData.ts). */
    ...({ ethFlowAppData: judgeEthFlowAppData({ placements: placementAppData, record: entries }) } as { ethFlowAppData?: EthFlowAppDataIntact }),
    /** Lookups at an external orderbook that failed: reported, never counted as missing. */
    lookupFailures: failures,
    /** Who created what in the judged window, from the chain's own logs (lowercase address -> count). */
    chainCounts: { twapCreatedBy, ethFlowPlacedBy },
  }
}

/**
 * Two watches can yield the same GPv2 order (same owner and fields): it is one order, expected once,
 * from the first block that could see it.
 */
function uniqueByUid(parts: readonly ExpectedPart[]): ExpectedPart[] {
  const byUid = new Map<Hex, ExpectedPart>()
  for (const part of parts) {
    const known = byUid.get(part.uid)
    if (!known || part.tradeableBlock < known.tradeableBlock) byUid.set(part.uid, part)
  }
  return [...byUid.values()]
}

export type GroundTruth = Awaited<ReturnType<typeof collectGroundTruth>>
