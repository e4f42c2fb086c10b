import { ShepherdError } from '../errors/base.ts'
import type { FaultRegistry } from './faults.ts'
import type { MockRecord } from './records.ts'

/** MockHost was asked something no test programmed: the hint says how to program it. */
export class MockHostError extends ShepherdError {
  override name = 'MockHostError'
  constructor(shortMessage: string, parameters: { details?: string[]; hint?: string } = {}) {
    super(shortMessage, { ...parameters, action: 'stop' })
  }
}

/** Shared state of one MockHost's operations: faults, pending timers and hung promises. */
export type OperationContext = {
  faults: FaultRegistry
  random: () => number
  timers: Set<ReturnType<typeof setTimeout>>
  hung: Set<(error: Error) => void>
}

export type OperationHandlers<value> = {
  /** The error a transport fault or a timeout of this operation rejects with. */
  transportError(message: string): Error
  /** Garbage of the wrong shape for this operation. */
  garbage(): unknown
  /** The programmed (or default) answer. */
  answer(): Promise<value>
}

/**
 * Runs one recorded operation: an injected fault if one matches, else the programmed answer;
 * keeps the record's outcome up to date.
 */
export async function runOperation<value>(context: OperationContext, record: MockRecord, handlers: OperationHandlers<value>): Promise<value> {
  const fault = context.faults.take(record)
  try {
    if (!fault) {
      const value = await handlers.answer()
      record.outcome = 'ok'
      return value
    }
    record.fault = fault.kind
    switch (fault.kind) {
      case 'throw':
        throw fault.error ?? handlers.transportError('Injected fault')
      case 'garbage': {
        const value = 'value' in fault ? fault.value : handlers.garbage()
        record.outcome = 'ok'
        return value as value
      }
      case 'timeout':
        return await new Promise<value>((_, reject) => {
          const timer = setTimeout(() => {
            context.timers.delete(timer)
            reject(handlers.transportError(`Injected timeout after ${fault.afterMs ?? 10} ms`))
          }, fault.afterMs ?? 10)
          timer.unref?.()
          context.timers.add(timer)
        })
      case 'hang':
        return await new Promise<value>((_, reject) => {
          const release = (error: Error) => {
            clearTimeout(timer)
            context.timers.delete(timer)
            context.hung.delete(release)
            reject(error)
          }
          const timer = setTimeout(() => release(handlers.transportError(`Injected hang released after ${fault.maxMs ?? 60_000} ms`)), fault.maxMs ?? 60_000)
          timer.unref?.()
          context.timers.add(timer)
          context.hung.add(release)
        })
    }
  } catch (error) {
    if (record.outcome === 'pending') record.outcome = error instanceof Error && error.name === 'ChainCallError' ? 'revert' : 'error'
    throw error
  }
}

/** An answer list entry: newest registrations win; `left` counts down for one-shot answers. */
export type Programmed<matcher, answer> = { matcher: matcher; answer: answer; left: number }

/** Adds an answer in front (newest wins), validating `times`. */
export function program<matcher, answer>(list: Array<Programmed<matcher, answer>>, matcher: matcher, answer: answer, times?: number): void {
  const left = times ?? Number.POSITIVE_INFINITY
  if (!(left > 0)) throw new RangeError(`times must be > 0, found ${String(times)}`)
  list.unshift({ matcher, answer, left })
}

/** The first live answer whose matcher accepts, consuming one use. */
export function pick<matcher, answer>(list: Array<Programmed<matcher, answer>>, accepts: (matcher: matcher) => boolean): answer | undefined {
  for (const entry of list) {
    if (entry.left <= 0 || !accepts(entry.matcher)) continue
    entry.left -= 1
    return entry.answer
  }
  return undefined
}
