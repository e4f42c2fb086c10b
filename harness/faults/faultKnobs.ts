/** A share of requests, overall or per JSON-RPC method (`'*'` is the default for other methods). */
export type MethodRates = number | Readonly<Record<string, number>>

/** Everything the fault proxy can do; change it during a run with `proxy.setKnobs(...)`. */
export type FaultKnobs = {
  /** Share of requests answered with a JSON-RPC error (-32603 "injected fault"), by method. */
  failRate?: MethodRates
  /** Share of requests delayed by `delayMs` before they are forwarded, by method. */
  delayRate?: MethodRates
  delayMs?: number
  /** eth_blockNumber answers the head minus this many blocks (a lagging node). */
  lagBlocks?: number
  /** Share of ranged eth_getLogs answers cut short: the logs of the upper half of their blocks are dropped. */
  truncateLogsRate?: number
  /** Drop every WebSocket connection this often (ms), at most `maxWsDrops` times. */
  dropWsEveryMs?: number
  maxWsDrops?: number
  /**
   * Takes the node "down" for this many ms from when the knob is set (bounded: at most
   * `maxDownMs`): every open connection is cut, and every new one is reset as soon as it is
   * accepted (HTTP and WebSocket alike), as a crashed node behind a load balancer looks. Afterwards
   * the proxy serves again by itself; `setKnobs({ downForMs: null })` ends the span early.
   */
  downForMs?: number
}

/** The longest span `downForMs` may take the node down: an outage must end within a run. */
export const maxDownMs = 3_600_000

/** Methods never failed by `failRate`: failing them would test nothing the engine can recover from. */
export const neverFailed = new Set(['eth_subscribe', 'eth_unsubscribe', 'eth_chainId'])

/** The rate for a method. */
export function rateFor(rates: MethodRates | undefined, method: string): number {
  if (rates === undefined) return 0
  if (typeof rates === 'number') return rates
  return rates[method] ?? rates['*'] ?? 0
}

/**
 * Checks knobs: rates in [0, 1], counts and delays non-negative.
 *
 * @example
 * assertFaultKnobs({ failRate: 0.1 })
 * assertFaultKnobs({ downForMs: 60_000 })
 */
export function assertFaultKnobs(knobs: FaultKnobs): void {
  const rate = (name: string, v: MethodRates | undefined) => {
    const values = v === undefined ? [] : typeof v === 'number' ? [v] : Object.values(v)
    for (const x of values) if (!(x >= 0 && x <= 1)) throw new RangeError(`fault knob ${name} must be in [0, 1], got ${x}`)
  }
  rate('failRate', knobs.failRate)
  rate('delayRate', knobs.delayRate)
  rate('truncateLogsRate', knobs.truncateLogsRate)
  for (const name of ['delayMs', 'lagBlocks', 'dropWsEveryMs', 'maxWsDrops', 'downForMs'] as const) {
    const v = knobs[name]
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`fault knob ${name} must be a non-negative number, got ${v}`)
  }
  if (knobs.downForMs !== undefined && knobs.downForMs > maxDownMs) throw new RangeError(`fault knob downForMs must be at most ${maxDownMs} ms (an outage must end within the run), got ${knobs.downForMs}`)
}
