import { getAddress, type Address, type Hex } from 'viem'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { isOrderPost } from '../orderbook/isOrderPost.ts'

/** The fields that make an order one creation's, appData aside (an order posted with the wrong appData is still that creation's order). */
export type OrderIdentity = { owner: Address; sellToken: Address; buyToken: Address; receiver: Address; sellAmount: bigint; buyAmount: bigint; validTo: number | bigint }

/** An order a creation on chain names (a TWAP part), with the appData hash the creation gave it. */
export type AppDataCreation = OrderIdentity & { appData: Hex }

/** One accepted order that does not carry what its creation named. */
export type AppDataViolation = { uid: string; expected: Hex; found: string; why: string }

/** How the accepted orders' appData compares with what their creations named. */
export type AppDataIntact = {
  /** Creations naming a non-empty document: when there are none, the bar has nothing to say. */
  nonEmptyCreations: number
  /** Accepted orders matched to a creation (by identity, appData aside). */
  checked: number
  intact: number
  violations: AppDataViolation[]
}

export type JudgeAppDataParameters = { creations: readonly AppDataCreation[]; record: readonly RecordEntry[] }

const HASH = /^0x[0-9a-fA-F]{64}$/
const PUT_APP_DATA = /\/api\/v1\/app_data\/(0x[0-9a-fA-F]{64})$/

/**
 * The key of an order's identity without its appData: owner, tokens, receiver, amounts and validTo.
 *
 * @example
 * identityKey({ owner, sellToken, buyToken, receiver, sellAmount: 1n, buyAmount: 2n, validTo: 3 })
 */
export function identityKey(o: OrderIdentity): string {
  return [getAddress(o.owner), getAddress(o.sellToken), getAddress(o.buyToken), getAddress(o.receiver), o.sellAmount, o.buyAmount, BigInt(o.validTo)].join('|')
}

/** An accepted post's identity, or undefined when its body is not readable as an order. */
function postedIdentity(body: unknown): OrderIdentity | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as Record<string, unknown>
  try {
    return {
      owner: b.from as Address,
      sellToken: b.sellToken as Address,
      buyToken: b.buyToken as Address,
      receiver: (b.receiver ?? b.from) as Address,
      sellAmount: BigInt(String(b.sellAmount)),
      buyAmount: BigInt(String(b.buyAmount)),
      validTo: BigInt(String(b.validTo)),
    }
  } catch {
    return undefined
  }
}

/**
 * "appData intact": every accepted order that a creation on chain accounts for (matched by owner,
 * tokens, receiver, amounts and validTo, so an order posted with another appData is still found)
 * must carry the appData hash its creation named, and the orderbook must hold that hash's document:
 * the post carried it, or it was registered (`PUT /api/v1/app_data/{hash}` answered 200/201) before
 * the post was accepted. Judged from the chain (the creations) and the stub's record alone.
 *
 * @example
 * const intact = judgeAppData({ creations, record: stub.record.entries })
 * intact.violations // [{ uid, expected, found: EMPTY_APP_DATA_HASH, why: 'carries another appData than its creation named' }]
 */
export function judgeAppData({ creations, record }: JudgeAppDataParameters): AppDataIntact {
  const byIdentity = new Map<string, Hex[]>()
  let nonEmptyCreations = 0
  for (const creation of creations) {
    const key = identityKey(creation)
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), creation.appData.toLowerCase() as Hex])
    if (creation.appData.toLowerCase() !== EMPTY_APP_DATA_HASH) nonEmptyCreations++
  }
  // Documents the orderbook holds, as the record shows them arriving (registered, or carried by a post).
  const held = new Set<string>([EMPTY_APP_DATA_HASH])
  let intact = 0
  let checked = 0
  const violations: AppDataViolation[] = []
  for (const entry of record) {
    if (entry.method === 'PUT' && (entry.status === 200 || entry.status === 201)) {
      const hash = PUT_APP_DATA.exec(entry.path)?.[1]?.toLowerCase() ?? (typeof entry.responseBody === 'string' ? entry.responseBody.toLowerCase() : undefined)
      if (hash !== undefined) held.add(hash)
      continue
    }
    if (!isOrderPost(entry) || entry.status !== 201 || entry.injected === 'acceptThenLose') continue
    const identity = postedIdentity(entry.body)
    const expected = identity && byIdentity.get(identityKey(identity))
    if (!expected) continue
    checked++
    const posted = (entry.body as { appData?: unknown }).appData
    const document = typeof posted === 'string' && !HASH.test(posted) ? posted : undefined
    const found = document !== undefined ? keccak256Utf8(document) : typeof posted === 'string' ? (posted.toLowerCase() as Hex) : `${String(posted)}`
    const uid = entry.uid ?? String(entry.responseBody)
    if (!expected.includes(found as Hex)) {
      violations.push({ uid, expected: expected[0]!, found, why: 'carries another appData than its creation named' })
      continue
    }
    if (document !== undefined) held.add(found)
    else if (!held.has(found)) {
      violations.push({ uid, expected: expected[0]!, found, why: 'names a hash whose document the orderbook was never given' })
      continue
    }
    intact++
  }
  return { nonEmptyCreations, checked, intact, violations }
}
