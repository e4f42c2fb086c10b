import type { Hex } from 'viem'
import { apiErrorAnswer, badParameterAnswer, invalidJsonAnswer } from './apiError.ts'
import type { StoredOrder } from './orderbookStubTypes.ts'
import { decideLoss } from './knobs.ts'
import { orderStatusOf, orderView } from './orderView.ts'
import { refreshPresignatures } from './refreshPresignatures.ts'
import { prepareOrderPost, validateOrderPost, type PreparedPost } from './validateOrderPost.ts'
import { jsonAnswer } from './stubExchange.ts'
import type { Route } from './answerRoute.ts'

const postOrder: Route = {
  method: 'POST',
  path: '/api/v1/orders',
  body: 'json',
  async inspect({ stub, body }) {
    const prepared = await prepareOrderPost(stub, body)
    if (!prepared.ok) return { prepared }
    return { prepared, ...(prepared.uid ? { uid: prepared.uid } : {}), ...(prepared.owner ? { owner: prepared.owner } : {}) }
  },
  async resolve({ stub, facts, requestFacts }) {
    const prepared = facts.prepared as PreparedPost
    if (!prepared.ok) {
      const { rejection } = prepared
      return { answer: rejection.invalidJson ? invalidJsonAnswer(rejection.status as 422, rejection.description) : apiErrorAnswer(rejection.status, rejection.errorType, rejection.description) }
    }
    const checked = await validateOrderPost(stub, prepared)
    if (!checked.ok) return { answer: apiErrorAnswer(checked.status, checked.errorType, checked.description) }
    const uid = prepared.uid!
    const unchecked = checked.unchecked.length > 0 ? { unchecked: checked.unchecked } : {}
    const accepted = jsonAnswer(uid, 201)
    if (decideLoss(stub.knobs, requestFacts, stub.internals.random, stub.internals.uses)) {
      return { answer: accepted, injected: 'acceptThenLose', ...unchecked }
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
      uid,
      owner: prepared.owner!,
      creationDate: new Date(stub.internals.now()).toISOString(),
      appData: prepared.appDataHash,
      fullAppData: checked.fullAppData,
      signingScheme: parsed.signingScheme,
      signature: parsed.signature,
      quoteId: parsed.quoteId,
      class: parsed.quoteId === null ? 'limit' : 'market',
    }
    stub.putOrder(stored)
    return { answer: accepted, ...unchecked }
  },
}

const UID_PATTERN = /^0x[0-9a-fA-F]{112}$/

const getOrder: Route = {
  method: 'GET',
  path: '/api/v1/orders/:uid',
  inspect: ({ params }) => (params.uid && UID_PATTERN.test(params.uid) ? { uid: params.uid.toLowerCase() as Hex } : {}),
  async resolve({ stub, params }) {
    const uid = params.uid ?? ''
    if (!UID_PATTERN.test(uid)) return { answer: badParameterAnswer('path', `orderUid: expected 56 bytes of hex, got "${uid}"`) }
    const order = stub.getOrder(uid)
    if (!order) return { answer: apiErrorAnswer(404, 'NotFound', 'Order was not found') }
    await refreshPresignatures(stub, [order])
    return { answer: jsonAnswer(orderView(order, stub.settlement, orderStatusOf(stub, order))) }
  },
}

/** The most UIDs one POST /api/v1/orders/by_uids may ask for (the document's limit). */
const MAX_UIDS_PER_LOOKUP = 128

const getOrdersByUids: Route = {
  method: 'POST',
  path: '/api/v1/orders/by_uids',
  body: 'json',
  async resolve({ stub, body }) {
    if (!Array.isArray(body)) return { answer: invalidJsonAnswer(422, `expected an array of order UIDs, got ${body === null ? 'null' : typeof body}`) }
    const bad = body.findIndex((uid) => typeof uid !== 'string' || !UID_PATTERN.test(uid))
    if (bad !== -1) return { answer: invalidJsonAnswer(422, `[${bad}]: expected 56 bytes of hex, got ${JSON.stringify(body[bad])}`) }
    if (body.length > MAX_UIDS_PER_LOOKUP) {
      return { answer: apiErrorAnswer(400, 'TooManyOrders', `Too many order UIDs requested: ${body.length}. Maximum allowed: ${MAX_UIDS_PER_LOOKUP}`) }
    }
    // Orders the stub does not hold are left out, as the service leaves out what its database lacks.
    const held = (body as string[]).flatMap((uid) => stub.getOrder(uid) ?? [])
    await refreshPresignatures(stub, held)
    const found = held.map((order) => ({ order: orderView(order, stub.settlement, orderStatusOf(stub, order)) }))
    return { answer: jsonAnswer(found) }
  },
}

/**
 * POST /api/v1/orders, GET /api/v1/orders/{uid} and POST /api/v1/orders/by_uids.
 *
 * @example
 * const routes = [...orderRoutes, ...cancelRoutes]
 */
export const orderRoutes: readonly Route[] = [postOrder, getOrder, getOrdersByUids]
