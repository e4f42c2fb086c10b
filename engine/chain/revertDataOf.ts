import type { Hex } from 'viem'
import { parseRevertData } from '../../modules/sdk/codecs/revertData.ts'

/** EIP-1474's code for "execution reverted" (geth, Anvil, Nethermind, Erigon). */
const EXECUTION_REVERTED = 3

/**
 * Finds revert data in an error chain (eth_call answers it in `error.data`), in any node dialect
 * `parseRevertData` knows (`0x...` in any case, `0X`, `Reverted 0x...`), as canonical lower-case hex.
 *
 * @example
 * const data = revertDataOf(error) // '0x08c379a0...' or undefined
 */
export function revertDataOf(error: unknown): Hex | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const data = (e as { data?: unknown }).data
    const revert = parseRevertData(data) ?? (data !== null && typeof data === 'object' ? parseRevertData((data as { data?: unknown }).data) : undefined)
    if (revert !== undefined) return revert
  }
  return undefined
}

/**
 * True when a rejected JSON-RPC request is the node's answer "the call reverted", not a failure to
 * answer: an error in the chain with code 3 (execution reverted), or revert data in a dialect
 * `revertDataOf` reads (Nethermind's -32015 `Reverted 0x...` included). Transport faults, timeouts,
 * "too large" and any other node error are not.
 *
 * @example
 * metrics.chainRequests.inc({ chain_id, method, outcome: isRevertAnswer(error) ? 'revert' : 'error' })
 */
export function isRevertAnswer(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) if ((e as { code?: unknown }).code === EXECUTION_REVERTED) return true
  return revertDataOf(error) !== undefined
}
