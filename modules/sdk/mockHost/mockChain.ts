import { encodeErrorResult, getAddress, isAddress, type Address, type Hex } from 'viem'
import { ChainCallError, ChainRequestError } from '../errors/chain.ts'
import type { ChainHost, MulticallResult, ReadOptions } from '../module/types.ts'
import { canonicalHex, parseRevertData } from '../codecs/revertData.ts'
import { garbageHex } from './faults.ts'
import type { MockCallRecord, MockChainRequestRecord, MockGetBalanceRecord, MockMulticallRecord, MockRecorder } from './records.ts'
import { MockHostError, pick, program, runOperation, type OperationContext, type Programmed } from './runOperation.ts'

/** The call an answer function receives. */
export type MockCall = { chainId: number; to: Address; data: Hex; blockNumber?: bigint }
/** Match by chain, target, 4-byte selector and/or full calldata (all given fields must match), or by predicate. */
export type CallMatcher = { chainId?: number; to?: Address; selector?: Hex; data?: Hex } | ((call: MockCall) => boolean)
/**
 * Return data, or revert data. Either may be written in a node's dialect (upper-case hex, `0X`,
 * `Reverted 0x...`: see `parseRevertData`); the module receives it canonical, as from the engine.
 */
export type CallResult = Hex | { revert: Hex | string }
export type CallAnswer = CallResult | ((call: MockCall) => CallResult | Promise<CallResult>)
export type RequestAnswerFunction = (params: readonly unknown[], chainId: number) => unknown
/** A JSON-RPC result, or a function of the params computing it. */
export type RequestAnswer = unknown
export type AnswerOptions = { /** Answer only this many times, then fall through to older answers. */ times?: number }

export type MockChain = ChainHost & {
  /** Programs `eth_call` answers (newest first). Also the fallback for multicall inner calls. */
  onCall(matcher: CallMatcher, answer: CallAnswer, options?: AnswerOptions): void
  /** Programs answers for multicall inner calls only; each inner call is answered on its own. */
  onMulticall(matcher: CallMatcher, answer: CallAnswer, options?: AnswerOptions): void
  /** Programs a raw JSON-RPC method (a value, or a function of the params). */
  onRequest(method: string, answer: RequestAnswerFunction, options?: AnswerOptions): void
  onRequest(method: string, answer: RequestAnswer, options?: AnswerOptions): void
  /** Sets a balance from `fromBlock` on (default: from genesis); reads at earlier blocks see the older value. */
  setBalance(address: Address, wei: bigint, options?: { fromBlock?: bigint; chainId?: number }): void
  readonly calls: MockCallRecord[]
  readonly multicalls: MockMulticallRecord[]
  readonly requests: MockChainRequestRecord[]
}

const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11'
const multicallFailed = encodeErrorResult({
  abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
  errorName: 'Error',
  args: ['Multicall3: call failed'],
})

function matches(matcher: CallMatcher, call: MockCall): boolean {
  if (typeof matcher === 'function') return matcher(call)
  if (matcher.chainId !== undefined && matcher.chainId !== call.chainId) return false
  if (matcher.to !== undefined && matcher.to.toLowerCase() !== call.to.toLowerCase()) return false
  if (matcher.selector !== undefined && matcher.selector.toLowerCase() !== call.data.slice(0, 10).toLowerCase()) return false
  if (matcher.data !== undefined && matcher.data.toLowerCase() !== call.data.toLowerCase()) return false
  return true
}

function describeCall(call: MockCall): string[] {
  return [`chain: ${call.chainId}`, `to: ${call.to}`, `selector: ${call.data.slice(0, 10)}`, `data bytes: ${(call.data.length - 2) / 2}`]
}

/**
 * The chain side of MockHost: programmable answers, balances per block, and a record of every call.
 *
 * @example
 * const chain = createMockChain(recorder, context)
 * chain.onCall({ to: COMPOSABLE_COW, selector: '0x26e0a196' }, { revert: pollTryNextBlock })
 */
export function createMockChain(recorder: MockRecorder, context: OperationContext): MockChain {
  const callAnswers: Array<Programmed<CallMatcher, CallAnswer>> = []
  const innerAnswers: Array<Programmed<CallMatcher, CallAnswer>> = []
  const requestAnswers: Array<Programmed<string, RequestAnswer>> = []
  const balances = new Map<string, Array<{ fromBlock: bigint; wei: bigint }>>()

  const resolve = async (answer: CallAnswer | undefined, call: MockCall, where: string): Promise<CallResult> => {
    if (answer === undefined)
      throw new MockHostError(`MockHost has no answer for this ${where}`, {
        details: describeCall(call),
        hint: `Program one: mock.chain.${where === 'eth_call' ? 'onCall' : 'onMulticall'}({ to: '${call.to}', selector: '${call.data.slice(0, 10)}' }, '0x...' or { revert: '0x...' })`,
      })
    return typeof answer === 'function' ? await answer(call) : answer
  }
  const transport = (chainId: number, method: string) => (message: string) => new ChainRequestError(message, { chainId, method })
  // As the engine's chain host does: every dialect reaches the module as canonical hex; a value in
  // no known dialect stays as programmed (tests of garbage answers rely on that).
  const revertData = (result: { revert: string }) => (parseRevertData(result.revert) ?? result.revert) as Hex
  const returnData = (result: Hex) => canonicalHex(result) ?? result

  const chain: MockChain = {
    onCall: (matcher, answer, options) => program(callAnswers, matcher, answer, options?.times),
    onMulticall: (matcher, answer, options) => program(innerAnswers, matcher, answer, options?.times),
    onRequest: (method: string, answer: RequestAnswer, options?: AnswerOptions) => program(requestAnswers, method, answer, options?.times),
    setBalance(address, wei, options) {
      if (!isAddress(address, { strict: false })) throw new TypeError(`setBalance: "${String(address)}" is not an address`)
      if (typeof wei !== 'bigint' || wei < 0n) throw new TypeError(`setBalance: wei must be a bigint >= 0, found ${String(wei)}`)
      const key = `${options?.chainId ?? '*'}:${address.toLowerCase()}`
      const list = balances.get(key) ?? []
      list.push({ fromBlock: options?.fromBlock ?? 0n, wei })
      list.sort((a, b) => (a.fromBlock < b.fromBlock ? -1 : a.fromBlock > b.fromBlock ? 1 : 0))
      balances.set(key, list)
    },
    get calls() {
      return recorder.of('chain.call')
    },
    get multicalls() {
      return recorder.of('chain.multicall')
    },
    get requests() {
      return recorder.of('chain.request')
    },

    async request(chainId, method, params = []) {
      const record = recorder.push<MockChainRequestRecord>({ op: 'chain.request', chainId, method, params })
      return runOperation(context, record, {
        transportError: transport(chainId, method),
        garbage: () => [null, 'garbage', 42, {}, '0xzz'][Math.floor(context.random() * 5)],
        answer: async () => {
          const answer = pick(requestAnswers, (m) => m === method)
          if (answer === undefined)
            throw new MockHostError(`MockHost has no answer for JSON-RPC ${method}`, { details: [`chain: ${chainId}`], hint: `Program one: mock.chain.onRequest('${method}', value)` })
          return typeof answer === 'function' ? await (answer as (p: readonly unknown[], c: number) => unknown)(params, chainId) : answer
        },
      })
    },

    async call(chainId, { to, data }, options?: ReadOptions) {
      const call: MockCall = { chainId, to, data, ...(options?.blockNumber !== undefined && { blockNumber: options.blockNumber }) }
      const record = recorder.push<MockCallRecord>({ op: 'chain.call', ...call })
      return runOperation(context, record, {
        transportError: transport(chainId, 'eth_call'),
        garbage: () => garbageHex(context.random),
        answer: async () => {
          const result = await resolve(pick(callAnswers, (m) => matches(m, call)), call, 'eth_call')
          if (typeof result === 'object') {
            record.outcome = 'revert'
            throw new ChainCallError({ chainId, to, data: revertData(result) })
          }
          return returnData(result)
        },
      })
    },

    async multicall(chainId, calls, options?: ReadOptions) {
      const blockNumber = options?.blockNumber
      const record = recorder.push<MockMulticallRecord>({ op: 'chain.multicall', chainId, calls: [...calls], ...(blockNumber !== undefined && { blockNumber }) })
      return runOperation(context, record, {
        transportError: transport(chainId, 'eth_call'),
        garbage: () => calls.map(() => ({ success: context.random() < 0.5, returnData: garbageHex(context.random) })),
        answer: async () => {
          const results: MulticallResult[] = []
          for (const inner of calls) {
            const call: MockCall = { chainId, to: inner.target, data: inner.callData, ...(blockNumber !== undefined && { blockNumber }) }
            const answer = pick(innerAnswers, (m) => matches(m, call)) ?? pick(callAnswers, (m) => matches(m, call))
            const result = await resolve(answer, call, 'multicall inner call')
            if (typeof result === 'object' && inner.allowFailure === false) {
              record.outcome = 'revert'
              throw new ChainCallError({ chainId, to: MULTICALL3, data: multicallFailed })
            }
            results.push(typeof result === 'object' ? { success: false, returnData: revertData(result) } : { success: true, returnData: returnData(result) })
          }
          record.results = results
          return results
        },
      })
    },

    async getBalance(chainId, address, options?: ReadOptions) {
      const blockNumber = options?.blockNumber
      const record = recorder.push<MockGetBalanceRecord>({ op: 'chain.getBalance', chainId, address, ...(blockNumber !== undefined && { blockNumber }) })
      return runOperation(context, record, {
        transportError: transport(chainId, 'eth_getBalance'),
        garbage: () => [-1n, 2n ** 256n, 'NaN'][Math.floor(context.random() * 3)],
        answer: async () => {
          const lower = isAddress(address, { strict: false }) ? getAddress(address).toLowerCase() : String(address).toLowerCase()
          const list = balances.get(`${chainId}:${lower}`) ?? balances.get(`*:${lower}`) ?? []
          let wei = 0n
          for (const entry of list) if (blockNumber === undefined || entry.fromBlock <= blockNumber) wei = entry.wei
          return wei
        },
      })
    },
  }
  return chain
}
