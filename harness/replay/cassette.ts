import { createReadStream, existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import type { Hex } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import type { RawLog } from '../../modules/sdk/module/types.ts'
import { decodeValue, encodeValue } from '../../engine/store/json.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** The format name and version every cassette header carries; a reader refuses any other. */
export const CASSETTE_FORMAT = 'shepherd-cassette'
export const CASSETTE_VERSION = 1

/** A module as it ran while recording: enough to load it again for a replay. */
export type CassetteModule = { name: string; path?: string; config: Record<string, unknown> }

/** First line: provenance. */
export type CassetteHeader = {
  t: 'header'
  format: typeof CASSETTE_FORMAT
  version: number
  chainId: number
  /** Where it was recorded: "local devnet", or the RPC host (never its credentials). */
  recordedOn: string
  from: bigint
  to: bigint
  modules: CassetteModule[]
  /** "shepherd <version>". */
  tool: string
  /** ISO 8601. */
  recordedAt: string
  /** Free notes (what load ran, which stub rules). */
  notes?: string[]
}

export type CassetteBlock = { t: 'block'; number: bigint; hash: Hex; parentHash: Hex; timestamp: bigint }

/** A log as recorded: the raw log (one declaration, the SDK's `RawLog`); a cassette holds only logs that stayed on the chain, so no `removed`. */
export type CassetteLog = { t: 'log' } & Omit<RawLog, 'removed'>

/** A failed read or orderbook exchange, kept so the replay fails the same way. */
export type CassetteFailure =
  | { kind: 'revert'; data: Hex | null }
  | { kind: 'request'; message: string }
  | { kind: 'cow'; status: number; errorType?: string; description?: string; data?: unknown; retryAfter?: number }

/** One chain read: `method` is eth_call, multicall (the aggregate3 calls), eth_getBalance or a raw RPC method. */
export type CassetteRead = { t: 'read'; method: string; params: unknown; block: bigint | 'latest'; result?: unknown; error?: CassetteFailure }

/** One orderbook exchange: the capability call (`op`) with its arguments, and what came back. */
export type CassetteCow = { t: 'cow'; op: 'submitOrder' | 'getOrder' | 'getAppData' | 'request'; args: unknown; result?: unknown; error?: CassetteFailure }

export type OutcomeKind = 'submitted' | 'rejected' | 'alert' | 'marker' | 'strategy-error'

/** Something a module did that a backtest judges and drift mode compares. */
export type CassetteOutcome = {
  t: 'outcome'
  module: string
  block: bigint
  kind: OutcomeKind
  /** Order UID for submissions and rejections, store key for markers, alert kind for alerts. */
  key: string
  /** errorType of a rejection, message of a strategy error, the marker's value... */
  detail?: string
}

/** Written once every module finished `number`: a resume starts after the last one. */
export type CassetteCheckpoint = { t: 'checkpoint'; number: bigint }

export type CassetteEntry = CassetteHeader | CassetteBlock | CassetteLog | CassetteRead | CassetteCow | CassetteOutcome | CassetteCheckpoint

/** A cassette line that cannot be read: names the file and line. */
export class CassetteFormatError extends ShepherdError {
  override name = 'CassetteFormatError'
  readonly line: number
  constructor(file: string, line: number, problem: string) {
    super(`Malformed cassette line ${line}: ${problem}`, {
      details: [`file: ${file}`, `line: ${line}`],
      hint: 'Re-record the cassette, or see fixtures/README.md for the format.',
    })
    this.line = line
  }
}

/** One entry as one line (bigints tagged `{"$bigint":"…"}`, as in the store). */
export function encodeEntry(entry: CassetteEntry): string {
  return encodeValue(entry)
}

const kinds = new Set(['header', 'block', 'log', 'read', 'cow', 'outcome', 'checkpoint'])

/** Parses and checks one line; throws a CassetteFormatError naming it. */
export function decodeEntry(text: string, file: string, line: number): CassetteEntry {
  let value: unknown
  try {
    value = decodeValue(text)
  } catch (error) {
    throw new CassetteFormatError(file, line, `not JSON (${errorMessage(error)})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CassetteFormatError(file, line, 'expected a JSON object')
  const t = (value as { t?: unknown }).t
  if (typeof t !== 'string' || !kinds.has(t)) throw new CassetteFormatError(file, line, `unknown entry type ${JSON.stringify(t)}`)
  const entry = value as CassetteEntry
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new CassetteFormatError(file, line, `${t} entry: ${what}`)
  }
  switch (entry.t) {
    case 'header':
      need(entry.format === CASSETTE_FORMAT, `format must be "${CASSETTE_FORMAT}"`)
      need(entry.version === CASSETTE_VERSION, `version ${String(entry.version)} is not supported (this reader: ${CASSETTE_VERSION})`)
      need(typeof entry.chainId === 'number' && typeof entry.from === 'bigint' && typeof entry.to === 'bigint', 'chainId, from and to are required')
      need(Array.isArray(entry.modules), 'modules must be a list')
      break
    case 'block':
      need(typeof entry.number === 'bigint' && typeof entry.timestamp === 'bigint', 'number and timestamp must be bigints')
      need(typeof entry.hash === 'string' && typeof entry.parentHash === 'string', 'hash and parentHash are required')
      break
    case 'log':
      need(typeof entry.blockNumber === 'bigint' && typeof entry.logIndex === 'number' && Array.isArray(entry.topics), 'blockNumber, logIndex and topics are required')
      break
    case 'read':
      need(typeof entry.method === 'string' && (entry.block === 'latest' || typeof entry.block === 'bigint'), 'method and block are required')
      need('result' in entry || 'error' in entry, 'a result or an error is required')
      break
    case 'cow':
      need(typeof entry.op === 'string', 'op is required')
      need('result' in entry || 'error' in entry, 'a result or an error is required')
      break
    case 'outcome':
      need(typeof entry.module === 'string' && typeof entry.block === 'bigint' && typeof entry.kind === 'string', 'module, block and kind are required')
      break
    case 'checkpoint':
      need(typeof entry.number === 'bigint', 'number must be a bigint')
      break
  }
  return entry
}

/**
 * Streams a cassette (`.ndjson` or `.ndjson.gz`) entry by entry, so a large one never has to fit
 * in memory. The first entry must be the header.
 *
 * @example
 * for await (const entry of readCassette('fixtures/devnet.ndjson.gz')) if (entry.t === 'block') count++
 */
export async function* readCassette(file: string): AsyncGenerator<CassetteEntry> {
  if (!existsSync(file)) throw new ShepherdError(`Cassette not found: ${file}`, { hint: 'Record one with `shepherd record`, see docs/operations/backtest-runbook.md.' })
  const raw = createReadStream(file)
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
  const lines = createInterface({ input, crlfDelay: Infinity })
  let line = 0
  try {
    for await (const text of lines) {
      line++
      if (text.trim() === '') continue
      const entry = decodeEntry(text, file, line)
      if (line === 1 && entry.t !== 'header') throw new CassetteFormatError(file, line, 'the first line must be the header')
      if (line > 1 && entry.t === 'header') throw new CassetteFormatError(file, line, 'a second header')
      yield entry
    }
  } finally {
    lines.close()
    raw.destroy()
  }
  if (line === 0) throw new CassetteFormatError(file, 1, 'the cassette is empty (no header)')
}

/** Reads only the header line. */
export async function readCassetteHeader(file: string): Promise<CassetteHeader> {
  for await (const entry of readCassette(file)) return entry as CassetteHeader
  throw new CassetteFormatError(file, 1, 'the cassette is empty (no header)')
}

/** The key a read is stored and answered under: method, params and block. */
export function readKey(method: string, params: unknown, block: bigint | 'latest'): string {
  return `${method}|${typeof block === 'bigint' ? block.toString() : block}|${encodeValue(params)}`
}

/** The key an orderbook exchange is stored and answered under. */
export function cowKey(op: string, args: unknown): string {
  return `${op}|${encodeValue(args)}`
}
