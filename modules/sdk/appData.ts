import { isHex, keccak256, stringToHex, type Hex } from 'viem'
import type { Host } from './module/types.ts'

/** keccak256("{}"): the empty app-data document, known without asking the orderbook. */
export const EMPTY_APP_DATA_HASH: Hex = keccak256(stringToHex('{}'))

/** The outcome of resolving an appData hash into its document. */
export type ResolveAppDataReturnType =
  /** The document, parsed, and its raw text (its keccak256 matched the hash). */
  | { kind: 'found'; document: unknown; fullAppData: string }
  /** 404: the orderbook does not know this hash (yet). */
  | { kind: 'notFound' }
  /** The orderbook sent a document whose keccak256 is another hash: do not trust it. */
  | { kind: 'mismatch'; fullAppData: string; actualHash: Hex }
  /** A transport fault, a bad answer, a malformed hash or a document that is not JSON. */
  | { kind: 'error'; error: unknown }

/**
 * Resolves an order's appData hash into its JSON document. The empty document "{}" short-circuits
 * without a request; everything else goes through `host.cowApi.getAppData` and is checked
 * against the hash. Never throws.
 *
 * @example
 * const appData = await resolveAppData(host, chainId, twap.appData)
 * if (appData.kind === 'notFound') return host.store.set(`backoff:${uid}`, host.clock.now() + 60_000)
 */
export async function resolveAppData(host: Pick<Host, 'cowApi'>, chainId: number, hash: Hex): Promise<ResolveAppDataReturnType> {
  if (typeof hash !== 'string' || !isHex(hash, { strict: true }) || hash.length !== 66)
    return { kind: 'error', error: new TypeError(`appData hash must be 32 bytes of hex, found ${String(hash).slice(0, 80)}`) }
  if (hash.toLowerCase() === EMPTY_APP_DATA_HASH) return { kind: 'found', document: {}, fullAppData: '{}' }
  let answer: unknown
  try {
    answer = await host.cowApi.getAppData(chainId, hash)
  } catch (error) {
    return { kind: 'error', error }
  }
  if (answer === null) return { kind: 'notFound' }
  const fullAppData = typeof answer === 'object' && answer !== null ? (answer as { fullAppData?: unknown }).fullAppData : undefined
  if (typeof fullAppData !== 'string')
    return { kind: 'error', error: new TypeError('The orderbook answered app data without a "fullAppData" string') }
  const actualHash = keccak256(stringToHex(fullAppData))
  if (actualHash !== hash.toLowerCase()) return { kind: 'mismatch', fullAppData, actualHash }
  try {
    return { kind: 'found', document: JSON.parse(fullAppData) as unknown, fullAppData }
  } catch (error) {
    return { kind: 'error', error: new TypeError('The app data document is not JSON', { cause: error }) }
  }
}
