import { inject } from 'vitest'
import type { SepoliaAddresses } from '../devnet/addresses.ts'

/**
 * What the Shepherd globalSetup hands every test (serializable: it crosses into the workers): the
 * devnet's URLs and chain id, the protocol's addresses on it, and the orderbook stub's base URL.
 */
export type ShepherdProvided = {
  /** The devnet's JSON-RPC URL (`http://127.0.0.1:<port>`). */
  rpcUrl: string
  /** The devnet's WebSocket URL (`ws://127.0.0.1:<port>`). */
  wsUrl: string
  /** 11155111: Sepolia's id, so domain separators and UIDs match the real ones. */
  chainId: number
  /** The protocol's contracts on the devnet, at their Sepolia addresses. */
  addresses: SepoliaAddresses
  /** The orderbook stub's base URL (`http://127.0.0.1:<port>`): what a watcher posts to (`/api/v1/orders`). */
  orderbookUrl: string
  /** Seconds per block (interval mining), or undefined for manual mining. */
  blockTime: number | undefined
}

/** How the globalSetup starts the devnet and the stub. Plain data: it travels through vitest's `provide`. */
export type ShepherdVitestOptions = {
  devnet?: {
    /** Seconds per block. Default 1 (blocks near wall-clock time, as a live chain); `null` for manual mining. */
    blockTime?: number | null
    /** Block gas limit; default 300M (a load of ~3,000 transactions per block fits). A number: provided values travel as JSON. */
    gasLimit?: number
  }
  orderbook?: {
    /** Index the devnet's EthFlow orders as the real orderbook does. Default true. */
    followEthFlow?: boolean
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    /** Set by Shepherd's globalSetup (`shepherd/vitest`). */
    shepherd: ShepherdProvided
    /** Set by `shepherdVitest(options)`, read by the globalSetup. */
    shepherdOptions: ShepherdVitestOptions
  }
}

/** Returned by `useShepherd()`. */
export type UseShepherdReturnType = ShepherdProvided

/**
 * The devnet and orderbook stub Shepherd's globalSetup started for this run, read with vitest's
 * `inject`. Throws a clear error when the globalSetup is not configured.
 *
 * @example
 * import { useShepherd } from 'shepherd/vitest'
 * const { rpcUrl, orderbookUrl, addresses } = useShepherd()
 * const client = createPublicClient({ transport: http(rpcUrl) })
 */
export function useShepherd(): UseShepherdReturnType {
  const provided = inject('shepherd')
  if (provided === undefined)
    throw new Error(
      'useShepherd(): nothing provided under "shepherd". Add Shepherd\'s globalSetup to this vitest project: ' +
        "`test: { ...shepherdVitest() }` in vitest.config.ts (import { shepherdVitest } from 'shepherd/vitest').",
    )
  return provided
}
