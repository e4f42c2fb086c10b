import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/** JSON-RPC codes that mean "this node does not serve the method": -32601 (JSON-RPC 2.0), -32004 (EIP-1474). */
const methodNotFoundCodes = new Set([-32601, -32004])

/**
 * What nodes and providers say when they answer without one of those codes (or with them, for the
 * record). Each alternative is one wording seen in the field:
 * - geth, Erigon, Nethermind, Infura: "the method eth_x does not exist/is not available"
 * - Anvil, Besu, Cloudflare: "Method not found"; Lotus: "method 'eth_x' not found"
 * - Alchemy (code -32600): "Unsupported method: eth_x. See available methods at ..."
 * - public OP Stack and Arbitrum endpoints (code -32001): "rpc method is not whitelisted"
 * - some paid plans: "Unauthorized method: eth_x."
 * - Ganache: "Method eth_x not supported."; EIP-1474 -32004: "Method not supported"
 *
 * Not recognised on purpose: Anvil over WebSocket (1.7.1) answers an unknown method with -32602
 * "data did not match any variant of untagged enum EthRpcCall", exactly as it answers params it
 * cannot parse (over HTTP it answers -32601). Naming that "method not found" would misname a
 * module's bad params; it stays a retryable error (ingestion only asks methods Anvil serves).
 */
const methodNotFoundWording =
  /does not exist\/is not available|\bmethod not found\b|\bmethod '?[\w-]+'? not found\b|\bunsupported method\b|\bmethod is not whitelisted\b|\bunauthorized method\b|\bmethod (?:[\w-]+ )?not supported\b/i

/**
 * The node's answer when `error` (or any cause in its chain) says that the node does not serve the
 * requested method, else undefined. Codes decide where the node gives one; the wording is read only where a node
 * gives nothing better, here and nowhere else. The node's own text is read (viem's `details`, a
 * WebSocket error's message), never our wrappers' messages, which quote the request.
 *
 * @example
 * methodNotFoundAnswer(new WsRpcError('Unsupported method: eth_getLogs. See available methods at https://...', -32600))
 * // 'Unsupported method: eth_getLogs. See available methods at https://... (code -32600)'
 */
export function methodNotFoundAnswer(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++) {
    if (current instanceof ShepherdError) continue
    const { code, details } = current as { code?: unknown; details?: unknown }
    const text = typeof details === 'string' && details ? details : current.message
    if ((typeof code === 'number' && methodNotFoundCodes.has(code)) || methodNotFoundWording.test(text)) return typeof code === 'number' ? `${text} (code ${code})` : text
  }
  return undefined
}
