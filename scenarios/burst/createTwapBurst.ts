import { toHex, type Address, type Hex } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { sepoliaAddresses } from '../../harness/devnet/addresses.ts'
import type { ConditionalOrderParams } from '../../harness/devnet/helpers/createTwap.ts'
import { ownerSetupCalls } from '../../harness/devnet/ownerSetupCalls.ts'
import { buildTwapCreate, deriveSenders } from '../../harness/load/buildLoadTx.ts'
import { rpcBatch, rpcCall, type RpcCall } from '../../harness/load/rpcBatch.ts'

/** topic0 of ComposableCoW `ConditionalOrderCreated(address indexed owner, (address,bytes32,bytes) params)`. */
const conditionalOrderCreatedTopic = '0x2cceac5555b0ca45a3744ced542f54b56ad2eb45e521962372eef212a2cbf361'
/** Transactions per JSON-RPC batch: ~1.5 kB each, well under Anvil's 2 MiB body limit. */
const SEND_BATCH = 500

export type CreateTwapBurstParameters = {
  /** An Anvil started with manual mining (`--no-mining`) and a gas limit that holds `count` creates (~56k gas each). */
  rpcUrl: string
  count: number
  /** Every TWAP's t0: part 0 of all of them becomes tradeable in the first block at or after it. */
  t0: bigint
  /** Impersonated senders (each the owner of its TWAPs). Default 10. */
  senders?: number
  /** Senders and salts derive from it. Default 'burst'. */
  seed?: string
}

export type TwapBurst = {
  /** The block holding every create. */
  block: bigint
  /** Owner of each created TWAP, as the ConditionalOrderCreated logs name them. */
  owners: ReadonlySet<Address>
  /** ConditionalOrderCreated logs in `block`: the ground truth, equal to `count`. */
  created: number
  /** Each TWAP as sent: what a watcher polls with `getTradeableOrderWithSignature(owner, params, '0x', [])`. */
  twaps: ReadonlyArray<{ owner: Address; params: ConditionalOrderParams }>
}

/**
 * Creates `count` TWAPs in ONE block, all with the same t0: real `ComposableCoW.create(params, true)`
 * transactions from impersonated senders (pinned nonces, explicit gas, zero base fee), sent as
 * JSON-RPC batches to the pool and mined by one `anvil_mine`. Each TWAP has 2 parts of one hour,
 * so exactly one part per TWAP comes due at t0. Checked against the chain: the block must hold
 * `count` ConditionalOrderCreated logs, or this throws.
 *
 * @example
 * const burst = await createTwapBurst({ rpcUrl: net.rpcUrl, count: 3000, t0: now + 60n })
 */
export async function createTwapBurst({ rpcUrl, count, t0, senders = 10, seed = 'burst' }: CreateTwapBurstParameters): Promise<TwapBurst> {
  const accounts = deriveSenders(seed, senders)
  const setup = await rpcBatch(
    rpcUrl,
    accounts.flatMap((address): RpcCall[] => [
      { method: 'anvil_impersonateAccount', params: [address] },
      { method: 'anvil_setBalance', params: [address, toHex(10n ** 22n)] },
      { method: 'eth_getTransactionCount', params: [address, 'pending'] },
    ]),
  )
  const failed = setup.find((outcome) => !outcome.ok)
  if (failed && !failed.ok) throw new ShepherdError('The devnet refused to impersonate or fund the burst senders', { details: [`rpc: ${rpcUrl}`, `reason: ${failed.message}`] })
  const nonces = accounts.map((_, i) => Number(BigInt((setup[3 * i + 2] as { result: Hex }).result)))
  const { composableCow, twap, ethFlow, weth, cowToken } = sepoliaAddresses
  const shape = { n: 2, t: 3600, t0LagSeconds: 0, span: 0, partSellAmount: 10n ** 15n, minPartLimit: 1n }
  // Owners as a strict orderbook wants them (as the load generator makes them): ForwarderOwner code
  // for EIP-1271, WETH for every part they sell, an allowance to the vault relayer.
  const wethEthBalance = BigInt(String(await rpcCall(rpcUrl, 'eth_getBalance', [weth, 'latest'])))
  const balance = BigInt(Math.ceil(count / senders)) * BigInt(shape.n) * shape.partSellAmount
  const owned = await rpcBatch(rpcUrl, ownerSetupCalls({ owners: accounts, sellToken: weth, balance, wethEthBalance }))
  const unowned = owned.find((outcome) => !outcome.ok)
  if (unowned && !unowned.ok) throw new ShepherdError('The devnet refused to give the burst owners code, WETH or an allowance', { details: [`rpc: ${rpcUrl}`, `reason: ${unowned.message}`] })

  const calls: RpcCall[] = []
  const twaps: Array<{ owner: Address; params: ConditionalOrderParams }> = []
  for (let i = 0; i < count; i++) {
    const s = i % senders
    const sender = accounts[s]!
    const nonce = nonces[s]!++
    const { data, params } = buildTwapCreate({ sender, nonce, seed, blockTimestamp: t0, shape, addresses: { composableCow, twap, ethFlow, weth, cowToken } })
    twaps.push({ owner: sender, params })
    calls.push({
      method: 'eth_sendTransaction',
      params: [{ from: sender, to: composableCow, data, gas: toHex(90_000n), nonce: toHex(nonce), maxFeePerGas: toHex(10n ** 12n), maxPriorityFeePerGas: '0x0' }],
    })
  }
  for (let i = 0; i < calls.length; i += SEND_BATCH) {
    const outcomes = await rpcBatch(rpcUrl, calls.slice(i, i + SEND_BATCH))
    const refused = outcomes.find((outcome) => !outcome.ok)
    if (refused && !refused.ok) throw new ShepherdError('The devnet refused a burst create transaction', { details: [`rpc: ${rpcUrl}`, `reason: ${refused.message}`] })
  }
  await rpcCall(rpcUrl, 'anvil_mine', ['0x1'])
  const block = BigInt((await rpcCall(rpcUrl, 'eth_blockNumber')) as Hex)
  const logs = (await rpcCall(rpcUrl, 'eth_getLogs', [{ fromBlock: toHex(block), toBlock: toHex(block), address: composableCow, topics: [conditionalOrderCreatedTopic] }])) as Array<{ topics: Hex[] }>
  if (logs.length !== count)
    throw new ShepherdError('The burst block does not hold every create', {
      details: [`block: ${block}`, `ConditionalOrderCreated logs: ${logs.length}`, `expected: ${count}`],
      hint: 'Start the devnet with a gas limit that holds them all (~56k gas per create) and manual mining.',
    })
  const owners = new Set(logs.map((log) => `0x${log.topics[1]!.slice(26)}`.toLowerCase() as Address))
  return { block, owners, created: logs.length, twaps }
}
