import { getAddress, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem'
import { chainlinkAggregatorAbi, composableCowAbi } from '../../../harness/devnet/abis.ts'
import { sepoliaAddresses } from '../../../harness/devnet/addresses.ts'
import { decodeEthFlowPlacement, ORDER_PLACEMENT_TOPIC, type PlacementRpcLog } from '../../../harness/orderbook/decodeEthFlowPlacement.ts'
import { orderDomain } from '../../../harness/orderbook/computeStubOrderUid.ts'
import type { RecordEntry } from '../../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../../harness/orderbook/isOrderPost.ts'
import { groundTruthOrderUid } from '../../../harness/scenario/orderUid.ts'
import { orderAppDataViolation } from '../../../harness/scenario/judgeEthFlowAppData.ts'
import { decodeTwapStaticInput, expectedTwapParts } from '../../../harness/twap/model.ts'
import type { ActionEvidence, AppDataEvidence, PartEvidence } from './judgeSigned.ts'
import type { SentAction } from './sendActions.ts'
import { readOrder, type OrderLookup } from './takeSnapshot.ts'

/** The appData an order found at the orderbook carries, against the hash its creation on chain named; undefined when not found. */
function appDataOf(named: Hex, read: OrderLookup): AppDataEvidence | undefined {
  if (read.lookup !== 'found') return undefined
  const violation = orderAppDataViolation(named, read.order)
  return violation ? { intact: false, ...violation } : { intact: true, found: named.toLowerCase() }
}

export type CollectEvidenceParameters = {
  client: PublicClient
  chainId: number
  account: Address
  orderbookUrl: string
  sent: readonly SentAction[]
  /** Devnet mode: the stub's record, to see the posts of each part whatever the answer. */
  stubRecord?: (() => readonly RecordEntry[]) | undefined
}

/**
 * Each action's terminal evidence, from its receipt's logs (never from what this run meant to send:
 * a resumed action's parameters are only on chain), the orderbook's answers and, on the devnet, the
 * stub's record. TWAP parts are the reference model's, due between the creation block and the head.
 * Each order found at the orderbook is checked against the appData its creation on chain named (the
 * TWAP's static input, the OrderPlacement's order): the same hash, and the document behind it.
 *
 * @example
 * const evidence = await collectEvidence({ client, chainId, account, orderbookUrl, sent })
 */
export async function collectEvidence({ client, chainId, account, orderbookUrl, sent, stubRecord }: CollectEvidenceParameters): Promise<ActionEvidence[]> {
  const head = await client.getBlock()
  const out: ActionEvidence[] = []
  for (const action of sent) {
    const { hash, receipt } = action
    const mined = { hash, block: receipt.blockNumber.toString(), gasUsed: receipt.gasUsed.toString(), feeWei: (receipt.gasUsed * receipt.effectiveGasPrice).toString() }
    switch (action.name) {
      case 'twap-create': {
        const created = parseEventLogs({ abi: composableCowAbi, eventName: 'ConditionalOrderCreated', logs: receipt.logs }).filter(
          (l) => getAddress(l.address) === getAddress(sepoliaAddresses.composableCow) && getAddress(l.args.owner) === getAddress(account),
        )
        const ownerHasCode = ((await client.getCode({ address: account })) ?? '0x') !== '0x'
        const parts: PartEvidence[] = []
        const first = created[0]
        if (first) {
          const creationBlock = await client.getBlock({ blockNumber: receipt.blockNumber })
          const data = decodeTwapStaticInput(first.args.params.staticInput)
          for (const part of expectedTwapParts(data, creationBlock.timestamp, head.timestamp)) {
            const uid = groundTruthOrderUid(part.order, account, chainId)
            const posts = stubRecord?.().filter((e) => isOrderPost(e) && e.uid?.toLowerCase() === uid.toLowerCase())
            const read = await readOrder(orderbookUrl, uid)
            const appData = appDataOf(part.order.appData, read)
            parts.push({ part: Number(part.part), uid, start: part.start.toString(), orderbook: read.lookup, namedAppData: part.order.appData, ...(appData ? { appData } : {}), ...(posts ? { posts: { count: posts.length, statuses: posts.map((e) => e.status) } } : {}) })
          }
        }
        out.push({ ...mined, name: 'twap-create', owner: getAddress(account), ownerHasCode, created: created.length, parts })
        break
      }
      case 'ethflow-place': {
        const placements = receipt.logs.filter((l) => l.topics[0] === ORDER_PLACEMENT_TOPIC && getAddress(l.address) === getAddress(sepoliaAddresses.ethFlow))
        const placement = placements[0] ? decodeEthFlowPlacement(placements[0] as unknown as PlacementRpcLog, orderDomain(chainId)) : undefined
        const read = placement ? await readOrder(orderbookUrl, placement.uid) : undefined
        const appData = placement && read ? appDataOf(placement.appData, read) : undefined
        out.push({ ...mined, name: 'ethflow-place', placements: placements.length, uid: placement?.uid, orderbook: read?.lookup ?? 'no placement in the receipt', namedAppData: placement?.appData, ...(appData ? { appData } : {}) })
        break
      }
      case 'eth-transfer': {
        const tx = await client.getTransaction({ hash })
        out.push({ ...mined, name: 'eth-transfer', to: getAddress(tx.to ?? '0x0000000000000000000000000000000000000000'), valueWei: tx.value.toString() })
        break
      }
      case 'oracle-fall': {
        const updates = parseEventLogs({ abi: chainlinkAggregatorAbi, eventName: 'AnswerUpdated', logs: receipt.logs }).filter((l) => getAddress(l.address) === getAddress(sepoliaAddresses.chainlinkEthUsd))
        out.push({ ...mined, name: 'oracle-fall', answerUpdates: updates.length })
        break
      }
    }
  }
  return out
}

/** The EthFlow UID of a sent placement, from its receipt (for the wait loop). */
export function placementUid(action: SentAction, chainId: number): Hex | undefined {
  const log = action.receipt.logs.find((l) => l.topics[0] === ORDER_PLACEMENT_TOPIC)
  return log ? decodeEthFlowPlacement(log as unknown as PlacementRpcLog, orderDomain(chainId)).uid : undefined
}
