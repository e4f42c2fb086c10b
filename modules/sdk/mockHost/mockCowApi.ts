import type { OrderCreation } from '@cowprotocol/cow-sdk'
import { keccak256, stringToHex, type Address, type Hex } from 'viem'
import { CowApiError } from '../errors/cowApi.ts'
import type { AppDataDocument, CowApiHost, CowOrder } from '../module/types.ts'
import { computeUid } from '../orders/computeUid.ts'
import { BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL, ORDER_KIND_BUY, ORDER_KIND_SELL } from '../orders/gpv2Order.ts'
import type { MockCowRequestRecord, MockGetAppDataRecord, MockGetOrderRecord, MockRecorder, MockSubmitRecord } from './records.ts'
import { MockHostError, pick, program, runOperation, type OperationContext, type Programmed } from './runOperation.ts'
import type { AnswerOptions } from './mockChain.ts'
import { errorMessage } from '../errors/errorMessage.ts'

type MaybePromise<value> = value | Promise<value>
/** Accept with a UID, or reject with a `CowApiError`. A function may also throw. */
export type SubmitAnswer = string | CowApiError | ((order: OrderCreation, chainId: number) => MaybePromise<string | CowApiError>)
export type GetOrderAnswer = CowOrder | null | CowApiError | ((uid: string, chainId: number) => MaybePromise<CowOrder | null | CowApiError>)
export type GetAppDataAnswer = AppDataDocument | null | CowApiError | ((hash: Hex, chainId: number) => MaybePromise<AppDataDocument | null | CowApiError>)
export type CowRequestMatcher = { method?: string; path?: string | RegExp }
export type CowRequestAnswer =
  | { status: number; body: unknown }
  | CowApiError
  | ((request: { chainId: number; method: string; path: string; body: unknown }) => MaybePromise<{ status: number; body: unknown } | CowApiError>)

export type MockCowApi = CowApiHost & {
  /** Programs submissions (newest first). Default: accept with the computed UID; a repeat is DuplicatedOrder. */
  onSubmit(answer: SubmitAnswer, options?: AnswerOptions): void
  /** Programs GET /orders/{uid}. Default: the orders accepted so far, else null (404). */
  onGetOrder(answer: GetOrderAnswer, options?: AnswerOptions): void
  /** Programs GET /app_data/{hash}. Default: documents added with `addAppData`, else null (404). */
  onGetAppData(answer: GetAppDataAnswer, options?: AnswerOptions): void
  /** Programs any other path. Default: GET /api/v1/orders/{uid} answers from `orders` (200, or 404 NotFound); anything else a MockHostError naming the request. */
  onRequest(matcher: CowRequestMatcher, answer: CowRequestAnswer, options?: AnswerOptions): void
  /** Registers an app-data document under keccak256(fullAppData); returns the hash. */
  addAppData(fullAppData: string): Hex
  /** Orders the mock orderbook holds, by UID (lower-case). */
  readonly orders: Map<string, CowOrder>
  readonly submissions: MockSubmitRecord[]
  readonly getOrders: MockGetOrderRecord[]
}

const KIND = { sell: ORDER_KIND_SELL, buy: ORDER_KIND_BUY } as Record<string, Hex>
const BALANCE = { erc20: BALANCE_ERC20, external: BALANCE_EXTERNAL, internal: BALANCE_INTERNAL } as Record<string, Hex>

function defaultUid(chainId: number, order: OrderCreation): string | CowApiError {
  if (!order.from) return new CowApiError({ status: 400, errorType: 'MissingFrom', description: 'MockHost computes the UID from `from`; the order has none' })
  try {
    return computeUid(
      chainId,
      {
        sellToken: order.sellToken as Address,
        buyToken: order.buyToken as Address,
        receiver: (order.receiver ?? '0x0000000000000000000000000000000000000000') as Address,
        sellAmount: BigInt(order.sellAmount),
        buyAmount: BigInt(order.buyAmount),
        validTo: order.validTo,
        appData: order.appData as Hex,
        feeAmount: BigInt(order.feeAmount),
        kind: KIND[order.kind] ?? ('0x' as Hex),
        partiallyFillable: order.partiallyFillable,
        sellTokenBalance: BALANCE[order.sellTokenBalance ?? 'erc20'] ?? ('0x' as Hex),
        buyTokenBalance: BALANCE[order.buyTokenBalance ?? 'erc20'] ?? ('0x' as Hex),
      },
      order.from as Address,
    )
  } catch (cause) {
    return new CowApiError({ status: 400, errorType: 'InvalidOrder', description: `MockHost could not compute the UID: ${errorMessage(cause)}` })
  }
}

async function settle<value>(answer: value | CowApiError): Promise<value> {
  if (answer instanceof CowApiError) throw answer
  return answer
}

/**
 * The orderbook side of MockHost: an in-memory orderbook by default, programmable per test.
 *
 * @example
 * const cowApi = createMockCowApi(recorder, context)
 * cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'InsufficientAllowance' }), { times: 1 })
 */
export function createMockCowApi(recorder: MockRecorder, context: OperationContext): MockCowApi {
  const submitAnswers: Array<Programmed<null, SubmitAnswer>> = []
  const orderAnswers: Array<Programmed<null, GetOrderAnswer>> = []
  const appDataAnswers: Array<Programmed<null, GetAppDataAnswer>> = []
  const requestAnswers: Array<Programmed<CowRequestMatcher, CowRequestAnswer>> = []
  const orders = new Map<string, CowOrder>()
  const documents = new Map<string, string>()
  const transport = (message: string) => new CowApiError({ status: 0, description: message })
  const garbageString = () => ['', '0x1234', 'not a uid', '0xzz'][Math.floor(context.random() * 4)]

  return {
    onSubmit: (answer, options) => program(submitAnswers, null, answer, options?.times),
    onGetOrder: (answer, options) => program(orderAnswers, null, answer, options?.times),
    onGetAppData: (answer, options) => program(appDataAnswers, null, answer, options?.times),
    onRequest: (matcher, answer, options) => program(requestAnswers, matcher, answer, options?.times),
    addAppData(fullAppData) {
      if (typeof fullAppData !== 'string') throw new TypeError('addAppData: fullAppData must be the JSON document as a string')
      const hash = keccak256(stringToHex(fullAppData))
      documents.set(hash, fullAppData)
      return hash
    },
    orders,
    get submissions() {
      return recorder.of('cowApi.submitOrder')
    },
    get getOrders() {
      return recorder.of('cowApi.getOrder')
    },

    async submitOrder(chainId, order) {
      const record = recorder.push<MockSubmitRecord>({ op: 'cowApi.submitOrder', chainId, order })
      return runOperation(context, record, {
        transportError: transport,
        garbage: garbageString,
        answer: async () => {
          const answer = pick(submitAnswers, () => true)
          let uid: string
          if (answer === undefined) {
            uid = await settle(defaultUid(chainId, order))
            if (orders.has(uid.toLowerCase())) throw new CowApiError({ status: 400, errorType: 'DuplicatedOrder', description: 'order already exists' })
          } else {
            uid = await settle(typeof answer === 'function' ? await answer(order, chainId) : answer)
          }
          record.uid = uid
          orders.set(uid.toLowerCase(), { ...order, uid, owner: order.from ?? undefined, status: 'open' })
          return uid
        },
      })
    },

    async getOrder(chainId, uid) {
      const record = recorder.push<MockGetOrderRecord>({ op: 'cowApi.getOrder', chainId, uid })
      return runOperation(context, record, {
        transportError: transport,
        garbage: () => [{}, 'garbage', { uid: 42 }][Math.floor(context.random() * 3)],
        answer: async () => {
          const answer = pick(orderAnswers, () => true)
          if (answer === undefined) return orders.get(String(uid).toLowerCase()) ?? null
          return settle(typeof answer === 'function' ? await answer(uid, chainId) : answer)
        },
      })
    },

    async getAppData(chainId, hash) {
      const record = recorder.push<MockGetAppDataRecord>({ op: 'cowApi.getAppData', chainId, hash })
      return runOperation(context, record, {
        transportError: transport,
        garbage: () => [{ fullAppData: 42 }, {}, 'garbage', { fullAppData: '{not json' }][Math.floor(context.random() * 4)],
        answer: async () => {
          const answer = pick(appDataAnswers, () => true)
          if (answer === undefined) {
            const fullAppData = documents.get(String(hash).toLowerCase())
            return fullAppData === undefined ? null : { fullAppData }
          }
          return settle(typeof answer === 'function' ? await answer(hash, chainId) : answer)
        },
      })
    },

    async request(chainId, method, path, body) {
      const record = recorder.push<MockCowRequestRecord>({ op: 'cowApi.request', chainId, method, path, body })
      return runOperation(context, record, {
        transportError: transport,
        garbage: () => ({ status: 200, body: '<html>garbage</html>' }),
        answer: async () => {
          const answer = pick(requestAnswers, (m) => {
            if (m.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false
            if (m.path === undefined) return true
            return typeof m.path === 'string' ? m.path === path : m.path.test(path)
          })
          // GET /api/v1/orders/{uid} answers from the in-memory orderbook, as the real API does.
          const orderPath = /^\/api\/v1\/orders\/(0x[0-9a-fA-F]+)$/.exec(path)
          if (answer === undefined && method.toUpperCase() === 'GET' && orderPath) {
            const order = orders.get(orderPath[1]!.toLowerCase())
            return order ? { status: 200, body: order } : { status: 404, body: { errorType: 'NotFound', description: 'Order was not found' } }
          }
          if (answer === undefined)
            throw new MockHostError(`MockHost has no answer for orderbook ${method} ${path}`, {
              details: [`chain: ${chainId}`],
              hint: `Program one: mock.cowApi.onRequest({ method: '${method}', path: '${path}' }, { status: 200, body: ... })`,
            })
          return settle(typeof answer === 'function' ? await answer({ chainId, method, path, body }) : answer)
        },
      })
    },
  }
}
