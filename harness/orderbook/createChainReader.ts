import {
  createPublicClient,
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  http,
  multicall3Abi,
  type Address,
  type Hex,
} from 'viem'
import { GPV2_SETTLEMENT } from './computeStubOrderUid.ts'

/** GPv2VaultRelayer, created by the settlement's constructor (same address on Sepolia and mainnet). */
export const GPV2_VAULT_RELAYER: Address = '0xC92E8bdf79f0507f65a392b0ab4667716BFE0110'
/** Multicall3, at the same address on every chain (the devnet places it there). */
export const MULTICALL3: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

const EIP1271_MAGIC = '0x1626ba7e'
/** The amounts the service's transfer simulation tries, in order (1 atom of spam protection, then 10 and 100). */
export const TRANSFER_PROBE_AMOUNTS = [1n, 10n, 100n] as const

const eip1271Abi = [
  { type: 'function', name: 'isValidSignature', stateMutability: 'view', inputs: [{ type: 'bytes32' }, { type: 'bytes' }], outputs: [{ type: 'bytes4' }] },
] as const
const preSignatureAbi = [
  { type: 'function', name: 'preSignature', stateMutability: 'view', inputs: [{ type: 'bytes' }], outputs: [{ type: 'uint256' }] },
] as const

/** What one order post needs from the chain. */
export type OrderChainQuery = {
  owner: Address
  sellToken: Address
  uid: Hex
  /** The order digest (EIP-712 hash) and signature, for `isValidSignature`; only for eip1271 orders. */
  eip1271?: { digest: Hex; signature: Hex }
  /** Read `preSignature(uid)` on the settlement. */
  presign?: boolean
  /** Read balance, allowance and simulate the transfers (skipped when no funds check is on). */
  funds?: boolean
}

/**
 * The chain's answers at the head, all from one `eth_call` (so they belong to one block).
 * `undefined` fields were not asked for; `null` means the call answered something undecodable
 * (no code at the token, say).
 */
export type OrderChainFacts = {
  /** The head block's timestamp, seconds: the stub's "now" for `validTo`. */
  timestamp: bigint
  eip1271Valid?: boolean
  presigned?: boolean
  balance?: bigint | null
  /** Allowance of the owner to the vault relayer. */
  allowance?: bigint | null
  /** Whether `transferFrom(owner, settlement, amount)` sent by the vault relayer succeeds, per `TRANSFER_PROBE_AMOUNTS`. */
  transfers?: readonly boolean[]
}

/** Reads what the stub's checks need from a node. */
export type ChainReader = {
  readonly rpcUrl: string
  /** One `eth_call` at the head for one order's facts. */
  readOrder(query: OrderChainQuery): Promise<OrderChainFacts>
  /** `preSignature(uid) != 0` on the settlement for each UID (one `eth_call`). */
  readPresignatures(uids: readonly Hex[]): Promise<boolean[]>
  /** Number of `eth_call`s sent so far (for tests and benches). */
  readonly calls: number
}

export type CreateChainReaderParameters = {
  /** JSON-RPC URL of the node the engine reads (the devnet's own URL, not a fault proxy in front of it). */
  rpcUrl: string
  settlement?: Address
  vaultRelayer?: Address
  /** Where the Multicall3 code is read from once (`eth_getCode`). Default the canonical address. */
  multicall3?: Address
}

/**
 * A chain reader for the orderbook stub's checks: a viem public client (`cacheTime: 0`, requests of
 * one tick sent as one JSON-RPC batch) over the node's RPC URL. Each order costs one `eth_call` at
 * the head: Multicall3 `aggregate3` run **at the vault relayer's address** (its code replaced by
 * Multicall3's, read once from the chain, for that call only), so the simulated
 * `transferFrom(owner, settlement, amount)` is sent by the relayer, as the settlement sends it in a
 * trade. Balance, allowance, `isValidSignature`, `preSignature` and the head's timestamp ride in the
 * same call, so all facts come from one block.
 *
 * @example
 * const chain = createChainReader({ rpcUrl: devnet.rpcUrl })
 * const facts = await chain.readOrder({ owner, sellToken, uid, funds: true })
 * facts.balance // the owner's sell-token balance at the head
 */
export function createChainReader(parameters: CreateChainReaderParameters): ChainReader {
  const settlement = parameters.settlement ?? GPV2_SETTLEMENT
  const relayer = parameters.vaultRelayer ?? GPV2_VAULT_RELAYER
  const client = createPublicClient({ transport: http(parameters.rpcUrl, { batch: { wait: 0 }, retryCount: 0 }), cacheTime: 0 })
  let multicallCode: Promise<Hex> | undefined
  let calls = 0

  const loadMulticallCode = () =>
    (multicallCode ??= client.getCode({ address: parameters.multicall3 ?? MULTICALL3 }).then((code) => {
      if (!code || code === '0x') {
        multicallCode = undefined
        throw new Error(`orderbook stub chain reader: no Multicall3 code at ${parameters.multicall3 ?? MULTICALL3} on ${parameters.rpcUrl} (a devnet from harness/devnet has it; deploy it on another node)`)
      }
      return code
    }))

  type Call = { target: Address; allowFailure: true; callData: Hex }
  async function aggregate(list: Call[]) {
    const code = await loadMulticallCode()
    calls++
    const { data } = await client.call({
      to: relayer,
      data: encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [list] }),
      stateOverride: [{ address: relayer, code }],
    })
    return decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: data ?? '0x' })
  }

  const call = (target: Address, callData: Hex): Call => ({ target, allowFailure: true, callData })
  const uint = (result: { success: boolean; returnData: Hex } | undefined): bigint | null =>
    result?.success && result.returnData.length === 66 ? BigInt(result.returnData) : null

  return {
    rpcUrl: parameters.rpcUrl,
    get calls() {
      return calls
    },
    async readOrder(query) {
      const list: Call[] = [call(relayer, encodeFunctionData({ abi: multicall3Abi, functionName: 'getCurrentBlockTimestamp' }))]
      const at: Partial<Record<'eip1271' | 'presign' | 'balance' | 'allowance' | 'transfers', number>> = {}
      if (query.eip1271) {
        at.eip1271 = list.push(call(query.owner, encodeFunctionData({ abi: eip1271Abi, functionName: 'isValidSignature', args: [query.eip1271.digest, query.eip1271.signature] }))) - 1
      }
      if (query.presign) at.presign = list.push(call(settlement, encodeFunctionData({ abi: preSignatureAbi, functionName: 'preSignature', args: [query.uid] }))) - 1
      if (query.funds) {
        at.balance = list.push(call(query.sellToken, encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [query.owner] }))) - 1
        at.allowance = list.push(call(query.sellToken, encodeFunctionData({ abi: erc20Abi, functionName: 'allowance', args: [query.owner, relayer] }))) - 1
        at.transfers = list.length
        for (const amount of TRANSFER_PROBE_AMOUNTS) {
          list.push(call(query.sellToken, encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [query.owner, settlement, amount] })))
        }
      }
      const results = await aggregate(list)
      const facts: OrderChainFacts = { timestamp: uint(results[0]) ?? 0n }
      if (at.eip1271 !== undefined) {
        const r = results[at.eip1271]
        // A revert, no code (an EOA answers empty) or any other value than the magic: invalid, as the service judges it.
        facts.eip1271Valid = r !== undefined && r.success && r.returnData.length >= 10 && r.returnData.slice(0, 10).toLowerCase() === EIP1271_MAGIC
      }
      if (at.presign !== undefined) facts.presigned = (uint(results[at.presign]) ?? 0n) !== 0n
      if (at.balance !== undefined) facts.balance = uint(results[at.balance])
      if (at.allowance !== undefined) facts.allowance = uint(results[at.allowance])
      if (at.transfers !== undefined) {
        // An ERC20 may return nothing (old tokens) or a bool; `false` is a failed transfer too.
        facts.transfers = TRANSFER_PROBE_AMOUNTS.map((_, i) => {
          const r = results[at.transfers! + i]
          return r !== undefined && r.success && (r.returnData === '0x' || (uint(r) ?? 0n) !== 0n)
        })
      }
      return facts
    },
    async readPresignatures(uids) {
      if (uids.length === 0) return []
      const results = await aggregate(uids.map((uid) => call(settlement, encodeFunctionData({ abi: preSignatureAbi, functionName: 'preSignature', args: [uid] }))))
      return results.map((r) => (uint(r) ?? 0n) !== 0n)
    },
  }
}
