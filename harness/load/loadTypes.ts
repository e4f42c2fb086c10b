import type { Address, Hex } from 'viem'
import type { ConditionalOrderParams } from '../devnet/helpers/createTwap.ts'
import type { EthFlowOrder } from '../devnet/helpers/placeEthFlowOrder.ts'
import type { TwapData } from '../twap/model.ts'
import type { LoadAppDataDocument } from './loadAppData.ts'

/** The two kinds of load transaction. */
export type LoadTxKind = 'twap' | 'ethFlow'

/** Where an accepted transaction ended up. `unconfirmed`: no receipt in time (evicted, or still queued). */
export type LoadTxStatus = 'rejected' | 'mined' | 'reverted' | 'unconfirmed'

/** One transaction the generator built, from send to receipt. */
export type LoadTx = {
  kind: LoadTxKind
  sender: Address
  nonce: number
  to: Address
  data: Hex
  value: bigint
  gas: bigint
  /** The new block whose arrival triggered the send. */
  drivenBy: bigint
  hash?: Hex
  /** The node's message when it refused the transaction at send. */
  rejected?: string
  /** From the tx's success log, or its receipt when it emitted none (a revert). */
  receipt?: { status: 'success' | 'reverted'; blockNumber: bigint }
  revertReason?: string
  twap?: { params: ConditionalOrderParams; twap: TwapData }
  ethFlow?: { order: EthFlowOrder; orderUid: Hex }
}

/** Counts of one kind (or all). accepted = mined + reverted + unconfirmed; sent = accepted + rejected. */
export type LoadCounts = { sent: number; accepted: number; rejected: number; mined: number; reverted: number; unconfirmed: number }

/** Per sender: compare mined to accepted, so an Anvil eviction is never mistaken for engine loss. */
export type LoadSenderCounts = LoadCounts & { address: Address; firstNonce: number; nextNonce: number }

/** A TWAP created by the load: ground truth for the expected part UIDs. */
export type CreatedTwap = {
  owner: Address
  params: ConditionalOrderParams
  twap: TwapData
  txHash: Hex
  status: Exclude<LoadTxStatus, 'rejected'>
  blockNumber: bigint | undefined
}

/** An EthFlow order placed by the load: ground truth for the watcher and the orderbook stub. */
export type CreatedEthFlowOrder = {
  sender: Address
  txHash: Hex
  sellAmount: bigint
  orderUid: Hex
  status: Exclude<LoadTxStatus, 'rejected'>
  blockNumber: bigint | undefined
}

/** What `runLoad` returns. All numbers come from the node's answers and receipts. */
export type LoadResult = {
  rpcUrl: string
  seed: string
  /** Block number when sending started, and the last new block the generator saw. */
  startBlock: bigint
  lastBlock: bigint
  blocksDriven: number
  stoppedBy: 'blocks' | 'wallClock' | 'aborted'
  /** Sending phase, then the wait for receipts. */
  durationMs: number
  receiptWaitMs: number
  totals: LoadCounts
  byKind: Record<LoadTxKind, LoadCounts>
  senders: LoadSenderCounts[]
  /** Rejections at send grouped by the node's message. */
  rejectionsByMessage: Record<string, number>
  /** Reverted transactions with the decoded reason (first 100 replayed; the rest say so). */
  reverts: { hash: Hex; kind: LoadTxKind; sender: Address; blockNumber: bigint; reason: string }[]
  /** The appData documents the orders carry, each registered at the orderbook before sending (empty: every order carries "{}"). */
  appData: LoadAppDataDocument[]
  twaps: CreatedTwap[]
  ethFlowOrders: CreatedEthFlowOrder[]
  /** One row per block that triggered a send: its timestamp and how many txs were sent. */
  drivenBlocks: { block: bigint; timestamp: bigint; sent: number }[]
  /** Receipts per block (the load level the chain actually carried). */
  minedPerBlock: { block: bigint; mined: number; reverted: number }[]
}
