import { decodeEventLog, isHex, toEventSelector, type AbiEvent, type DecodeEventLogReturnType, type Hex } from 'viem'
import { LogDecodeError, type DecodeResult } from '../errors/decode.ts'
import { errorMessage } from '../errors/errorMessage.ts'

/**
 * The two parts of a log a decoder reads, as `unknown` so a decoder checks them: a `RawLog`, a
 * `ModuleLog`, a viem `Log` or an RPC log all fit.
 *
 * @example
 * decodeLogWith(answerUpdatedEvent, { topics: log.topics, data: log.data } satisfies LogParts)
 */
export type LogParts = { topics: readonly unknown[]; data: unknown }

/**
 * Decodes a raw log with one event ABI item. Never throws: a wrong topic0, malformed topics or
 * data that does not match the ABI come back as a `LogDecodeError`.
 *
 * @example
 * const result = decodeLogWith(answerUpdatedEvent, log)
 * if (result.ok) console.log(result.value.current)
 */
export function decodeLogWith<const event extends AbiEvent>(
  event: event,
  log: LogParts,
): DecodeResult<DecodeEventLogReturnType<readonly [event]>['args']> {
  const name = event.name
  if (!Array.isArray(log.topics) || log.topics.length === 0)
    return { ok: false, error: new LogDecodeError({ event: name, reason: 'bad-topics', detail: 'no topics' }) }
  const topics = log.topics
  if (!topics.every((topic) => typeof topic === 'string' && isHex(topic, { strict: true }) && topic.length === 66))
    return { ok: false, error: new LogDecodeError({ event: name, reason: 'bad-topics', detail: 'topics must be 32-byte hex strings' }) }
  if (typeof log.data !== 'string' || !isHex(log.data, { strict: true }) || log.data.length % 2 !== 0)
    return { ok: false, error: new LogDecodeError({ event: name, reason: 'bad-data', detail: 'data must be an even-length hex string' }) }
  const selector = toEventSelector(event)
  if ((topics[0] as string).toLowerCase() !== selector)
    return { ok: false, error: new LogDecodeError({ event: name, reason: 'topic0-mismatch', detail: `topic0 ${String(topics[0])}, expected ${selector}` }) }
  try {
    const decoded = decodeEventLog({
      abi: [event] as readonly AbiEvent[],
      topics: topics as [Hex, ...Hex[]],
      data: log.data as Hex,
      strict: true,
    })
    return { ok: true, value: decoded.args as DecodeEventLogReturnType<readonly [event]>['args'] }
  } catch (cause) {
    const reason = cause instanceof Error && /topic/i.test(cause.name + cause.message) ? 'bad-topics' : 'bad-data'
    return { ok: false, error: new LogDecodeError({ event: name, reason, detail: errorMessage(cause), cause }) }
  }
}
