import type { BlockRef, ModuleLog, ReorgNotice, Subscriptions } from '../module/types.ts'

/** What a module receives, in chain order. */
export type ModuleEvent =
  | { kind: 'logs'; block: BlockRef; logs: readonly ModuleLog[] }
  | { kind: 'block'; block: BlockRef }
  | { kind: 'reorg'; reorg: ReorgNotice }

/**
 * Runs one module's handlers: in process, or in a worker thread behind the supervisor. `handle`
 * resolves when the event is done; it rejects only when the event could not be processed and must
 * be retried.
 */
export type ModuleRunner = {
  name: string
  subscriptions: Subscriptions
  init(): Promise<void>
  handle(event: ModuleEvent): Promise<void>
  stop(): Promise<void>
}
