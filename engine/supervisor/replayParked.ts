import type { ModuleEvent } from '../dispatch/types.ts'
import type { ParkedEvent } from '../store/createModuleRecords.ts'
import type { PoisonState } from './createPoisonState.ts'

export type ReplayParkedParameters = {
  /** Where the parked events wait. */
  poison: Pick<PoisonState, 'poisoned' | 'parkedCount' | 'takeParked'>
  /** Runs one parked event until it is processed, or parks the module again (then the event is back at the front). */
  run(event: ModuleEvent, replayed: ParkedEvent): Promise<unknown>
}

/**
 * After a release: the parked events first, in order, before anything newer; one that parks the
 * module again keeps the rest parked (it goes back to the front, and the loop stops).
 *
 * @example
 * if (poison.parkedCount > 0 && !poison.poisoned) await replayParked({ poison, run: (event, replayed) => attempt(event, replayed) })
 */
export async function replayParked({ poison, run }: ReplayParkedParameters): Promise<void> {
  while (poison.parkedCount > 0 && !poison.poisoned) {
    const next = poison.takeParked()!
    await run(next.event, next)
  }
}
