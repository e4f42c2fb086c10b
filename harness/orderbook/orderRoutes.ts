import { recoverAddress, recoverMessageAddress, slice, zeroAddress, type Address, type Hex } from 'viem'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { apiErrorAnswer, badParameterAnswer, invalidJsonAnswer } from './apiError.ts'
import { checkOrder } from './orderChecks.ts'
import { computeStubOrderUid } from './computeStubOrderUid.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { OrderbookStub, StoredOrder } from './orderbookStubTypes.ts'
import { decideLoss } from './knobs.ts'
import { orderStatusOf, orderView } from './orderView.ts'
import { parseOrderCreation, type ParsedOrderCreation } from './parseOrderCreation.ts'
import { jsonAnswer, type StubAnswer } from './stubExchange.ts'
import type { Route } from './answerRoute.ts'

type Rejection = { status: number; errorType: string; description: string; answer?: StubAnswer }
type PreparedPost =
  | { ok: true; parsed: ParsedOrderCreation; owner: Address; uid: Hex; appDataHash: Hex }
  | ({ ok: false; uid?: Hex; owner?: Address } & Rejection)

const reject = (errorType: string, description: string, status = 400): Rejection & { ok: false } => ({ ok: false, status, errorType, description })

/** Parses the body and works out owner and UID, before any knob looks at the request. */
async function preparePost(stub: OrderbookStub, body: unknown): Promise<PreparedPost> {
  const parsed = parseOrderCreation(body)
  if (!parsed.ok) return { ...reject(parsed.errorType, parsed.description, parsed.status), answer: invalidJsonAnswer(parsed.status, parsed.description) }
  const order = parsed.value
  const appDataHash = 'hash' in order.appData ? order.appData.hash : keccak256Utf8(order.appData.document)
  let owner = order.from
  if (owner === null) {
    if (order.signingScheme === 'eip1271' || order.signingScheme === 'presign') {
      return reject('MissingFrom', 'From address must be specified for on-chain signature')
    }
    // ECDSA: the real service recovers the signer from the order digest.
    const digest = slice(computeStubOrderUid(stub.domain, order, appDataHash, zeroAddress), 0, 32)
    try {
      owner =
        order.signingScheme === 'eip712'
          ? await recoverAddress({ hash: digest, signature: order.signature })
          : await recoverMessageAddress({ message: { raw: digest }, signature: order.signature })
    } catch {
      return reject('InvalidSignature', 'invalid signature')
    }
  }
  const uid = computeStubOrderUid(stub.domain, order, appDataHash, owner)
  return { ok: true, parsed: order, owner, uid, appDataHash }
}

/** Checks that need the stub's state: app data, token pair, amounts, balances and fee (knobs), duplicates. */
function validate(stub: OrderbookStub, post: Extract<PreparedPost, { ok: true }>): Rejection | { fullAppData: string | null } {
  const { parsed, appDataHash } = post
  const refused = checkOrder(parsed, stub.knobs.checks)
  if (refused) return refused
  let fullAppData: string | null = null
  if ('document' in parsed.appData) {
    if (parsed.appDataHash !== null && parsed.appDataHash !== appDataHash) {
      return { status: 400, errorType: 'AppDataHashMismatch', description: `appDataHash ${parsed.appDataHash} does not match keccak256(appData) ${appDataHash}` }
    }
    if (!isJsonObject(parsed.appData.document)) return { status: 400, errorType: 'InvalidAppData', description: 'appData is not a JSON object' }
    fullAppData = parsed.appData.document
  } else {
    fullAppData = stub.getAppData(appDataHash) ?? null
    if (fullAppData === null && stub.requireKnownAppData && appDataHash !== EMPTY_APP_DATA_HASH) {
      return { status: 400, errorType: 'InvalidAppData', description: `no app data document is known for hash ${appDataHash}` }
    }
  }
  if (parsed.sellToken === parsed.buyToken) return { status: 400, errorType: 'SameBuyAndSellToken', description: 'Buy token is the same as the sell token.' }
  if (parsed.sellAmount === 0n || parsed.buyAmount === 0n) return { status: 400, errorType: 'ZeroAmount', description: 'Buy or sell amount is zero.' }
  if (stub.getOrder(post.uid)) return { status: 400, errorType: 'DuplicatedOrder', description: 'order already exists' }
  return { fullAppData }
}

const postOrder: Route = {
  method: 'POST',
  path: '/api/v1/orders',
  body: 'json',
  async inspect({ stub, body }) {
    const prepared = await preparePost(stub, body)
    return { prepared, ...(prepared.uid ? { uid: prepared.uid } : {}), ...(prepared.owner ? { owner: prepared.owner } : {}) }
  },
  resolve({ stub, facts, requestFacts }) {
    const prepared = facts.prepared as PreparedPost
    if (!prepared.ok) return { answer: prepared.answer ?? apiErrorAnswer(prepared.status, prepared.errorType, prepared.description) }
    const checked = validate(stub, prepared)
    if ('errorType' in checked) return { answer: apiErrorAnswer(checked.status, checked.errorType, checked.description) }
    const accepted = jsonAnswer(prepared.uid, 201)
    if (decideLoss(stub.knobs, requestFacts, stub.internals.random, stub.internals.uses)) {
      return { answer: accepted, injected: 'acceptThenLose' }
    }
    if ('document' in prepared.parsed.appData && checked.fullAppData !== null) stub.putAppData(checked.fullAppData)
    const { parsed } = prepared
    const stored: StoredOrder = {
      sellToken: parsed.sellToken,
      buyToken: parsed.buyToken,
      receiver: parsed.receiver,
      sellAmount: parsed.sellAmount,
      buyAmount: parsed.buyAmount,
      validTo: parsed.validTo,
      feeAmount: parsed.feeAmount,
      kind: parsed.kind,
      partiallyFillable: parsed.partiallyFillable,
      sellTokenBalance: parsed.sellTokenBalance,
      buyTokenBalance: parsed.buyTokenBalance,
      uid: prepared.uid,
      owner: prepared.owner,
      creationDate: new Date(stub.internals.now()).toISOString(),
      appData: prepared.appDataHash,
      fullAppData: checked.fullAppData,
      signingScheme: parsed.signingScheme,
      signature: parsed.signature,
      quoteId: parsed.quoteId,
      class: parsed.quoteId === null ? 'limit' : 'market',
    }
    stub.putOrder(stored)
    return { answer: accepted }
  },
}

const UID_PATTERN = /^0x[0-9a-fA-F]{112}$/

const getOrder: Route = {
  method: 'GET',
  path: '/api/v1/orders/:uid',
  inspect: ({ params }) => (params.uid && UID_PATTERN.test(params.uid) ? { uid: params.uid.toLowerCase() as Hex } : {}),
  resolve({ stub, params }) {
    const uid = params.uid ?? ''
    if (!UID_PATTERN.test(uid)) return { answer: badParameterAnswer('path', `orderUid: expected 56 bytes of hex, got "${uid}"`) }
    const order = stub.getOrder(uid)
    if (!order) return { answer: apiErrorAnswer(404, 'NotFound', 'Order was not found') }
    return { answer: jsonAnswer(orderView(order, stub.settlement, orderStatusOf(stub, order))) }
  },
}

/** The most UIDs one POST /api/v1/orders/by_uids may ask for (the document's limit). */
const MAX_UIDS_PER_LOOKUP = 128

const getOrdersByUids: Route = {
  method: 'POST',
  path: '/api/v1/orders/by_uids',
  body: 'json',
  resolve({ stub, body }) {
    if (!Array.isArray(body)) return { answer: invalidJsonAnswer(422, `expected an array of order UIDs, got ${body === null ? 'null' : typeof body}`) }
    const bad = body.findIndex((uid) => typeof uid !== 'string' || !UID_PATTERN.test(uid))
    if (bad !== -1) return { answer: invalidJsonAnswer(422, `[${bad}]: expected 56 bytes of hex, got ${JSON.stringify(body[bad])}`) }
    if (body.length > MAX_UIDS_PER_LOOKUP) {
      return { answer: apiErrorAnswer(400, 'TooManyOrders', `Too many order UIDs requested: ${body.length}. Maximum allowed: ${MAX_UIDS_PER_LOOKUP}`) }
    }
    // Orders the stub does not hold are left out, as the service leaves out what its database lacks.
    const found = (body as string[]).flatMap((uid) => {
      const order = stub.getOrder(uid)
      return order ? [{ order: orderView(order, stub.settlement, orderStatusOf(stub, order)) }] : []
    })
    return { answer: jsonAnswer(found) }
  },
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

/**
 * POST /api/v1/orders, GET /api/v1/orders/{uid} and POST /api/v1/orders/by_uids.
 *
 * @example
 * const routes = [...orderRoutes, ...cancelRoutes]
 */
export const orderRoutes: readonly Route[] = [postOrder, getOrder, getOrdersByUids]
