import { answerUpdatedEvent } from '../abi/chainlink.ts'
import type { DecodeResult } from '../errors/decode.ts'
import { decodeLogWith, type LogParts } from './decodeEventLog.ts'

export type AnswerUpdated = { current: bigint; roundId: bigint; updatedAt: bigint }

/**
 * Decodes a Chainlink `AnswerUpdated` log (`current` is signed, scaled by the feed's decimals). Never throws.
 *
 * @example
 * const result = decodeAnswerUpdated(log)
 * if (result.ok && result.value.current < threshold) host.metrics.alert('price-below', 'ETH/USD fell')
 */
export function decodeAnswerUpdated(log: LogParts): DecodeResult<AnswerUpdated> {
  const result = decodeLogWith(answerUpdatedEvent, log)
  if (!result.ok) return result
  const { current, roundId, updatedAt } = result.value
  return { ok: true, value: { current, roundId, updatedAt } }
}
