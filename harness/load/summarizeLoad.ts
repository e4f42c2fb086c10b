import type { Address } from 'viem'
import type { CreatedEthFlowOrder, CreatedTwap, LoadCounts, LoadSenderCounts, LoadTx, LoadTxKind, LoadTxStatus } from './loadTypes.ts'

/** Where a transaction ended up, from its send answer and receipt. */
export function loadTxStatus(tx: LoadTx): LoadTxStatus {
  if (tx.hash === undefined) return 'rejected'
  if (tx.receipt === undefined) return 'unconfirmed'
  return tx.receipt.status === 'success' ? 'mined' : 'reverted'
}

/** Zeroed counts. */
export function emptyCounts(): LoadCounts {
  return { sent: 0, accepted: 0, rejected: 0, mined: 0, reverted: 0, unconfirmed: 0 }
}

/**
 * Counts transactions by outcome.
 *
 * @example
 * countLoad(txs.filter((tx) => tx.kind === 'twap')).mined
 */
export function countLoad(txs: readonly LoadTx[]): LoadCounts {
  const counts = emptyCounts()
  for (const tx of txs) {
    counts.sent++
    const status = loadTxStatus(tx)
    counts[status]++
    if (status !== 'rejected') counts.accepted++
  }
  return counts
}

/** Counts per kind. */
export function countByKind(txs: readonly LoadTx[]): Record<LoadTxKind, LoadCounts> {
  return { twap: countLoad(txs.filter((tx) => tx.kind === 'twap')), ethFlow: countLoad(txs.filter((tx) => tx.kind === 'ethFlow')) }
}

/** Counts per sender, in sender order, with the nonce range each used. */
export function countBySender(senders: readonly { address: Address; firstNonce: number; nextNonce: number }[], txs: readonly LoadTx[]): LoadSenderCounts[] {
  return senders.map((sender) => ({
    address: sender.address,
    firstNonce: sender.firstNonce,
    nextNonce: sender.nextNonce,
    ...countLoad(txs.filter((tx) => tx.sender === sender.address)),
  }))
}

/** The TWAPs the node accepted, with where they ended up. */
export function createdTwaps(txs: readonly LoadTx[]): CreatedTwap[] {
  return txs.flatMap((tx) => {
    const status = loadTxStatus(tx)
    if (tx.kind !== 'twap' || !tx.twap || tx.hash === undefined || status === 'rejected') return []
    return [{ owner: tx.sender, params: tx.twap.params, twap: tx.twap.twap, txHash: tx.hash, status, blockNumber: tx.receipt?.blockNumber }]
  })
}

/** The EthFlow orders the node accepted, with where they ended up. */
export function createdEthFlowOrders(txs: readonly LoadTx[]): CreatedEthFlowOrder[] {
  return txs.flatMap((tx) => {
    const status = loadTxStatus(tx)
    if (tx.kind !== 'ethFlow' || !tx.ethFlow || tx.hash === undefined || status === 'rejected') return []
    return [{ sender: tx.sender, txHash: tx.hash, sellAmount: tx.ethFlow.order.sellAmount, orderUid: tx.ethFlow.orderUid, status, blockNumber: tx.receipt?.blockNumber }]
  })
}

/** Receipts per block, ascending. */
export function minedPerBlock(txs: readonly LoadTx[]): { block: bigint; mined: number; reverted: number }[] {
  const rows = new Map<bigint, { block: bigint; mined: number; reverted: number }>()
  for (const tx of txs) {
    if (!tx.receipt) continue
    const row = rows.get(tx.receipt.blockNumber) ?? { block: tx.receipt.blockNumber, mined: 0, reverted: 0 }
    if (tx.receipt.status === 'success') row.mined++
    else row.reverted++
    rows.set(row.block, row)
  }
  return [...rows.values()].sort((a, b) => (a.block < b.block ? -1 : a.block > b.block ? 1 : 0))
}

/** Rejections at send grouped by message (first line, 200 characters). */
export function groupRejections(txs: readonly LoadTx[]): Record<string, number> {
  const groups: Record<string, number> = {}
  for (const tx of txs) {
    if (tx.rejected === undefined) continue
    const key = tx.rejected.split('\n')[0]!.slice(0, 200)
    groups[key] = (groups[key] ?? 0) + 1
  }
  return groups
}
