import { maxUint256, numberToHex, type Address, type Hex } from 'viem'
import { forwarderOwnerArtifact } from '../contracts/artifacts/ForwarderOwner.ts'
import { sepoliaAddresses } from './addresses.ts'
import { allowanceSlot, balanceSlot, tokenLayout, uint256Word } from './tokenSlots.ts'

/** One JSON-RPC call (method and positional params), to send alone or in a batch. */
export type OwnerSetupCall = { method: string; params: unknown[] }

export type OwnerSetupCallsParameters = {
  owners: readonly Address[]
  /** The token the owners' orders sell (WETH9 or the COW double: their storage layouts are known). */
  sellToken: Address
  /** `balanceOf[owner]` is set to exactly this (not added to). */
  balance: bigint
  /** `allowance[owner][vaultRelayer]`. Default: unlimited, what wallets approve. */
  allowance?: bigint
  /** Place the ForwarderOwner runtime (an EIP-1271 owner) on each owner. Default true; false for a PreSign owner, which signs on chain and needs no code. */
  withCode?: boolean
  /** Default: the GPv2VaultRelayer, which the settlement pulls sell tokens through (and the orderbook checks allowance to). */
  spender?: Address
  /**
   * The WETH contract's ETH balance now. When the sell token is WETH and this is given, one more call
   * raises it by owners x balance: WETH9 pays withdrawals from its ETH, so written balances stay backed.
   */
  wethEthBalance?: bigint
}

/** The ForwarderOwner runtime: one copy serves every owner (no constructor, immutables or storage). */
export const forwarderOwnerRuntime: Hex = forwarderOwnerArtifact.deployedBytecode

/**
 * The Anvil calls that make `owners` look like real conditional-order owners to a strict orderbook:
 * code that answers EIP-1271 as composable-cow's ERC1271Forwarder (`anvil_setCode`), a sell-token
 * balance and an allowance to the vault relayer (`anvil_setStorageAt` on the token's mappings). No
 * transaction and no block: send them as one JSON-RPC batch (~3 calls per owner). With
 * `wethEthBalance`, WETH written this way is backed by ETH in the WETH contract, as a deposit would be.
 *
 * @example
 * const calls = ownerSetupCalls({ owners, sellToken: sepoliaAddresses.weth, balance: 10n ** 18n })
 * await Promise.all(calls.map((call) => client.request(call)))
 */
export function ownerSetupCalls(parameters: OwnerSetupCallsParameters): OwnerSetupCall[] {
  const { owners, sellToken, balance, allowance = maxUint256, withCode = true, spender = sepoliaAddresses.gpv2VaultRelayer, wethEthBalance } = parameters
  if (balance < 0n || allowance < 0n) throw new RangeError(`ownerSetupCalls: balance and allowance must be >= 0, got ${balance} and ${allowance}`)
  const layout = tokenLayout(sellToken)
  const calls = owners.flatMap((owner): OwnerSetupCall[] => [
    ...(withCode ? [{ method: 'anvil_setCode', params: [owner, forwarderOwnerRuntime] }] : []),
    { method: 'anvil_setStorageAt', params: [sellToken, balanceSlot(owner, layout.balanceOfSlot), uint256Word(balance)] },
    { method: 'anvil_setStorageAt', params: [sellToken, allowanceSlot(owner, spender, layout.allowanceSlot), uint256Word(allowance)] },
  ])
  if (wethEthBalance !== undefined && sellToken.toLowerCase() === sepoliaAddresses.weth.toLowerCase())
    calls.push({ method: 'anvil_setBalance', params: [sepoliaAddresses.weth, numberToHex(wethEthBalance + BigInt(owners.length) * balance)] })
  return calls
}
