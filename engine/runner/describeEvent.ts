import type { ModuleEvent } from '../dispatch/types.ts'

/**
 * What an event is about, for messages and traps: `logs 12`, `block 12`, `reorg from 10`.
 *
 * @example
 * describeEvent({ kind: 'block', block }) // 'block 12'
 */
export function describeEvent(event: ModuleEvent): string {
  return event.kind === 'reorg' ? `reorg from ${event.reorg.fromBlock}` : `${event.kind} ${event.block.number}`
}
