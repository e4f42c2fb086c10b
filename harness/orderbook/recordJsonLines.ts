import { renameSync, writeFileSync } from 'node:fs'
import type { RecordEntry } from './createRequestRecord.ts'

/**
 * The path the stub serves its record on, outside `/api` so it never collides with a route of the
 * real API: `GET /__shepherd/record` (optionally `?since=<seq>`) answers JSON lines.
 */
export const RECORD_ROUTE = '/__shepherd/record'

/** The media type of the record's JSON lines. */
export const JSON_LINES_CONTENT_TYPE = 'application/x-ndjson'

/**
 * The record as JSON lines, one entry per line in arrival order, each ending in a newline; only
 * entries with `seq > since` when `since` is given (for a reader that polls).
 *
 * @example
 * recordToJsonLines(stub.record.entries) // '{"seq":1,"at":...,"method":"POST","path":"/api/v1/orders",...}\n'
 */
export function recordToJsonLines(entries: readonly RecordEntry[], since = 0): string {
  let out = ''
  for (const entry of entries) {
    if (entry.seq > since) out += `${JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`
  }
  return out
}

/**
 * Writes the whole record as JSON lines to `file`, atomically (a temporary file renamed over it),
 * so a reader never sees half a dump. Synchronous: it also runs on the way out of the process.
 *
 * @example
 * writeRecordFile(stub.record.entries, '/tmp/orderbook-record.jsonl')
 */
export function writeRecordFile(entries: readonly RecordEntry[], file: string): void {
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, recordToJsonLines(entries))
  renameSync(partial, file)
}

/**
 * Parses `?since=<seq>` of a record request: the sequence number to start after, 0 when absent,
 * undefined when malformed.
 *
 * @example
 * recordSince('since=12') // 12
 */
export function recordSince(query: string): number | undefined {
  const raw = new URLSearchParams(query).get('since')
  if (raw === null) return 0
  return /^\d+$/.test(raw) ? Number(raw) : undefined
}
