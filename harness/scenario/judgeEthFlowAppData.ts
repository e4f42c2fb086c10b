import type { Hex } from 'viem'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import type { AppDataViolation } from './judgeAppData.ts'

/** An EthFlow order as its `OrderPlacement` log names it: its UID and the appData hash in the placed order. */
export type EthFlowPlacementAppData = { uid: Hex; appData: Hex }

/** How the orderbook's view of the EthFlow orders compares with the appData their placements named. */
export type EthFlowAppDataIntact = {
  /** Placements naming a non-empty document: when there are none, the bar has nothing to say. */
  nonEmptyPlacements: number
  /** Placements the orderbook answered for (`GET /api/v1/orders/{uid}` answered 200 at least once). */
  checked: number
  intact: number
  violations: AppDataViolation[]
}

export type JudgeEthFlowAppDataParameters = { placements: readonly EthFlowPlacementAppData[]; record: readonly RecordEntry[] }

const ORDER_READ = /\/api\/v1\/orders\/(0x[0-9a-fA-F]{112})$/

/**
 * Why an orderbook's order (an answer to `GET /api/v1/orders/{uid}`) does not carry the appData its
 * creation named (`expected`, a hash), or undefined when it does: the same hash and, unless it is the
 * empty document, the document itself (`fullAppData` hashing to it).
 *
 * @example
 * orderAppDataViolation(named, await (await fetch(`${orderbookUrl}/api/v1/orders/${uid}`)).json())
 * // { found: '0xb48d…', why: 'the orderbook shows another appData than its creation named' }
 */
export function orderAppDataViolation(expected: string, answer: unknown): { found: string; why: string } | undefined {
  expected = expected.toLowerCase()
  const order = typeof answer === 'object' && answer !== null ? (answer as { appData?: unknown; fullAppData?: unknown }) : {}
  const found = typeof order.appData === 'string' ? order.appData.toLowerCase() : String(order.appData)
  if (found !== expected) return { found, why: 'the orderbook shows another appData than its creation named' }
  if (expected === EMPTY_APP_DATA_HASH) return undefined
  if (typeof order.fullAppData !== 'string') return { found, why: 'the orderbook holds no document for the appData its creation named' }
  const held = keccak256Utf8(order.fullAppData)
  return held === expected ? undefined : { found: held, why: 'the orderbook holds a document of another hash than its creation named' }
}

/**
 * "EthFlow appData intact": every EthFlow order the orderbook answered for (each 200 answer to
 * `GET /api/v1/orders/{uid}` in the record: what ethflow-watcher, or any client, was told) must show
 * the appData hash its `OrderPlacement` log named, and, when that is not the empty document, the
 * document itself (`fullAppData` hashing to it): the hooks and partner fee a user signed apply only
 * then. Judged from the chain (the placements) and the orderbook's answers alone; an order answered
 * several times must be intact in every answer.
 *
 * @example
 * const intact = judgeEthFlowAppData({ placements: [{ uid, appData }], record: stub.record.entries })
 * intact.violations // [{ uid, expected: appData, found: EMPTY_APP_DATA_HASH, why: 'the orderbook shows another appData than its creation named' }]
 */
export function judgeEthFlowAppData({ placements, record }: JudgeEthFlowAppDataParameters): EthFlowAppDataIntact {
  const named = new Map<string, string>()
  let nonEmptyPlacements = 0
  for (const placement of placements) {
    const appData = placement.appData.toLowerCase()
    named.set(placement.uid.toLowerCase(), appData)
    if (appData !== EMPTY_APP_DATA_HASH) nonEmptyPlacements++
  }
  const answered = new Set<string>()
  const bad = new Map<string, AppDataViolation>()
  for (const entry of record) {
    if (entry.method !== 'GET' || entry.status !== 200) continue
    // The order itself, not its /status (which carries no appData).
    const uid = ORDER_READ.exec(entry.path)?.[1]?.toLowerCase()
    const expected = uid === undefined ? undefined : named.get(uid)
    if (uid === undefined || expected === undefined) continue
    answered.add(uid)
    const violation = bad.has(uid) ? undefined : orderAppDataViolation(expected, entry.responseBody)
    if (violation) bad.set(uid, { uid, expected: expected as Hex, ...violation })
  }
  return { nonEmptyPlacements, checked: answered.size, intact: answered.size - bad.size, violations: [...bad.values()] }
}
