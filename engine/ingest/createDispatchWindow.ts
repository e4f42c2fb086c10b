import type { BlockRef } from '../../modules/sdk/module/types.ts'

export type CreateDispatchWindowParameters = {
  /** Called with the newest block of an unbroken finished run at the front, and how many blocks it moved past. */
  onAdvance: (last: BlockRef, count: number) => void
}

type InFlight = { block: BlockRef; done: Promise<void>; settled: boolean; failure?: { error: unknown } }

/**
 * The blocks handed to the dispatcher and not yet finished by every module, oldest first. Blocks
 * finish in any order, but the window only moves past an unbroken run of finished blocks at its
 * front (`onAdvance`), so the cursor behind it only ever moves in order; a block whose dispatch
 * failed holds the front (it stays uncommitted and is delivered again after a restart) and
 * `throwIfFailed` ends the pass with its error.
 *
 * @example
 * const window = createDispatchWindow({ onAdvance: (last) => cursorWriter.advance({ number: last.number, hash: last.hash }) })
 * window.push(block, dispatcher.dispatchBlock(block, logs))
 * window.throwIfFailed()
 * while (window.size >= maxInFlight) if ((await window.waitForOldest(pollMs)) === 'tick') await fetchHead()
 */
export function createDispatchWindow({ onAdvance }: CreateDispatchWindowParameters) {
  const inFlight: InFlight[] = []

  /** Moves past every finished block at the front, in order, as soon as one finishes. */
  function advanceSettled() {
    let last: BlockRef | undefined
    let count = 0
    while (inFlight[0]?.settled) {
      last = inFlight.shift()!.block
      count++
    }
    if (last) onAdvance(last, count)
  }

  return {
    /** Blocks dispatched and not yet moved past. */
    get size() {
      return inFlight.length
    },
    /** Adds a dispatched block; `done` settles when every module finished it (or rejects when one failed). */
    push(block: BlockRef, done: Promise<void>) {
      const entry: InFlight = { block, done, settled: false }
      done.then(
        () => {
          entry.settled = true
          advanceSettled()
        },
        (error: unknown) => {
          entry.failure = { error }
        },
      )
      inFlight.push(entry)
    },
    /** Throws the error of the oldest block when its dispatch failed. */
    throwIfFailed() {
      const failure = inFlight[0]?.failure
      if (failure) throw failure.error
    },
    /** Waits for every block in flight to settle (a rejected one stays uncommitted), then moves past the finished ones. */
    async drain() {
      await Promise.allSettled(inFlight.map((f) => f.done))
      advanceSettled()
    },
    /** Waits for the oldest block to settle, or `tickMs` first ('tick': the caller can fetch the head meanwhile). */
    async waitForOldest(tickMs: number): Promise<'done' | 'tick'> {
      let timer: NodeJS.Timeout | undefined
      const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), tickMs)))
      const first = await Promise.race([inFlight[0]!.done.then(() => 'done' as const, () => 'done' as const), tick])
      clearTimeout(timer)
      return first
    },
  }
}

export type DispatchWindow = ReturnType<typeof createDispatchWindow>
