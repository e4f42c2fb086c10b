import { ShepherdError } from './base.ts'

/** Why a log did not decode: wrong event, malformed topics, or data that does not match the ABI. */
export type LogDecodeErrorReason = 'topic0-mismatch' | 'bad-topics' | 'bad-data'

/**
 * A log that does not decode with the expected event ABI. Returned (never thrown) by the log
 * decoders, so a module can count and skip it.
 *
 * @example
 * const result = decodeConditionalOrderCreated(log)
 * if (!result.ok) host.log.warn(result.error.shortMessage, { reason: result.error.reason })
 */
export class LogDecodeError extends ShepherdError {
  override name = 'LogDecodeError'
  readonly event: string
  readonly reason: LogDecodeErrorReason

  constructor(parameters: { event: string; reason: LogDecodeErrorReason; detail?: string; cause?: unknown }) {
    super(`Log does not decode as ${parameters.event}`, {
      details: [`reason: ${parameters.reason}`, ...(parameters.detail ? [`detail: ${parameters.detail}`] : [])],
      cause: parameters.cause,
      action: 'drop',
    })
    this.event = parameters.event
    this.reason = parameters.reason
  }
}

/** Bytes that do not decode as the expected ABI parameters (TWAP static input, EthFlow data...). */
export class AbiDecodeError extends ShepherdError {
  override name = 'AbiDecodeError'
  readonly what: string

  constructor(parameters: { what: string; detail: string; cause?: unknown }) {
    super(`Bytes do not decode as ${parameters.what}`, { details: [`detail: ${parameters.detail}`], cause: parameters.cause, action: 'drop' })
    this.what = parameters.what
  }
}

/** An order the orderbook cannot take as it is (unknown kind hash, bad owner...). Names the field. */
export class InvalidOrderError extends ShepherdError {
  override name = 'InvalidOrderError'
  readonly field: string

  constructor(parameters: { field: string; expected: string; found: string }) {
    super(`Order field "${parameters.field}" is invalid`, {
      details: [`expected: ${parameters.expected}`, `found: ${parameters.found}`],
      action: 'drop',
    })
    this.field = parameters.field
  }
}

/** A result that is either a value or a typed error: decoders return it instead of throwing. */
export type DecodeResult<value, error extends Error = LogDecodeError> = { ok: true; value: value } | { ok: false; error: error }
