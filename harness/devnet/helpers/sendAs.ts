import { parseEther, type Address, type Hex, type TransactionReceipt } from 'viem'
import type { DevnetClient } from '../createDevnetClient.ts'
import { DevnetError } from '../DevnetError.ts'
import { getMiningMode } from './miningMode.ts'
import { errorMessage } from '../../../modules/sdk/errors/errorMessage.ts'

/** Options every write helper takes. */
export type WriteOptions = {
  /**
   * Wait for the receipt. Default: yes when blocks come by themselves (interval or auto mining),
   * no on a manual-mining devnet (the tx waits in the pool until `mine()`).
   */
  wait?: boolean
  /** Mine one block right after sending, then return the receipt (handy on a manual-mining devnet). */
  mine?: boolean
  /** Default 100 gwei: far above any base fee a devnet reaches, so Anvil never evicts the tx. */
  maxFeePerGas?: bigint
  gas?: bigint
  nonce?: number
}

/** What a write helper returns: the hash always, the receipt when it waited or mined. */
export type WriteResult = { hash: Hex; receipt: TransactionReceipt | undefined }

export type SendAsParameters = WriteOptions & { from: Address; to: Address; data?: Hex; value?: bigint; label?: string }

const defaultMaxFee = parseEther('100', 'gwei')
const reserveGas = 3_000_000n

/**
 * Sends a transaction as `from` (impersonated, so any address works). An account that could not pay
 * `value` plus the fee cap for 3M gas is topped up to exactly that, since Anvil checks the worst case.
 *
 * @example
 * const { hash, receipt } = await sendAs(client, { from: owner, to: weth, data, value: 10n ** 18n })
 */
export async function sendAs(client: DevnetClient, parameters: SendAsParameters): Promise<WriteResult> {
  const { from, to, data, value = 0n, maxFeePerGas = defaultMaxFee, gas, nonce, label } = parameters
  const needed = value + (gas ?? reserveGas) * maxFeePerGas
  const [balance, mode] = await Promise.all([
    client.getBalance({ address: from }),
    parameters.wait === undefined && !parameters.mine ? getMiningMode(client) : Promise.resolve(undefined),
    client.impersonateAccount({ address: from }),
  ])
  if (balance < needed) await client.setBalance({ address: from, value: needed })

  let hash: Hex
  try {
    hash = await client.sendTransaction({ account: from, chain: null, to, data, value, gas, nonce, maxFeePerGas, maxPriorityFeePerGas: 0n })
  } catch (cause) {
    throw new DevnetError(`${label ?? 'Transaction'} was refused`, {
      cause,
      details: [`from: ${from}`, `to: ${to}`, `reason: ${errorMessage(cause)}`],
      action: 'drop',
    })
  }
  if (parameters.mine) await client.mine({ blocks: 1 })
  const wait = parameters.mine || (parameters.wait ?? mode !== 'manual')
  if (!wait) return { hash, receipt: undefined }
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 25 })
  if (receipt.status !== 'success')
    throw new DevnetError(`${label ?? 'Transaction'} reverted`, { details: [`from: ${from}`, `to: ${to}`, `tx: ${hash}`], action: 'drop' })
  return { hash, receipt }
}
