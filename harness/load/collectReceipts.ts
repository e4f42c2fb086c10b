import { decodeErrorResult, isHex, toHex, type Abi, type Address, type Hex } from 'viem'
import { coWSwapEthFlowArtifact } from '../contracts/artifacts/CoWSwapEthFlow.ts'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { twapArtifact } from '../contracts/artifacts/TWAP.ts'
import type { LoadTx } from './loadTypes.ts'
import { rpcBatch, rpcCall } from './rpcBatch.ts'

const chunk = 500
const logRange = 10n
const maxReplays = 100

/** A log every successful load tx of a kind emits: how a success is confirmed without its receipt. */
export type SuccessLog = { address: Address; topic0: Hex }

export type CollectReceiptsOptions = {
  timeoutMs: number
  intervalMs?: number
  /** Last block before the first send: logs are read from the next one. */
  fromBlock: bigint
  /** ComposableCoW's ConditionalOrderCreated and EthFlow's OrderPlacement. */
  successLogs: readonly SuccessLog[]
}

/**
 * Fills `tx.receipt` (status and block) for every accepted transaction, polling until all have
 * one or `timeoutMs` passes; returns how long it waited. Anvil computes receipts slowly for big
 * blocks (~3.6 ms each with 500-tx blocks: 10,000 took 26 s), so successes are read from the logs
 * every successful load tx emits (eth_getLogs, cheap), and only the rest go through
 * eth_getTransactionByHash and, once mined, eth_getTransactionReceipt (the reverts).
 *
 * @example
 * const waitedMs = await collectReceipts(url, txs, { timeoutMs: 30_000, fromBlock, successLogs })
 */
export async function collectReceipts(url: string, txs: readonly LoadTx[], options: CollectReceiptsOptions): Promise<number> {
  const started = performance.now()
  const deadline = started + options.timeoutMs
  const minedBy = new Map<string, bigint>()
  let scannedTo = options.fromBlock
  const addresses = [...new Set(options.successLogs.map((l) => l.address.toLowerCase()))]
  const topics = [[...new Set(options.successLogs.map((l) => l.topic0))]]
  for (;;) {
    const head = BigInt(String(await rpcCall(url, 'eth_blockNumber')))
    // One range per request: a busy block holds ~1,000 logs of ~1.2 kB, so answers stay a few MB.
    for (let from = scannedTo + 1n; from <= head; from += logRange) {
      const to = from + logRange - 1n < head ? from + logRange - 1n : head
      const [outcome] = await rpcBatch(url, [{ method: 'eth_getLogs', params: [{ address: addresses, topics, fromBlock: toHex(from), toBlock: toHex(to) }] }])
      if (!outcome?.ok) break // retried next round from here
      for (const log of Array.isArray(outcome.result) ? outcome.result : []) {
        const { transactionHash, blockNumber } = (log ?? {}) as { transactionHash?: unknown; blockNumber?: unknown }
        if (typeof transactionHash === 'string' && typeof blockNumber === 'string') minedBy.set(transactionHash.toLowerCase(), BigInt(blockNumber))
      }
      scannedTo = to
    }
    const waiting: LoadTx[] = []
    for (const tx of txs) {
      if (tx.hash === undefined || tx.receipt !== undefined) continue
      const block = minedBy.get(tx.hash.toLowerCase())
      if (block !== undefined) tx.receipt = { status: 'success', blockNumber: block }
      else waiting.push(tx)
    }
    // Not in the success logs: still pending, evicted, or mined and reverted. Only the last need a receipt.
    for (let i = 0; i < waiting.length; i += chunk) {
      const part = waiting.slice(i, i + chunk)
      const found = await rpcBatch(url, part.map((tx) => ({ method: 'eth_getTransactionByHash', params: [tx.hash] })))
      const mined = part.filter((_, j) => {
        const outcome = found[j]!
        const block = outcome.ok && typeof outcome.result === 'object' && outcome.result !== null ? (outcome.result as { blockNumber?: unknown }).blockNumber : undefined
        return typeof block === 'string' && BigInt(block) <= scannedTo
      })
      const receipts = await rpcBatch(url, mined.map((tx) => ({ method: 'eth_getTransactionReceipt', params: [tx.hash] })))
      receipts.forEach((outcome, j) => {
        const receipt = outcome.ok ? parseReceipt(outcome.result) : undefined
        if (receipt) mined[j]!.receipt = receipt
      })
    }
    if (txs.every((tx) => tx.hash === undefined || tx.receipt !== undefined)) break
    if (performance.now() >= deadline) break
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250))
  }
  return Math.round(performance.now() - started)
}

function parseReceipt(value: unknown): LoadTx['receipt'] {
  if (typeof value !== 'object' || value === null) return undefined
  const { status, blockNumber } = value as { status?: unknown; blockNumber?: unknown }
  if (typeof status !== 'string' || typeof blockNumber !== 'string') return undefined
  return { status: status === '0x1' ? 'success' : 'reverted', blockNumber: BigInt(blockNumber) }
}

// The errors any load transaction can raise: ComposableCoW, the TWAP handler's validation, EthFlow.
const errorAbi = [...composableCoWArtifact.abi, ...twapArtifact.abi, ...coWSwapEthFlowArtifact.abi].filter((item) => item.type === 'error') as Abi

/**
 * Sets `revertReason` on reverted transactions by replaying them with eth_call at their block
 * (the first 100; the rest say they were not replayed) and decoding the revert data.
 *
 * @example
 * await explainReverts(url, txs)
 */
export async function explainReverts(url: string, txs: readonly LoadTx[]): Promise<void> {
  const reverted = txs.filter((tx) => tx.receipt?.status === 'reverted')
  const replayed = reverted.slice(0, maxReplays)
  for (const tx of reverted.slice(maxReplays)) tx.revertReason = 'not replayed (only the first 100 reverts are)'
  const outcomes = await rpcBatch(
    url,
    replayed.map((tx) => ({
      method: 'eth_call',
      params: [{ from: tx.sender, to: tx.to, data: tx.data, value: toHex(tx.value), gas: toHex(tx.gas) }, toHex(tx.receipt!.blockNumber)],
    })),
  )
  outcomes.forEach((outcome, i) => {
    const tx = replayed[i]!
    tx.revertReason = outcome.ok ? 'replay at its block did not revert (the reason depended on an earlier tx in the block)' : decodeRevert(outcome.message, outcome.data)
  })
}

/**
 * Turns a node's revert answer into a readable reason: the custom error by name with its
 * arguments, `Error(string)` as its text, else the node's message.
 *
 * @example
 * decodeRevert('execution reverted', '0x8b6ebb4d') // 'IncorrectEthAmount()'
 */
export function decodeRevert(message: string, data: unknown): string {
  const hex = typeof data === 'string' ? data : typeof data === 'object' && data !== null ? (data as { data?: unknown }).data : undefined
  if (typeof hex !== 'string' || !isHex(hex) || hex.length < 10) return message
  try {
    const { errorName, args } = decodeErrorResult({ abi: errorAbi, data: hex as Hex })
    return `${errorName}(${(args ?? []).map((arg) => (typeof arg === 'string' ? JSON.stringify(arg) : String(arg))).join(', ')})`
  } catch {
    return `${message} (data ${hex.slice(0, 74)})`
  }
}
