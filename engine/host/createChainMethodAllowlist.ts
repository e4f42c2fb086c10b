/**
 * What `host.chain.request` sends without any `allow_methods`: methods that only read the chain
 * and hold nothing on the node. Excluded, each allowed per module by `allow_methods`: methods that
 * change state or spend (`eth_sendTransaction`, `eth_sendRawTransaction`, devnet cheat codes
 * `anvil_*`, `hardhat_*`, `evm_*`), sign with keys the node holds (`eth_sign*`, `personal_*`),
 * keep state on the node (`eth_newFilter` and the other filter methods, `eth_subscribe`), cost the
 * node far more than a read (`debug_*`, `trace_*`), or run the node (`admin_*`, `miner_*`,
 * `txpool_*`, `engine_*`).
 */
export const defaultChainReadMethods: readonly string[] = [
  // identity and progress
  'eth_chainId',
  'net_version',
  'web3_clientVersion',
  'eth_blockNumber',
  'eth_syncing',
  // execution without a transaction
  'eth_call',
  'eth_estimateGas',
  'eth_createAccessList',
  // account state
  'eth_getBalance',
  'eth_getCode',
  'eth_getStorageAt',
  'eth_getTransactionCount',
  'eth_getProof',
  // history
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBlockReceipts',
  'eth_getBlockTransactionCountByNumber',
  'eth_getBlockTransactionCountByHash',
  'eth_getTransactionByHash',
  'eth_getTransactionByBlockNumberAndIndex',
  'eth_getTransactionByBlockHashAndIndex',
  'eth_getTransactionReceipt',
  'eth_getLogs',
  // fees
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_feeHistory',
  'eth_blobBaseFee',
]

/**
 * A predicate over JSON-RPC method names: the read-only default plus `extra` (exact names, or a
 * namespace written `anvil_*`). Anything that is not a string is refused.
 *
 * @example
 * const allowed = createChainMethodAllowlist(['debug_traceCall', 'anvil_*'])
 * allowed('eth_call') // true
 * allowed('anvil_mine') // true
 * allowed('eth_sendTransaction') // false
 */
export function createChainMethodAllowlist(extra: readonly string[] = []): (method: unknown) => boolean {
  const exact = new Set([...defaultChainReadMethods, ...extra.filter((m) => !m.endsWith('*'))])
  const prefixes = extra.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1))
  return (method) => typeof method === 'string' && (exact.has(method) || prefixes.some((p) => method.startsWith(p)))
}
