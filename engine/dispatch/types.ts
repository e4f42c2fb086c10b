import type { BlockRef, ModuleLog, ReorgNotice, Subscriptions } from '../../modules/sdk/module/types.ts'

/** What a module receives, in chain order. */
export type ModuleEvent =
  | { kind: 'logs'; block: BlockRef; logs: readonly ModuleLog[] }
  | { kind: 'block'; block: BlockRef }
  | { kind: 'reorg'; reorg: ReorgNotice }

/** What `handle` may resolve to: the event is processed, and `stored` resolves once its store writes are committed. */
export type HandleReceipt = { stored: Promise<void> }

/**
 * One module as the dispatcher sees it. `handle` resolves when the event is processed (for the
 * supervisor: processed with its writes committed or in flight, or kept durably for a parked
 * module) and rejects when it was not; the dispatcher then answers by the error's action (retry in
 * order, drop, or stop: the block stays uncommitted and is delivered again after a restart). When
 * it resolves to a receipt, the module's next event may run at once, but the event counts as
 * finished (and the cursor may pass it) only once `stored` resolves; `stored` rejects only when the
 * runner stops first. The engine gives the dispatcher supervisors only (createSupervisedRunner),
 * which retry a failed event themselves and reject only when stopped; a bare worker or in-process
 * runner rejects on every trap.
 */
export type ModuleRunner = {
  /** The instance: its own queue. The module's name, or `<module>@<chainId>` when it runs once per chain. */
  name: string
  /** The module's name, for metric labels (default `name`). */
  module?: string
  /** The one chain this instance serves, when it runs once per chain (its metrics carry `chain_id`). */
  chainId?: number
  /** Read at each dispatch; a worker module's are known once `init` resolved. */
  readonly subscriptions: Subscriptions
  init(): Promise<void>
  handle(event: ModuleEvent): Promise<void | HandleReceipt>
  stop(): Promise<void>
}
