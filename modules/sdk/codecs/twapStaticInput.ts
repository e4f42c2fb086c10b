import { decodeAbiParameters, encodeAbiParameters, isHex, type Address, type Hex } from 'viem'
import { twapStaticInputParameters } from '../abi/twap.ts'
import { AbiDecodeError, type DecodeResult } from '../errors/decode.ts'
import { errorMessage } from '../errors/errorMessage.ts'

/** TWAPOrder.Data: the ten fields of a TWAP's static input (times in seconds, amounts in wei). */
export type TwapStaticInput = {
  sellToken: Address
  buyToken: Address
  receiver: Address
  /** Sell amount of each part. */
  partSellAmount: bigint
  /** Minimum buy amount of each part. */
  minPartLimit: bigint
  /** Start time; 0 means "read it from cabinet(owner, hash(params))". */
  t0: bigint
  /** Number of parts. */
  n: bigint
  /** Seconds between parts. */
  t: bigint
  /** Seconds each part is valid for; 0 means the whole interval. */
  span: bigint
  appData: Hex
}

/**
 * Encodes a TWAP static input: abi.encode of the ten fields (320 bytes). Throws viem's encoding
 * error, naming the parameter, for an invalid address or an out-of-range number.
 *
 * @example
 * const staticInput = encodeTwapStaticInput({ sellToken, buyToken, receiver: owner, partSellAmount: 10n ** 18n,
 *   minPartLimit: 1n, t0: 0n, n: 10n, t: 3600n, span: 0n, appData: EMPTY_APP_DATA_HASH })
 */
export function encodeTwapStaticInput(input: TwapStaticInput): Hex {
  return encodeAbiParameters(twapStaticInputParameters, [
    input.sellToken,
    input.buyToken,
    input.receiver,
    input.partSellAmount,
    input.minPartLimit,
    input.t0,
    input.n,
    input.t,
    input.span,
    input.appData,
  ])
}

/**
 * Decodes a TWAP static input. Never throws: short, odd or non-hex data comes back as an
 * `AbiDecodeError`. Like Solidity's abi.decode, trailing bytes past the 320 are ignored.
 *
 * @example
 * const twap = decodeTwapStaticInput(created.params.staticInput)
 * if (twap.ok && twap.value.t0 === 0n) host.log.info('start time comes from the cabinet')
 */
export function decodeTwapStaticInput(staticInput: Hex): DecodeResult<TwapStaticInput, AbiDecodeError> {
  // A watch's static input never changes and is decoded on every part it yields: decode it once.
  const known = typeof staticInput === 'string' ? decodedStaticInputs.get(staticInput) : undefined
  if (known !== undefined) return known
  const result = decodeTwapStaticInputUncached(staticInput)
  // Shared between callers: frozen, so one caller cannot change what the next one reads.
  if (result.ok) Object.freeze(result.value)
  Object.freeze(result)
  if (typeof staticInput === 'string') {
    if (decodedStaticInputs.size >= DECODED_CACHE_SIZE) decodedStaticInputs.delete(decodedStaticInputs.keys().next().value!)
    decodedStaticInputs.set(staticInput, result)
  }
  return result
}

const DECODED_CACHE_SIZE = 8192
const decodedStaticInputs = new Map<string, DecodeResult<TwapStaticInput, AbiDecodeError>>()

function decodeTwapStaticInputUncached(staticInput: Hex): DecodeResult<TwapStaticInput, AbiDecodeError> {
  if (typeof staticInput !== 'string' || !isHex(staticInput, { strict: true }) || staticInput.length % 2 !== 0)
    return { ok: false, error: new AbiDecodeError({ what: 'TWAP static input', detail: 'not an even-length hex string' }) }
  if ((staticInput.length - 2) / 2 < 320)
    return { ok: false, error: new AbiDecodeError({ what: 'TWAP static input', detail: `expected 320 bytes, found ${(staticInput.length - 2) / 2}` }) }
  try {
    const [sellToken, buyToken, receiver, partSellAmount, minPartLimit, t0, n, t, span, appData] = decodeAbiParameters(
      twapStaticInputParameters,
      staticInput,
    )
    return { ok: true, value: { sellToken, buyToken, receiver, partSellAmount, minPartLimit, t0, n, t, span, appData } }
  } catch (cause) {
    const detail = errorMessage(cause)
    return { ok: false, error: new AbiDecodeError({ what: 'TWAP static input', detail, cause }) }
  }
}
