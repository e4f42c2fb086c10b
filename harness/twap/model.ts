import { type Address, type Hex, decodeAbiParameters, encodeAbiParameters, getAddress, keccak256, toHex } from 'viem'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'

// A pure reference model of the TWAP handler (shared/protocol-facts.md "TWAP semantics"). The Anvil
// property test holds our Solidity double to it; scenarios use it as ground truth.

/** The decoded TWAP static input. All numbers are uint256 on chain, so bigint here. */
export type TwapData = {
  sellToken: Address
  buyToken: Address
  receiver: Address
  partSellAmount: bigint
  minPartLimit: bigint
  /** Start time (seconds); 0 means "read it from the ComposableCoW cabinet". */
  t0: bigint
  /** Number of parts. */
  n: bigint
  /** Seconds between part starts. */
  t: bigint
  /** Seconds each part stays tradeable; 0 means the whole interval. */
  span: bigint
  appData: Hex
}

/** GPv2Order.Data as viem decodes it from the contract (kind and balances are bytes32 hashes). */
export type GPv2OrderData = {
  sellToken: Address
  buyToken: Address
  receiver: Address
  sellAmount: bigint
  buyAmount: bigint
  validTo: number
  appData: Hex
  feeAmount: bigint
  kind: Hex
  partiallyFillable: boolean
  sellTokenBalance: Hex
  buyTokenBalance: Hex
}

/** Outcome of polling the handler at one time. `revert` is a plain `Error(string)` (validTo past uint32). */
export type TwapPollResult =
  | { kind: 'order'; order: GPv2OrderData; part: bigint; validTo: bigint }
  | { kind: 'tryAtEpoch'; epoch: bigint; reason: 'before twap start' | 'not within span' }
  | { kind: 'notValid'; reason: string }
  | { kind: 'revert'; message: string }

export type PollTwapParameters = {
  data: TwapData
  /** The block timestamp the handler sees. */
  now: bigint | number
  /** The cabinet value (as uint256) used when `data.t0 == 0`; absent means an empty slot (0). */
  ctxStart?: bigint | undefined
}

export const KIND_SELL: Hex = keccak256(toHex('sell'))
export const BALANCE_ERC20: Hex = keccak256(toHex('erc20'))
const UINT32_MAX = 2n ** 32n - 1n
const YEAR = 365n * 24n * 3600n
const zeroAddress = '0x0000000000000000000000000000000000000000'

const staticInputAbi = [
  { name: 'sellToken', type: 'address' },
  { name: 'buyToken', type: 'address' },
  { name: 'receiver', type: 'address' },
  { name: 'partSellAmount', type: 'uint256' },
  { name: 'minPartLimit', type: 'uint256' },
  { name: 't0', type: 'uint256' },
  { name: 'n', type: 'uint256' },
  { name: 't', type: 'uint256' },
  { name: 'span', type: 'uint256' },
  { name: 'appData', type: 'bytes32' },
] as const

/**
 * ABI-encodes TWAP data as the handler's `staticInput`.
 *
 * @example
 * const staticInput = encodeTwapStaticInput({ ...data, t0: 1_700_000_000n })
 */
export function encodeTwapStaticInput(data: TwapData): Hex {
  return encodeAbiParameters(staticInputAbi, [
    data.sellToken,
    data.buyToken,
    data.receiver,
    data.partSellAmount,
    data.minPartLimit,
    data.t0,
    data.n,
    data.t,
    data.span,
    data.appData,
  ])
}

/**
 * Decodes a TWAP `staticInput` (as emitted in ConditionalOrderCreated). Throws a ShepherdError
 * naming the problem when the bytes are not a TWAP static input.
 *
 * @example
 * const data = decodeTwapStaticInput(log.args.params.staticInput)
 */
export function decodeTwapStaticInput(staticInput: Hex): TwapData {
  try {
    const [sellToken, buyToken, receiver, partSellAmount, minPartLimit, t0, n, t, span, appData] =
      decodeAbiParameters(staticInputAbi, staticInput)
    return { sellToken, buyToken, receiver, partSellAmount, minPartLimit, t0, n, t, span, appData }
  } catch (cause) {
    throw new ShepherdError('Not a TWAP static input', {
      details: [`bytes: ${staticInput.length > 80 ? `${staticInput.slice(0, 80)}...` : staticInput}`, `length: ${(staticInput.length - 2) / 2} bytes (expected 320)`],
      hint: 'A TWAP static input is abi.encode of 10 words: sellToken, buyToken, receiver, partSellAmount, minPartLimit, t0, n, t, span, appData.',
      cause,
    })
  }
}

/**
 * The handler's validation, in the handler's order. Returns the `OrderNotValid` reason, or
 * undefined when the data is valid. `t0` must already be the effective start (see pollTwap).
 *
 * @example
 * validateTwap({ ...data, n: 1n }) // 'invalid num parts'
 */
export function validateTwap(data: TwapData): string | undefined {
  if (data.sellToken.toLowerCase() === data.buyToken.toLowerCase()) return 'same token'
  if (data.sellToken.toLowerCase() === zeroAddress || data.buyToken.toLowerCase() === zeroAddress) return 'invalid token'
  if (data.partSellAmount === 0n) return 'invalid part sell amount'
  if (data.minPartLimit === 0n) return 'invalid min part limit'
  if (data.t0 >= UINT32_MAX) return 'invalid start time'
  if (data.n <= 1n || data.n > UINT32_MAX) return 'invalid num parts'
  if (data.t === 0n || data.t > YEAR) return 'invalid frequency'
  if (data.span > data.t) return 'invalid span'
  return undefined
}

/** The start time the handler uses: t0, or the cabinet value when t0 is 0. */
export function effectiveTwapStart(data: TwapData, ctxStart?: bigint): bigint {
  return data.t0 === 0n ? (ctxStart ?? 0n) : data.t0
}

/**
 * Start time of part `part` (0-based): t0 + part * t, with t0 from the cabinet when it is 0.
 *
 * @example
 * twapPartStart(data, 2n) // data.t0 + 2n * data.t
 */
export function twapPartStart(data: TwapData, part: bigint | number, ctxStart?: bigint): bigint {
  return effectiveTwapStart(data, ctxStart) + BigInt(part) * data.t
}

/** validTo of a part: end of its interval (span 0) or of its span, inclusive. */
export function twapPartValidTo(data: TwapData, part: bigint, ctxStart?: bigint): bigint {
  const start = twapPartStart(data, part, ctxStart)
  return data.span === 0n ? start + data.t - 1n : start + data.span - 1n
}

/** The discrete GPv2 order of a part (parts differ only in validTo). Addresses are checksummed, as viem decodes them. */
export function twapPartOrder(data: TwapData, validTo: bigint): GPv2OrderData {
  return {
    sellToken: getAddress(data.sellToken),
    buyToken: getAddress(data.buyToken),
    receiver: getAddress(data.receiver),
    sellAmount: data.partSellAmount,
    buyAmount: data.minPartLimit,
    validTo: Number(validTo),
    appData: data.appData,
    feeAmount: 0n,
    kind: KIND_SELL,
    partiallyFillable: false,
    sellTokenBalance: BALANCE_ERC20,
    buyTokenBalance: BALANCE_ERC20,
  }
}

/**
 * What the TWAP handler answers when polled at `now`: the part's order, or the revert it raises.
 *
 * @example
 * const r = pollTwap({ data, now: 1_700_000_100n })
 * if (r.kind === 'tryAtEpoch') scheduleAt(r.epoch)
 */
export function pollTwap({ data, now, ctxStart }: PollTwapParameters): TwapPollResult {
  const time = BigInt(now)
  const effective = { ...data, t0: effectiveTwapStart(data, ctxStart) }
  const invalid = validateTwap(effective)
  if (invalid) return { kind: 'notValid', reason: invalid }
  const { t0, n, t } = effective
  if (time < t0) return { kind: 'tryAtEpoch', epoch: t0, reason: 'before twap start' }
  if (time >= t0 + n * t) return { kind: 'notValid', reason: 'after twap finish' }
  const part = (time - t0) / t
  const validTo = twapPartValidTo(effective, part)
  if (validTo > UINT32_MAX) return { kind: 'revert', message: "SafeCast: value doesn't fit in 32 bits" }
  if (time > validTo) return { kind: 'tryAtEpoch', epoch: t0 + (part + 1n) * t, reason: 'not within span' }
  return { kind: 'order', order: twapPartOrder(effective, validTo), part, validTo }
}

/** One part of a TWAP that is tradeable at some time in a window. */
export type ExpectedTwapPart = { part: bigint; start: bigint; validTo: bigint; order: GPv2OrderData }

/** Refuse windows that would list more parts than a scenario could ever check. */
const MAX_LISTED_PARTS = 1_000_000n

/**
 * Every part that is tradeable at some instant of [fromTime, toTime] (inclusive), in order: a
 * watcher polling through that window should see exactly these orders. Invalid data gives none.
 *
 * @example
 * const parts = expectedTwapParts(data, scenarioStart, scenarioEnd)
 * expect(submittedUids).toHaveLength(parts.length)
 */
export function expectedTwapParts(
  data: TwapData,
  fromTime: bigint | number,
  toTime: bigint | number,
  ctxStart?: bigint,
): ExpectedTwapPart[] {
  const from = BigInt(fromTime)
  const to = BigInt(toTime)
  const effective = { ...data, t0: effectiveTwapStart(data, ctxStart) }
  if (validateTwap(effective) !== undefined || to < from || to < effective.t0) return []
  const { t0, n, t } = effective
  const length = effective.span === 0n ? t : effective.span
  // First part whose window [start, start + length - 1] reaches `from`: ceil((from - t0 - length + 1) / t).
  const reach = from - t0 - length + 1n
  const first = reach <= 0n ? 0n : (reach + t - 1n) / t
  const lastByTime = (to - t0) / t
  const last = lastByTime < n - 1n ? lastByTime : n - 1n
  if (last - first + 1n > MAX_LISTED_PARTS) {
    throw new ShepherdError('TWAP window holds too many parts to list', {
      details: [`parts: ${first}..${last}`, `window: ${from}..${to}`, `t: ${t}`],
      hint: `Narrow the window to at most ${MAX_LISTED_PARTS} parts.`,
    })
  }
  const parts: ExpectedTwapPart[] = []
  for (let part = first; part <= last; part++) {
    const validTo = twapPartValidTo(effective, part)
    if (validTo > UINT32_MAX) break // the handler reverts from here on: no order is ever produced
    parts.push({ part, start: t0 + part * t, validTo, order: twapPartOrder(effective, validTo) })
  }
  return parts
}
