import { decodeErrorResult, isHex, toHex, type Abi, type Hex } from 'viem'
import { coWSwapEthFlowArtifact } from '../contracts/artifacts/CoWSwapEthFlow.ts'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { twapArtifact } from '../contracts/artifacts/TWAP.ts'
import type { LoadTx } from './loadTypes.ts'
import { rpcBatch } from './rpcBatch.ts'

const chunk = 500
const maxReplays = 100

/**
 * Fills `tx.receipt` for every accepted transaction, polling in batches until all have one or
 * `timeoutMs` passes. Returns how long it waited.
 *
 * @example
 * const waitedMs = await collectReceipts(url, txs, { timeoutMs: 30_000 })
 */
export async function collectReceipts(url: string, txs: readonly LoadTx[], options: { timeoutMs: number; intervalMs?: number }): Promise<number> {
  const started = performance.now()
  const deadline = started + options.timeoutMs
  for (;;) {
    const waiting = txs.filter((tx) => tx.hash !== undefined && tx.receipt === undefined)
    for (let i = 0; i < waiting.length; i += chunk) {
      const part = waiting.slice(i, i + chunk)
      const outcomes = await rpcBatch(url, part.map((tx) => ({ method: 'eth_getTransactionReceipt', params: [tx.hash] })))
      outcomes.forEach((outcome, j) => {
        const receipt = outcome.ok ? parseReceipt(outcome.result) : undefined
        if (receipt) part[j]!.receipt = receipt
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
  const { status, blockNumber, gasUsed } = value as { status?: unknown; blockNumber?: unknown; gasUsed?: unknown }
  if (typeof status !== 'string' || typeof blockNumber !== 'string' || typeof gasUsed !== 'string') return undefined
  return { status: status === '0x1' ? 'success' : 'reverted', blockNumber: BigInt(blockNumber), gasUsed: BigInt(gasUsed) }
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
