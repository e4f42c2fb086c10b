import { concatHex, encodeAbiParameters, encodeFunctionData, keccak256, type Address, type Hex, type PublicClient } from 'viem'
import { composableCowAbi, erc20Abi, ethFlowAbi } from '../devnet/abis.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'
import type { GPv2OrderData } from '../../modules/sdk/orders/gpv2Order.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { CreatedTwap, LoadResult } from './loadTypes.ts'

/** The real orderbook's default validity bounds (services `OrderValidationConfig`): min 1 min, limit orders at most 1 year. */
export const strictValidity = { minSeconds: 60, maxLimitSeconds: 31_536_000 } as const

/** `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`: what EIP-1271 answers for a valid signature. */
export const eip1271MagicValue = '0x1626ba7e'

const isValidSignatureAbi = [
  {
    type: 'function',
    name: 'isValidSignature',
    stateMutability: 'view',
    inputs: [{ name: 'hash', type: 'bytes32' }, { name: 'signature', type: 'bytes' }],
    outputs: [{ name: '', type: 'bytes4' }],
  },
] as const

const orderTypeHash: Hex = '0xd5a25ba2e97094ad7d83dc28a6572da797d6b3e7fc6663bd93efb789fc17e489'

export type { GPv2OrderData }

/**
 * EIP-712 digest of a GPv2 order (keccak256("\x19\x01" ‖ separator ‖ structHash)), computed here on
 * its own so the check does not trust the contracts it checks.
 *
 * @example
 * gpv2OrderDigest(order, sepoliaDomainSeparator)
 */
export function gpv2OrderDigest(order: GPv2OrderData, separator: Hex): Hex {
  const struct = keccak256(
    encodeAbiParameters(
      ['bytes32', 'address', 'address', 'address', 'uint256', 'uint256', 'uint32', 'bytes32', 'uint256', 'bytes32', 'bool', 'bytes32', 'bytes32'].map((type) => ({ type })),
      [orderTypeHash, order.sellToken, order.buyToken, order.receiver, order.sellAmount, order.buyAmount, order.validTo, order.appData, order.feeAmount, order.kind, order.partiallyFillable, order.sellTokenBalance, order.buyTokenBalance],
    ),
  )
  return keccak256(concatHex(['0x1901', separator, struct]))
}

/**
 * Why the real orderbook would refuse an order valid until `validTo` at chain time `now`, or
 * undefined: expired or closer than `strictValidity.minSeconds` (InsufficientValidTo), or beyond the
 * limit-order horizon (ExcessiveValidTo).
 *
 * @example
 * validToProblem(1_700_000_100, 1_700_000_000n) // undefined
 */
export function validToProblem(validTo: number, now: bigint, bounds: { minSeconds: number; maxLimitSeconds: number } = strictValidity): string | undefined {
  const ahead = validTo - Number(now)
  if (ahead < bounds.minSeconds) return `InsufficientValidTo: validTo ${validTo} is ${ahead} s after chain time ${now} (need >= ${bounds.minSeconds} s)`
  if (ahead > bounds.maxLimitSeconds) return `ExcessiveValidTo: validTo ${validTo} is ${ahead} s after chain time ${now} (at most ${bounds.maxLimitSeconds} s)`
  return undefined
}

/** What the strict check found for one order: empty `problems` means the real orderbook's checks pass. */
export type StrictOrderVerdict = { kind: 'twap' | 'ethFlow'; owner: Address; ref: Hex; problems: string[] }

export type CheckStrictOrdersParameters = {
  /** Any viem client with the public actions (a devnet's `client` does). */
  client: Pick<PublicClient, 'getBlock' | 'readContract' | 'getCode' | 'call'>
  load: Pick<LoadResult, 'twaps' | 'ethFlowOrders'>
  /** How many TWAPs and EthFlow orders to check (the first ones). Default 10 each. */
  sample?: number
  /** Validity bounds. Default `strictValidity` (the service's defaults). */
  validity?: { minSeconds: number; maxLimitSeconds: number }
  addresses?: { settlement: Address; vaultRelayer: Address; composableCow: Address; ethFlow: Address }
}

/**
 * Reads the chain at head and checks, for a sample of load-generated orders, what the real orderbook
 * checks before it accepts an order: for a TWAP, the part a watcher would post now
 * (`getTradeableOrderWithSignature`): the owner has code, its `isValidSignature(digest, signature)`
 * answers 0x1626ba7e (called from the settlement), its sell-token balance covers the part and every
 * part of its TWAPs, its allowance to the vault relayer covers the part, and validTo is within the
 * service's bounds; for an EthFlow order, the user validTo bounds and the EthFlow contract's WETH
 * allowance to the vault relayer.
 *
 * @example
 * const verdicts = await checkStrictOrders({ client: net.client, load: result })
 * expect(verdicts.flatMap((v) => v.problems)).toEqual([])
 */
export async function checkStrictOrders(parameters: CheckStrictOrdersParameters): Promise<StrictOrderVerdict[]> {
  const { client, load, sample = 10, validity = strictValidity } = parameters
  const addresses = parameters.addresses ?? {
    settlement: sepoliaAddresses.gpv2Settlement,
    vaultRelayer: sepoliaAddresses.gpv2VaultRelayer,
    composableCow: sepoliaAddresses.composableCow,
    ethFlow: sepoliaAddresses.ethFlow,
  }
  const head = await client.getBlock()
  const separator = await client.readContract({ address: addresses.composableCow, abi: composableCowAbi, functionName: 'domainSeparator', blockNumber: head.number })
  const mined = load.twaps.filter((t) => t.status === 'mined')
  const verdicts: StrictOrderVerdict[] = []
  for (const twap of mined.slice(0, sample)) verdicts.push(await checkTwap(client, twap, mined, head, separator, validity, addresses))
  for (const order of load.ethFlowOrders.filter((o) => o.status === 'mined').slice(0, sample)) {
    const problems: string[] = []
    const [, validTo] = await client.readContract({ address: addresses.ethFlow, abi: ethFlowAbi, functionName: 'orders', args: [order.orderUid.slice(0, 66) as Hex], blockNumber: head.number })
    const bad = validToProblem(validTo, head.timestamp, validity)
    if (bad) problems.push(`user ${bad}`)
    const weth = sepoliaAddresses.weth
    const allowance = await client.readContract({ address: weth, abi: erc20Abi, functionName: 'allowance', args: [addresses.ethFlow, addresses.vaultRelayer], blockNumber: head.number })
    if (allowance < order.sellAmount) problems.push(`InsufficientAllowance: EthFlow's WETH allowance to the vault relayer is ${allowance} < ${order.sellAmount}`)
    verdicts.push({ kind: 'ethFlow', owner: addresses.ethFlow, ref: order.orderUid, problems })
  }
  return verdicts
}

async function checkTwap(
  client: CheckStrictOrdersParameters['client'],
  twap: CreatedTwap,
  all: readonly CreatedTwap[],
  head: { number: bigint; timestamp: bigint },
  separator: Hex,
  validity: { minSeconds: number; maxLimitSeconds: number },
  addresses: { settlement: Address; vaultRelayer: Address; composableCow: Address },
): Promise<StrictOrderVerdict> {
  const problems: string[] = []
  const owner = twap.owner
  let order: GPv2OrderData
  let signature: Hex
  try {
    ;[order, signature] = await client.readContract({
      address: addresses.composableCow,
      abi: composableCowAbi,
      functionName: 'getTradeableOrderWithSignature',
      args: [owner, twap.params, '0x', []],
      blockNumber: head.number,
    })
  } catch (error) {
    // ComposableCoW (the deployed contract and our double alike) reverts for an owner without code:
    // say so, and judge the funds from the TWAP's own terms, as the orderbook would for its parts.
    const code = await client.getCode({ address: owner, blockNumber: head.number })
    if (code && code !== '0x') return { kind: 'twap', owner, ref: twap.txHash, problems: [`no tradeable part at head: ${errorMessage(error).split('\n')[0]}`] }
    problems.push('InvalidEip1271Signature: the owner has no code (an EOA cannot answer isValidSignature; ComposableCoW reverts for it)')
    problems.push(...(await fundsProblems(client, owner, twap.twap.sellToken, twap.twap.partSellAmount, all, addresses, head)))
    return { kind: 'twap', owner, ref: twap.txHash, problems }
  }
  const digest = gpv2OrderDigest(order, separator)
  const code = await client.getCode({ address: owner, blockNumber: head.number })
  if (!code || code === '0x') problems.push('InvalidEip1271Signature: the owner has no code (an EOA cannot answer isValidSignature)')
  else {
    try {
      const { data } = await client.call({
        account: addresses.settlement,
        to: owner,
        data: encodeIsValidSignature(digest, signature),
        blockNumber: head.number,
      })
      const magic = data?.slice(0, 10)
      if (magic !== eip1271MagicValue) problems.push(`InvalidEip1271Signature: isValidSignature answered ${data ?? 'nothing'}`)
    } catch (error) {
      problems.push(`InvalidEip1271Signature: isValidSignature reverted: ${errorMessage(error).split('\n')[0]}`)
    }
  }
  problems.push(...(await fundsProblems(client, owner, order.sellToken, order.sellAmount, all, addresses, head)))
  const bad = validToProblem(order.validTo, head.timestamp, validity)
  if (bad) problems.push(bad)
  return { kind: 'twap', owner, ref: twap.txHash, problems }
}

/** The balance and allowance problems of a part selling `sellAmount` of `sellToken`, read at the head. */
async function fundsProblems(
  client: CheckStrictOrdersParameters['client'],
  owner: Address,
  sellToken: Address,
  sellAmount: bigint,
  all: readonly CreatedTwap[],
  addresses: { vaultRelayer: Address },
  head: { number: bigint },
): Promise<string[]> {
  const problems: string[] = []
  const [balance, allowance] = await Promise.all([
    client.readContract({ address: sellToken, abi: erc20Abi, functionName: 'balanceOf', args: [owner], blockNumber: head.number }),
    client.readContract({ address: sellToken, abi: erc20Abi, functionName: 'allowance', args: [owner, addresses.vaultRelayer], blockNumber: head.number }),
  ])
  if (balance < sellAmount) problems.push(`InsufficientBalance: ${balance} < part sellAmount ${sellAmount}`)
  // Stronger than the service (which checks one order): every part of every TWAP of this owner can be paid.
  const ownerTotal = all.filter((t) => t.owner === owner && t.twap.sellToken === sellToken).reduce((sum, t) => sum + t.twap.n * t.twap.partSellAmount, 0n)
  if (balance < ownerTotal) problems.push(`balance ${balance} < ${ownerTotal}, what all the owner's TWAP parts sell`)
  if (allowance < sellAmount) problems.push(`InsufficientAllowance: ${allowance} < part sellAmount ${sellAmount}`)
  return problems
}

function encodeIsValidSignature(digest: Hex, signature: Hex): Hex {
  return encodeFunctionData({ abi: isValidSignatureAbi, functionName: 'isValidSignature', args: [digest, signature] })
}
