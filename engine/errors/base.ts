/**
 * What the caller should do about an error. The supervisor and the ingestor decide by this class,
 * never by parsing a message.
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

/** Turns anything thrown into a one-line description for logs. */
export function describeError(error: unknown): string {
  if (error instanceof ShepherdError) return error.shortMessage
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`
  return String(error)
}
