import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'
import type { Cursor, EngineStore } from '../store/createStore.ts'
import { abortableSleep } from '../timers/abortableSleep.ts'

export type CreateCursorWriterParameters = {
  chainId: number
  store: Pick<EngineStore, 'setCursor'>
  /** Called once a cursor is committed and flushed: from then on it is the acknowledged resume point. */
  onDurable(cursor: Cursor): void
  log: LogHost
  /** First pause before writing again after a refused write, ms (doubles up to 5 s). */
  retryMs?: number
}

export type CursorWriter = {
  /** Hands over the newest finished position; never waits. A cursor not yet written is replaced by a newer one. */
  advance(cursor: Cursor): void
  /** Resolves once the newest cursor handed over is durable; rejects if writing it was refused (the writer keeps trying). */
  flushed(): Promise<void>
  /** Writes what is pending (one attempt after a refusal), then stops. Never rejects: a failure is logged. */
  close(): Promise<void>
}

/**
 * The single, in-order writer of one chain's cursor. Dispatch never waits for the disk: the
 * ingestor hands over each newly finished position (`advance`) and goes on; the writer stores the
 * newest one, waits for lmdb to flush it (`setCursor`), reports it durable (`onDurable`: the
 * `shepherd_cursor_block` metric and the resume point), then stores the newest one handed over
 * meanwhile. So a catch-up of many blocks costs a few flushes, not one per block, and at most one
 * write is in flight. A cursor is only handed over once every module committed the block's writes,
 * and lmdb applies transactions in order, so module writes are always stored before the cursor
 * that passes them. A refused write is retried with backoff (the store counts and logs it); at
 * `close` it is tried once more.
 *
 * @example
 * const writer = createCursorWriter({ chainId, store, log, onDurable: (c) => metrics.cursorBlock.set(label, Number(c.number)) })
 * writer.advance({ number: 120n, hash: '0xabc...' })
 * await writer.close()
 */
export function createCursorWriter({ chainId, store, onDurable, log, retryMs = 200 }: CreateCursorWriterParameters): CursorWriter {
  let pending: { cursor: Cursor; generation: number } | undefined
  let given = 0
  let durable = 0
  let refused: { generation: number; error: unknown } | undefined
  let loop: Promise<void> | undefined
  const closing = new AbortController()
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const waiter of [...waiters]) waiter()
  }

  async function drain() {
    let failures = 0
    while (pending) {
      const { cursor, generation } = pending
      pending = undefined
      try {
        await store.setCursor(chainId, cursor)
        failures = 0
        durable = generation
        if (refused && refused.generation <= generation) refused = undefined
        onDurable(cursor)
      } catch (error) {
        failures++
        refused = { generation, error }
        pending ??= { cursor, generation } // nothing newer: this one again
        const closingNow = closing.signal.aborted
        if (failures === 1 || closingNow)
          log.error(closingNow ? 'cursor not stored at stop; a restart delivers the blocks after the last stored cursor again (their modules skip what they committed)' : 'cursor write refused; retrying (dispatch goes on)', {
            chainId,
            cursor: cursor.number,
            error: errorMessage(error),
          })
        notify()
        if (closingNow && failures > 1) {
          pending = undefined // given up (logged): a restart delivers those blocks again
          return
        }
        await abortableSleep(Math.min(5_000, retryMs * 2 ** (failures - 1)), closing.signal)
        continue
      }
      notify()
    }
  }

  function advance(cursor: Cursor) {
    pending = { cursor, generation: ++given }
    loop ??= drain().finally(() => {
      loop = undefined
      // A cursor handed over while the loop was ending.
      if (pending && !closing.signal.aborted) advance(pending.cursor)
    })
  }

  return {
    advance,
    flushed() {
      const target = given
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (durable >= target) {
            waiters.delete(check)
            resolve()
          } else if (refused && refused.generation >= target) {
            waiters.delete(check)
            reject(refused.error)
          }
        }
        waiters.add(check)
        check()
      })
    },
    async close() {
      closing.abort()
      // Until nothing is pending: a position handed over just as the last write ended is written too.
      while (loop || pending) {
        if (pending && !loop) advance(pending.cursor)
        await loop
      }
      // Whoever still waits learns the outcome: a refusal rejects them, a success resolved them.
      notify()
      for (const waiter of [...waiters]) waiter()
    },
  }
}
