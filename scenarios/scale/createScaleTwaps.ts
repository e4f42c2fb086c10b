import { encodeFunctionData, toHex, type Address, type Hex } from 'viem'
import { forwarderOwnerArtifact } from '../../harness/contracts/artifacts/ForwarderOwner.ts'
import { sepoliaAddresses } from '../../harness/devnet/addresses.ts'
import { encodeTwapStaticInput } from '../../harness/twap/model.ts'
import { rpcBatch, rpcCall, type RpcCall } from '../../harness/load/rpcBatch.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import type { PlannedTwap } from './planScaleTwaps.ts'

/** topic0 of ComposableCoW `ConditionalOrderCreated(address indexed owner, (address,bytes32,bytes) params)`. */
export const conditionalOrderCreatedTopic: Hex = '0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361'
/** Creations per `createMany` transaction (~60k gas each: ~6M gas, ~100 kB of calldata). */
const perTx = 100
/** Gas allowed per creation inside `createMany` (Anvil packs blocks by each transaction's gas limit). */
const gasPerCreate = 70_000n
/** Bytes per JSON-RPC batch of transactions: Anvil refuses bodies over 2 MiB. */
const maxBatchBytes = 1_500_000

export type CreateScaleTwapsParameters = {
  rpcUrl: string
  composableCow: Address
  twaps: readonly PlannedTwap[]
  /** Next nonce of each owner (updated in place). */
  nonces: Map<Address, number>
  /** Timestamp of the latest block: creation blocks get the next seconds. */
  headTime: bigint
  /** Block gas limit of the devnet: bounds how many blocks the creations may take. */
  gasLimit: bigint
  /** Awaited after each creation block is mined (e.g. until a follower has ingested it); not counted in `ms`. */
  afterBlock?: (block: bigint) => Promise<void>
}

export type CreateScaleTwapsReturnType = {
  /** Blocks holding the creations (each mined with the next whole second). */
  firstBlock: bigint
  lastBlock: bigint
  /** ConditionalOrderCreated logs of ComposableCoW in those blocks: the ground truth, equal to the plan. */
  logs: number
  transactions: number
  /** From the first transaction sent to the last creation block mined and its logs counted, minus the time spent in `afterBlock`. */
  ms: number
  /** Timestamp of the last creation block. */
  lastTime: bigint
}

/**
 * Creates the planned TWAPs with real transactions: each owner (an impersonated account carrying
 * ForwarderOwner code) sends `createMany(params[])` to itself, which calls `ComposableCoW.create
 * (params, true)` once per TWAP, so every creation emits a real ConditionalOrderCreated naming the
 * owner. Transactions go round-robin over owners, in rounds whose gas fits one block (JSON-RPC
 * batches under 1.5 MB), one block mined per round (timestamps headTime + 1, + 2, ...),
 * `afterBlock` awaited after each. Checked against the chain:
 * the blocks must hold exactly one log per planned TWAP, or this throws.
 *
 * @example
 * const created = await createScaleTwaps({ rpcUrl, composableCow, twaps, nonces, headTime, gasLimit })
 */
export async function createScaleTwaps({ rpcUrl, composableCow, twaps, nonces, headTime, gasLimit, afterBlock }: CreateScaleTwapsParameters): Promise<CreateScaleTwapsReturnType> {
  const startedAt = performance.now()
  const byOwner = new Map<Address, PlannedTwap[]>()
  for (const twap of twaps) byOwner.set(twap.owner, [...(byOwner.get(twap.owner) ?? []), twap])
  // Round-robin over owners (each block holds many senders), nonces in order per owner.
  const chunks = [...byOwner].map(([owner, owned]) => ({ owner, chunks: Array.from({ length: Math.ceil(owned.length / perTx) }, (_, i) => owned.slice(i * perTx, (i + 1) * perTx)) }))
  const calls: Array<{ call: RpcCall; gas: bigint }> = []
  for (let i = 0; chunks.some((o) => i < o.chunks.length); i++) {
    for (const { owner, chunks: owned } of chunks) {
      const chunk = owned[i]
      if (!chunk) continue
      const params = chunk.map((t) => ({ handler: sepoliaAddresses.twap, salt: t.salt, staticInput: encodeTwapStaticInput(t.data) }))
      const data = encodeFunctionData({ abi: forwarderOwnerArtifact.abi, functionName: 'createMany', args: [params] })
      const nonce = nonces.get(owner) ?? 0
      nonces.set(owner, nonce + 1)
      const gas = BigInt(chunk.length) * gasPerCreate + 100_000n
      calls.push({ gas, call: { method: 'eth_sendTransaction', params: [{ from: owner, to: owner, data, gas: toHex(gas), nonce: toHex(nonce), maxFeePerGas: toHex(10n ** 12n), maxPriorityFeePerGas: '0x0' }] } })
    }
  }
  const send = async (round: readonly RpcCall[]) => {
    let batch: RpcCall[] = []
    let bytes = 0
    const flush = async () => {
      const outcomes = await rpcBatch(rpcUrl, batch, { timeoutMs: 120_000 })
      const refused = outcomes.find((outcome) => !outcome.ok)
      if (refused && !refused.ok) throw new ShepherdError('The devnet refused a createMany transaction', { details: [`rpc: ${rpcUrl}`, `reason: ${refused.message}`] })
      batch = []
      bytes = 0
    }
    for (const call of round) {
      const size = JSON.stringify(call.params).length
      if (batch.length > 0 && bytes + size > maxBatchBytes) await flush()
      batch.push(call)
      bytes += size
    }
    if (batch.length > 0) await flush()
  }

  // One block per round of transactions whose gas fits the block (Anvil left some of a larger pool
  // unmined without a trace: sent, never in a block, nonces ahead), then up to 3 blocks for leftovers.
  const firstBlock = BigInt((await rpcCall(rpcUrl, 'eth_blockNumber')) as Hex) + 1n
  let logs = 0
  let block = firstBlock - 1n
  let time = headTime
  let waited = 0
  const mineOne = async () => {
    time += 1n
    await rpcCall(rpcUrl, 'evm_setNextBlockTimestamp', [toHex(time)])
    await rpcCall(rpcUrl, 'anvil_mine', ['0x1'])
    block += 1n
    const found = (await rpcCall(rpcUrl, 'eth_getLogs', [{ fromBlock: toHex(block), toBlock: toHex(block), address: composableCow, topics: [conditionalOrderCreatedTopic] }])) as unknown[]
    logs += found.length
    if (afterBlock) {
      const waitStarted = performance.now()
      await afterBlock(block)
      waited += performance.now() - waitStarted
    }
  }
  const budget = (gasLimit * 9n) / 10n
  for (let next = 0; next < calls.length; ) {
    const round: RpcCall[] = []
    let gas = 0n
    while (next < calls.length && (round.length === 0 || gas + calls[next]!.gas <= budget)) {
      gas += calls[next]!.gas
      round.push(calls[next]!.call)
      next++
    }
    await send(round)
    await mineOne()
  }
  for (let extra = 0; extra < 3 && logs < twaps.length; extra++) await mineOne()
  if (logs !== twaps.length) {
    const reverted: string[] = []
    for (let b = firstBlock; b <= block && reverted.length < 3; b++) {
      const receipts = (await rpcCall(rpcUrl, 'eth_getBlockReceipts', [toHex(b)])) as Array<{ status: Hex; gasUsed: Hex; transactionHash: Hex }>
      for (const r of receipts) if (r.status === '0x0') reverted.push(`reverted: ${r.transactionHash} in block ${b}, gas used ${BigInt(r.gasUsed)}`)
    }
    const behind: string[] = []
    for (const [owner, next] of nonces) {
      const onChain = Number(BigInt((await rpcCall(rpcUrl, 'eth_getTransactionCount', [owner, 'latest'])) as Hex))
      if (onChain !== next && behind.length < 3) behind.push(`owner ${owner}: nonce ${onChain} on chain, ${next} expected`)
    }
    reverted.push(...behind)
    throw new ShepherdError('The creation blocks do not hold one ConditionalOrderCreated per planned TWAP', {
      details: [`blocks: ${firstBlock}-${block}`, `logs: ${logs}`, `planned: ${twaps.length}`, `transactions: ${calls.length}`, ...reverted],
      hint: 'A createMany reverted or was left in the pool: check the gas per creation and the block gas limit.',
    })
  }
  return { firstBlock, lastBlock: block, logs, transactions: calls.length, ms: performance.now() - startedAt - waited, lastTime: time }
}
