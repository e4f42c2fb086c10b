import type { OrderValidity } from '../orderbook/chainChecks.ts'

/**
 * The stub's validity window for a scenario that compresses time: TWAP parts seconds apart (the
 * load's default `t` is 5 s) instead of minutes. The real service refuses an order with less than
 * 60 s left (`InsufficientValidTo`), which would refuse every such part; here the minimum is 0, so
 * only an order already expired at the head's timestamp is refused, and the maximum horizon stays
 * the service's. A scenario whose parts last a minute or more leaves `validity` out and runs with
 * the service's window.
 *
 * @example
 * defineScenario({ ..., orderbook: { validity: compressedTimeValidity }, load: { twapPerBlock: 5, ... } })
 */
export const compressedTimeValidity: Partial<OrderValidity> = Object.freeze({ minSeconds: 0 })
