import type { Address } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'
import { ownerSetupCalls } from '../devnet/ownerSetupCalls.ts'
import type { ResolvedLoadOptions } from './loadOptions.ts'
import { rpcBatch, rpcCall } from './rpcBatch.ts'

export type LoadOwnerSellNeedParameters = Pick<ResolvedLoadOptions, 'blocks' | 'twapPerBlock' | 'ethFlowPerBlock' | 'twap'> & {
  /** The sender's first nonce of this run: partSellAmount grows by the nonce (buildTwapCreate). */
  firstNonce: number
}

/**
 * The most a load sender's TWAPs can sell in one run: at most blocks x twapPerBlock TWAPs, each of
 * n parts of partSellAmount + nonce, with every nonce below firstNonce + blocks x (N + M). The owner
 * is given at least this, so no part is ever refused for its balance.
 *
 * @example
 * loadOwnerSellNeed({ blocks: 10, twapPerBlock: 3, ethFlowPerBlock: 3, twap, firstNonce: 0 })
 */
export function loadOwnerSellNeed({ blocks, twapPerBlock, ethFlowPerBlock, twap, firstNonce }: LoadOwnerSellNeedParameters): bigint {
  const maxTwaps = BigInt(blocks * twapPerBlock)
  const maxNonce = BigInt(firstNonce + blocks * (twapPerBlock + ethFlowPerBlock))
  return maxTwaps * BigInt(twap.n) * (twap.partSellAmount + maxNonce)
}

/** Owners per batch: a ForwarderOwner runtime is ~4.9 kB of hex, and Anvil refuses bodies over 2 MiB. */
const ownersPerBatch = 100

/**
 * Makes every load sender look like a real TWAP owner before the first order exists: the
 * ForwarderOwner code (EIP-1271 via ComposableCoW, as composable-cow's ERC1271Forwarder), a WETH
 * balance of `loadOwnerSellNeed` and an unlimited allowance to the vault relayer, all by
 * `anvil_setCode` / `anvil_setStorageAt` in JSON-RPC batches (no transaction, no block). Returns
 * the balance each sender was given.
 *
 * @example
 * const balances = await prepareLoadOwners(options, [{ address, firstNonce: 0 }])
 */
export async function prepareLoadOwners(o: ResolvedLoadOptions, senders: readonly { address: Address; firstNonce: number }[]): Promise<bigint[]> {
  const sellToken = o.addresses.weth
  const isWeth = sellToken.toLowerCase() === sepoliaAddresses.weth.toLowerCase()
  let wethEthBalance = isWeth ? BigInt(String(await rpcCall(o.rpcUrl, 'eth_getBalance', [sellToken, 'latest']))) : undefined
  const balances = senders.map((s) => loadOwnerSellNeed({ ...o, firstNonce: s.firstNonce }))
  for (let start = 0; start < senders.length; start += ownersPerBatch) {
    const chunk = senders.slice(start, start + ownersPerBatch)
    // One balance per chunk (the largest): the calls builder sets one amount for all its owners.
    const balance = balances.slice(start, start + ownersPerBatch).reduce((a, b) => (a > b ? a : b), 0n)
    for (let i = start; i < start + chunk.length; i++) balances[i] = balance
    const calls = ownerSetupCalls({ owners: chunk.map((s) => s.address), sellToken, balance, wethEthBalance })
    const outcomes = await rpcBatch(o.rpcUrl, calls)
    const failed = outcomes.find((outcome) => !outcome.ok)
    if (failed && !failed.ok)
      throw new ShepherdError('The node refused to give the load owners code, balance or allowance', {
        details: [`rpc: ${o.rpcUrl}`, `sell token: ${sellToken}`, `reason: ${failed.message}`],
        hint: 'The load generator needs Anvil (anvil_setCode, anvil_setStorageAt) and a sell token whose storage layout is known (WETH9 or the COW double): pass ownerSetup: false otherwise.',
      })
    if (wethEthBalance !== undefined) wethEthBalance += BigInt(chunk.length) * balance
  }
  o.log(`load: ${senders.length} owners given ForwarderOwner code, ${balances[0] ?? 0n} wei of ${sellToken} and an unlimited allowance to the vault relayer`)
  return balances
}
