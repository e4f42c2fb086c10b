import type { OrderValidity } from '../orderbook/chainChecks.ts'

/**
 * The stub's validity window for a run that compresses time: TWAP parts seconds apart instead of
 * minutes. Scenarios no longer need it: their blocks carry 12 s of chain time each
 * (`devnet.blockSeconds`, `setBlockSeconds`) and their parts are minutes long, so the stub runs with
 * the service's window. Kept for a run that cannot give its blocks chain time of their own. The real service refuses an order with less than
 * 60 s left (`InsufficientValidTo`), which would refuse every such part; here the minimum is 0, so
 * only an order already expired at the head's timestamp is refused, and the maximum horizon stays
 * the service's. A scenario whose parts last a minute or more leaves `validity` out and runs with
 * the service's window.
 *
 * @example
 * defineScenario({ ..., orderbook: { validity: compressedTimeValidity }, load: { twapPerBlock: 5, ... } })
 */
export const compressedTimeValidity: Partial<OrderValidity> = Object.freeze({ minSeconds: 0 })
