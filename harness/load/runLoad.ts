import { toHex, type Address, type Hex } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { buildEthFlowCreate, buildTwapCreate, deriveSenders } from './buildLoadTx.ts'
import { collectReceipts, explainReverts } from './collectReceipts.ts'
import { buildLoadAppData, pickLoadAppData, registerLoadAppData, type LoadAppDataDocument } from './loadAppData.ts'
import { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions } from './loadOptions.ts'
import type { LoadResult, LoadTx } from './loadTypes.ts'
import { prepareLoadOwners } from './prepareLoadOwners.ts'
import { rpcBatch, rpcCall, type RpcCall } from './rpcBatch.ts'
import { countByKind, countBySender, countLoad, createdEthFlowOrders, createdTwaps, groupRejections, minedPerBlock } from './summarizeLoad.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

// topic0 of the events a successful create / createOrder always emits (protocol-facts.md).
const conditionalOrderCreatedTopic = '0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361'
const orderPlacementTopic = '0xcf5f9de2984132265203b5c335b25727702ca77262ff622e136baa7362bf1da9'

type SenderState = { index: number; address: Address; firstNonce: number; nonce: number; resync: boolean; tail: Promise<void> }

/**
 * Drives TWAP and EthFlow load against an Anvil node: W impersonated, funded senders (derived from
 * the seed), each sending N `ComposableCoW.create(params, true)` and M `EthFlow.createOrder` calls
 * per new block as ONE JSON-RPC batch, with nonces pinned locally (read once, then incremented; a
 * sender whose batch had a refusal re-reads its pending nonce before its next batch). Stops after
 * `blocks` new blocks, the wall-clock bound or `signal`, then waits (bounded) for every receipt.
 *
 * @example
 * import { runLoad } from './runLoad.ts'
 * const result = await runLoad({ rpcUrl: net.rpcUrl, senders: 10, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: 20 })
 * console.log(result.totals.mined, result.senders.map((s) => s.accepted - s.mined))
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const o = resolveLoadOptions(options)
  const started = performance.now()
  const senders = await prepareSenders(o)
  // Hashed once, registered before any order that names them exists on chain (as a client does).
  const appData = o.appData ? await buildLoadAppData() : []
  if (o.appData) {
    await registerLoadAppData({ orderbookUrl: o.appData.orderbookUrl, documents: appData })
    o.log(`load: appData mix registered at ${o.appData.orderbookUrl}: ${appData.map((d) => `${d.name} (${d.bytes} B)`).join(', ')}`)
  }
  const txs: LoadTx[] = []
  const drivenBlocks: LoadResult['drivenBlocks'] = []
  const startBlock = BigInt(hexString(await rpcCall(o.rpcUrl, 'eth_blockNumber'), 'eth_blockNumber'))
  let lastBlock = startBlock
  let stoppedBy: LoadResult['stoppedBy'] = 'blocks'
  o.log(`load: ${o.senders} senders x (${o.twapPerBlock} TWAP + ${o.ethFlowPerBlock} EthFlow) per block for ${o.blocks} blocks from block ${startBlock} (seed ${o.seed})`)

  while (drivenBlocks.length < o.blocks) {
    if (o.signal?.aborted) {
      stoppedBy = 'aborted'
      break
    }
    if (performance.now() - started > o.maxDurationMs) {
      stoppedBy = 'wallClock'
      break
    }
    await sleep(o.pollIntervalMs)
    let number: bigint
    let timestamp: bigint
    try {
      number = BigInt(hexString(await rpcCall(o.rpcUrl, 'eth_blockNumber'), 'eth_blockNumber'))
      if (number <= lastBlock) continue
      timestamp = await blockTimestamp(o.rpcUrl, number)
    } catch (error) {
      // A slow or briefly unreachable node: keep polling; the wall-clock bound ends the run.
      o.log(`load: polling the head failed (${errorMessage(error)}), retrying`)
      continue
    }
    lastBlock = number
    drivenBlocks.push({ block: number, timestamp, sent: o.senders * (o.twapPerBlock + o.ethFlowPerBlock) })
    // Each sender's batches go in order: nonces are assigned when its previous batch has answered.
    for (const sender of senders) sender.tail = sender.tail.then(() => sendBatch(o, sender, number, timestamp, txs, appData))
    if (drivenBlocks.length % 10 === 0 || drivenBlocks.length === o.blocks) o.log(`load: block ${number}, ${drivenBlocks.length}/${o.blocks} driven, ${txs.length} txs built`)
  }
  await Promise.all(senders.map((sender) => sender.tail))
  const durationMs = Math.round(performance.now() - started)

  const receiptWaitMs = await collectReceipts(o.rpcUrl, txs, {
    timeoutMs: o.receiptTimeoutMs,
    fromBlock: startBlock,
    successLogs: [
      { address: o.addresses.composableCow, topic0: conditionalOrderCreatedTopic },
      { address: o.addresses.ethFlow, topic0: orderPlacementTopic },
    ],
  })
  await explainReverts(o.rpcUrl, txs)
  const totals = countLoad(txs)
  o.log(`load: sent ${totals.sent}, accepted ${totals.accepted}, mined ${totals.mined}, reverted ${totals.reverted}, unconfirmed ${totals.unconfirmed}, rejected ${totals.rejected}`)
  return {
    rpcUrl: o.rpcUrl,
    seed: o.seed,
    startBlock,
    lastBlock,
    blocksDriven: drivenBlocks.length,
    stoppedBy,
    durationMs,
    receiptWaitMs,
    totals,
    byKind: countByKind(txs),
    senders: countBySender(senders.map((s) => ({ address: s.address, firstNonce: s.firstNonce, nextNonce: s.nonce })), txs),
    rejectionsByMessage: groupRejections(txs),
    reverts: txs.flatMap((tx) =>
      tx.receipt?.status === 'reverted' && tx.hash
        ? [{ hash: tx.hash, kind: tx.kind, sender: tx.sender, blockNumber: tx.receipt.blockNumber, reason: tx.revertReason ?? 'unknown' }]
        : [],
    ),
    appData,
    twaps: createdTwaps(txs),
    ethFlowOrders: createdEthFlowOrders(txs),
    drivenBlocks,
    minedPerBlock: minedPerBlock(txs),
  }
}

/** Impersonates and funds every sender, reads each pending nonce once, then makes each a real-looking owner (`prepareLoadOwners`). */
async function prepareSenders(o: ResolvedLoadOptions): Promise<SenderState[]> {
  const addresses = deriveSenders(o.seed, o.senders)
  const setup = await rpcBatch(
    o.rpcUrl,
    addresses.flatMap((address): RpcCall[] => [
      { method: 'anvil_impersonateAccount', params: [address] },
      { method: 'anvil_setBalance', params: [address, toHex(o.senderBalance)] },
    ]),
  )
  const failed = setup.find((outcome) => !outcome.ok)
  if (failed && !failed.ok)
    throw new ShepherdError('The node refused to impersonate or fund the load senders', {
      details: [`rpc: ${o.rpcUrl}`, `reason: ${failed.message}`],
      hint: 'The load generator needs Anvil (anvil_impersonateAccount, anvil_setBalance): start one with `shepherd devnet`.',
    })
  const counts = await rpcBatch(o.rpcUrl, addresses.map((address) => ({ method: 'eth_getTransactionCount', params: [address, 'pending'] })))
  const senders = addresses.map((address, i): SenderState => {
    const outcome = counts[i]!
    if (!outcome.ok) throw new ShepherdError('eth_getTransactionCount failed for a load sender', { details: [`sender: ${address}`, `reason: ${outcome.message}`] })
    const nonce = Number(BigInt(hexString(outcome.result, 'eth_getTransactionCount')))
    return { index: i, address, firstNonce: nonce, nonce, resync: false, tail: Promise.resolve() }
  })
  // Owners with code, funds and allowance, as a strict orderbook expects of real TWAP owners.
  if (o.ownerSetup) await prepareLoadOwners(o, senders)
  return senders
}

/** Builds and sends one sender's N + M transactions for a block as one batch; records every outcome. */
async function sendBatch(o: ResolvedLoadOptions, sender: SenderState, drivenBy: bigint, timestamp: bigint, txs: LoadTx[], appData: readonly LoadAppDataDocument[]): Promise<void> {
  if (sender.resync) {
    sender.nonce = Number(BigInt(hexString(await rpcCall(o.rpcUrl, 'eth_getTransactionCount', [sender.address, 'pending']), 'eth_getTransactionCount')))
    sender.resync = false
  }
  const batch: LoadTx[] = []
  for (let i = 0; i < o.twapPerBlock; i++) {
    const nonce = sender.nonce++
    const built = buildTwapCreate({ sender: sender.address, nonce, seed: o.seed, blockTimestamp: timestamp, shape: o.twap, addresses: o.addresses, ...documentFor(appData, nonce) })
    batch.push({ kind: 'twap', sender: sender.address, nonce, to: o.addresses.composableCow, data: built.data, value: 0n, gas: o.gas.twap, drivenBy, twap: { params: built.params, twap: built.twap } })
  }
  for (let i = 0; i < o.ethFlowPerBlock; i++) {
    const nonce = sender.nonce++
    const validTo = Number(timestamp) + o.ethFlowValiditySeconds
    const built = buildEthFlowCreate({ sender: sender.address, senderIndex: sender.index, nonce, baseAmount: o.ethFlowBaseAmount, addresses: o.addresses, validTo, ...documentFor(appData, nonce) })
    batch.push({ kind: 'ethFlow', sender: sender.address, nonce, to: o.addresses.ethFlow, data: built.data, value: built.value, gas: o.gas.ethFlow, drivenBy, ethFlow: { order: built.order, orderUid: built.orderUid } })
  }
  txs.push(...batch)
  const calls = batch.map((tx) => ({
    method: 'eth_sendTransaction',
    params: [
      {
        from: tx.sender,
        to: tx.to,
        data: tx.data,
        value: toHex(tx.value),
        gas: toHex(tx.gas),
        nonce: toHex(tx.nonce),
        maxFeePerGas: toHex(o.maxFeePerGas),
        maxPriorityFeePerGas: toHex(o.maxPriorityFeePerGas),
      },
    ],
  }))
  try {
    const outcomes = await rpcBatch(o.rpcUrl, calls)
    outcomes.forEach((outcome, i) => {
      const tx = batch[i]!
      if (outcome.ok && typeof outcome.result === 'string' && outcome.result.startsWith('0x')) tx.hash = outcome.result as Hex
      else {
        tx.rejected = outcome.ok ? `unexpected answer: ${JSON.stringify(outcome.result)}` : outcome.message
        sender.resync = true
      }
    })
  } catch (error) {
    for (const tx of batch) tx.rejected = errorMessage(error)
    sender.resync = true
  }
}

/** The appData of a sender's nonce-th order: the mix in turn, or nothing (the empty document) without one. */
function documentFor(appData: readonly LoadAppDataDocument[], nonce: number): { appData?: Hex } {
  return appData.length === 0 ? {} : { appData: pickLoadAppData(appData, nonce).hash }
}

async function blockTimestamp(url: string, number: bigint): Promise<bigint> {
  const block = await rpcCall(url, 'eth_getBlockByNumber', [toHex(number), false])
  const timestamp = typeof block === 'object' && block !== null ? (block as { timestamp?: unknown }).timestamp : undefined
  return BigInt(hexString(timestamp, 'eth_getBlockByNumber timestamp'))
}

function hexString(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]+$/.test(value)) throw new ShepherdError(`Unexpected ${what} answer`, { details: [`found: ${JSON.stringify(value)}`] })
  return value as Hex
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
