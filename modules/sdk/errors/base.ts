/**
 * What the caller should do about an error: the decision is made by this field (and the error's
 * class), never by parsing a message.
 *
 * - `retry`: the same work may succeed later (a transport fault, a timeout, a node that is behind).
 *   It is kept and tried again with backoff: the ingestor retries its pass from the cursor; the
 *   dispatcher retries the module's event in order while the engine runs (the cursor waits).
 * - `drop`: this one piece of work can never succeed and holds nothing else up (e.g. the orderbook
 *   refused an order for a reason about the order). The dispatcher records it
 *   (`shepherd_dispatch_outcomes_total{action="drop"}`, an error log) and moves on. The ingestor
 *   never drops a block: for a pass, `drop` is retried like `retry`.
 * - `stop`: no retry fixes it; a person must (a config error, a node on another chain, a method the
 *   node does not serve). The ingestor stops that chain (`shepherd_chain_stopped{chain_id}` = 1,
 *   `/healthz` 503 naming the cause, one error log with what to do) and keeps its cursor, so a
 *   restart after the fix resumes with nothing lost; the dispatcher leaves the block uncommitted.
 *
 * A cause chain is read `stop` first (`decideAction`): a retryable wrapper around a cause
 * no retry fixes is still a stop. An error of no known class is retried (`retry`), and logged.
 */
export type ErrorAction = 'retry' | 'drop' | 'stop'

export type ShepherdErrorParameters = {
  /** Lines of context: chain id, block, module, order UID, file, key... */
  details?: readonly string[]
  /** What the user or operator should do about it. */
  hint?: string
  cause?: unknown
  action?: ErrorAction
}

/**
 * Base error in the viem shape: a short message, then detail lines and a hint, joined into a
 * readable multi-line `message`.
 *
 * @example
 * throw new ShepherdError('Chain 1 is not configured', {
 *   details: ['module: twap-monitor'],
 *   hint: 'Add a [chains.1] table to engine.toml.',
 * })
 */
export class ShepherdError extends Error {
  override name = 'ShepherdError'
  readonly shortMessage: string
  readonly details: readonly string[]
  readonly hint: string | undefined
  readonly action: ErrorAction

  constructor(shortMessage: string, parameters: ShepherdErrorParameters = {}) {
    const lines = [shortMessage]
    if (parameters.details?.length) lines.push('', ...parameters.details.map((d) => `  ${d}`))
    if (parameters.hint) lines.push('', parameters.hint)
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.shortMessage = shortMessage
    this.details = parameters.details ?? []
    this.hint = parameters.hint
    this.action = parameters.action ?? 'stop'
  }

  /** Follows the cause chain and returns the first error matching `fn`, or the deepest one. */
  walk(fn?: (error: unknown) => boolean): unknown {
    let current: unknown = this
    while (current instanceof Error) {
      if (fn?.(current)) return current
      if (current.cause === undefined) return fn ? undefined : current
      current = current.cause
    }
    return fn ? undefined : current
  }
}

/**
 * The first ShepherdError in `error`'s cause chain (itself included) whose action is `stop`.
 *
 * @example
 * findStopCause(new ChainRequestError('RPC failed', { chainId: 1, method: 'eth_chainId', cause: configError })) // configError
 */
export function findStopCause(error: unknown): ShepherdError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++)
    if (current instanceof ShepherdError && current.action === 'stop') return current
  return undefined
}

/**
 * The action for anything thrown: `stop` when the error or any cause in its chain is a
 * ShepherdError whose action is `stop` (`findStopCause`); else the outermost ShepherdError's
 * action; else `retry` (an error of no known class is assumed transient).
 *
 * @example
 * decideAction(new ConfigError('Bad key', { file: 'engine.toml' })) // 'stop'
 * decideAction(new Error('socket hang up')) // 'retry'
 */
export function decideAction(error: unknown): ErrorAction {
  if (findStopCause(error)) return 'stop'
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++)
    if (current instanceof ShepherdError) return current.action
  return 'retry'
}
