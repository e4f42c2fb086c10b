/**
 * Which world a signed run is in: the embedded devnet (all four actions) or URLs (a live testnet or
 * stand-ins).
 *
 * @example
 * const world: SignedWorld = options.rpcUrl ? 'live' : 'devnet'
 */
export type SignedWorld = 'devnet' | 'live'
