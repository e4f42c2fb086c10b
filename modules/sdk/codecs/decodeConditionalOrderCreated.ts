import type { Address, Hex } from 'viem'
import { conditionalOrderCreatedEvent } from '../abi/composableCow.ts'
import type { DecodeResult } from '../errors/decode.ts'
import { decodeLogWith, type LogParts } from './decodeEventLog.ts'

/** `IConditionalOrder.ConditionalOrderParams`. */
export type ConditionalOrderParams = { handler: Address; salt: Hex; staticInput: Hex }
export type ConditionalOrderCreated = { owner: Address; params: ConditionalOrderParams }

/**
 * Decodes a ComposableCoW `ConditionalOrderCreated` log. Never throws.
 *
 * @example
 * const result = decodeConditionalOrderCreated(log)
 * if (result.ok) await host.store.set(`watch:${result.value.owner}`, result.value.params)
 */
export function decodeConditionalOrderCreated(log: LogParts): DecodeResult<ConditionalOrderCreated> {
  const result = decodeLogWith(conditionalOrderCreatedEvent, log)
  if (!result.ok) return result
  const { owner, params } = result.value
  return { ok: true, value: { owner, params: { handler: params.handler, salt: params.salt, staticInput: params.staticInput } } }
}
