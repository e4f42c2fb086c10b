import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/**
 * The node behind `rpc_url` serves another chain than the `[chains.<id>]` table it is configured
 * for. Ingesting it would hand another chain's blocks to the modules, so the chain stops.
 *
 * @example
 * throw new ChainIdMismatchError({ configured: 11155111, answered: 1, when: 'at start' })
 */
export class ChainIdMismatchError extends ShepherdError {
  override name = 'ChainIdMismatchError'
  readonly configured: number
  readonly answered: number

  constructor(parameters: { configured: number; answered: number; when: string }) {
    super(`The RPC serves chain ${parameters.answered}, not the configured chain ${parameters.configured}`, {
      details: [`configured: [chains.${parameters.configured}]`, `eth_chainId answered: ${parameters.answered}`, `checked: ${parameters.when}`],
      hint: `Point [chains.${parameters.configured}] rpc_url at a node of chain ${parameters.configured} (or rename the table to [chains.${parameters.answered}]), then restart: the cursor is kept.`,
      action: 'stop',
    })
    this.configured = parameters.configured
    this.answered = parameters.answered
  }
}

/**
 * The cursor is older than `max_lookback_blocks` and the chain's `on_gap` is "halt": resuming would
 * skip blocks no module has seen, so the chain stops and waits for a person to decide.
 *
 * @example
 * throw new ChainGapError({ chainId: 1, cursor: 100n, resumeAt: 20_101n, maxLookbackBlocks: 10_000 })
 */
export class ChainGapError extends ShepherdError {
  override name = 'ChainGapError'
  readonly from: bigint
  readonly to: bigint

  constructor(parameters: { chainId: number; cursor: bigint; resumeAt: bigint; maxLookbackBlocks: number }) {
    const from = parameters.cursor + 1n
    const to = parameters.resumeAt - 1n
    super(`Blocks ${from}..${to} are older than max_lookback_blocks (${parameters.maxLookbackBlocks}); on_gap = "halt" stopped the chain instead of skipping them`, {
      details: [`chain: ${parameters.chainId}`, `cursor: ${parameters.cursor}`, `would resume at: ${parameters.resumeAt}`, `blocks that would be skipped: ${to - from + 1n}`],
      hint: `Raise [chains.${parameters.chainId}] max_lookback_blocks to at least ${to - from + 1n + BigInt(parameters.maxLookbackBlocks)} plus the blocks mined until the restart, to deliver every block; or set on_gap = "skip" to accept the loss. Then restart: the cursor is kept.`,
      action: 'stop',
    })
    this.from = from
    this.to = to
  }
}
