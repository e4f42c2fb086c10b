/** What the proxy injected, for the report: counters by kind and method, and a bounded event list. */
export type FaultRecord = {
  counters: Record<string, number>
  events: Array<{ at: number; kind: string; method?: string; detail?: string }>
}

/**
 * A fault record with a bounded event list (the newest `capacity` events).
 *
 * @example
 * const record = createFaultRecord()
 * record.count('fail', 'eth_getLogs')
 */
export function createFaultRecord(capacity = 1000) {
  const record: FaultRecord = { counters: {}, events: [] }
  return {
    record,
    /** Counts `kind` (and `kind:method`) `by` times (once by default), and keeps the event. */
    count(kind: string, method?: string, detail?: string, by = 1) {
      record.counters[kind] = (record.counters[kind] ?? 0) + by
      if (method) record.counters[`${kind}:${method}`] = (record.counters[`${kind}:${method}`] ?? 0) + by
      record.events.push({ at: Date.now(), kind, method, detail })
      if (record.events.length > capacity) record.events.shift()
    },
    get(kind: string) {
      return record.counters[kind] ?? 0
    },
  }
}
