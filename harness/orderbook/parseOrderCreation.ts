import { getAddress, isAddress, isHex, type Address, type Hex } from 'viem'

export type OrderKindName = 'sell' | 'buy'
export type SellTokenBalanceName = 'erc20' | 'external' | 'internal'
export type BuyTokenBalanceName = 'erc20' | 'internal'
export type SigningSchemeName = 'eip712' | 'ethsign' | 'eip1271' | 'presign'

/** The GPv2 order fields, normalised: checksummed addresses, bigint amounts. */
export type OrderFields = {
  sellToken: Address
  buyToken: Address
  /** null when absent or address(0) (both mean "the owner"). */
  receiver: Address | null
  sellAmount: bigint
  buyAmount: bigint
  validTo: number
  feeAmount: bigint
  kind: OrderKindName
  partiallyFillable: boolean
  sellTokenBalance: SellTokenBalanceName
  buyTokenBalance: BuyTokenBalanceName
}

/** A POST /api/v1/orders body after parsing; app data is resolved later against the stub's registry. */
export type ParsedOrderCreation = OrderFields & {
  /** A 32-byte hash, or a full JSON document (the newer form of the API). */
  appData: { hash: Hex } | { document: string }
  appDataHash: Hex | null
  signingScheme: SigningSchemeName
  signature: Hex
  from: Address | null
  quoteId: number | null
}

/**
 * A parse, or why the body does not fit the type: the real service answers such a body 422
 * `InvalidJson` (see `invalidJsonAnswer`), never a 400 with an errorType of the order enum.
 */
export type ParseResult<value> = { ok: true; value: value } | { ok: false; status: 422; errorType: 'InvalidJson'; description: string }

const U256_MAX = (1n << 256n) - 1n
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

/** Thrown inside the readers; `parseOrderCreation` turns it into a 422, `quoteRoutes` catches it too. */
class FieldError extends Error {}

/**
 * Parses a POST /api/v1/orders body from unknown input. A body that does not fit the type (a
 * missing field, bad hex, a wrong type, a value out of range) gives
 * `{ ok: false, status: 422, errorType: 'InvalidJson', description }` naming the bad field.
 *
 * @example
 * const parsed = parseOrderCreation(JSON.parse(request.bodyText))
 * if (!parsed.ok) return { answer: invalidJsonAnswer(parsed.status, parsed.description) }
 */
export function parseOrderCreation(input: unknown): ParseResult<ParsedOrderCreation> {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FieldError('body: expected a JSON object')
    const body = input as Record<string, unknown>
    const receiver = optional(body, 'receiver', readAddress)
    const appDataRaw = readString(body.appData, 'appData')
    const appData = /^0x[0-9a-fA-F]{64}$/.test(appDataRaw)
      ? { hash: appDataRaw.toLowerCase() as Hex }
      : { document: appDataRaw }
    return {
      ok: true,
      value: {
        sellToken: readAddress(body.sellToken, 'sellToken'),
        buyToken: readAddress(body.buyToken, 'buyToken'),
        receiver: receiver === null || receiver === ZERO_ADDRESS ? null : receiver,
        sellAmount: readAmount(body.sellAmount, 'sellAmount'),
        buyAmount: readAmount(body.buyAmount, 'buyAmount'),
        validTo: readUint32(body.validTo, 'validTo'),
        feeAmount: readAmount(body.feeAmount, 'feeAmount'),
        kind: readEnum(body.kind, 'kind', ['sell', 'buy'] as const),
        partiallyFillable: readBoolean(body.partiallyFillable, 'partiallyFillable'),
        sellTokenBalance: optional(body, 'sellTokenBalance', (v, f) => readEnum(v, f, ['erc20', 'external', 'internal'] as const)) ?? 'erc20',
        buyTokenBalance: optional(body, 'buyTokenBalance', (v, f) => readEnum(v, f, ['erc20', 'internal'] as const)) ?? 'erc20',
        appData,
        appDataHash: optional(body, 'appDataHash', readBytes32),
        signingScheme: readEnum(body.signingScheme, 'signingScheme', ['eip712', 'ethsign', 'eip1271', 'presign'] as const),
        signature: readHex(body.signature, 'signature'),
        from: optional(body, 'from', readAddress),
        quoteId: optional(body, 'quoteId', readInteger),
      },
    }
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, status: 422, errorType: 'InvalidJson', description: error.message }
    throw error
  }
}

function optional<value>(body: Record<string, unknown>, field: string, read: (v: unknown, field: string) => value): value | null {
  const v = body[field]
  return v === undefined || v === null ? null : read(v, field)
}

export function readString(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new FieldError(`${field}: expected a string, got ${describe(v)}`)
  return v
}

export function readAddress(v: unknown, field: string): Address {
  const s = readString(v, field)
  if (!isAddress(s, { strict: false })) throw new FieldError(`${field}: expected a 20-byte hex address, got "${s}"`)
  return getAddress(s)
}

function readAmount(v: unknown, field: string): bigint {
  const s = readString(v, field)
  if (!/^\d+$/.test(s)) throw new FieldError(`${field}: expected a decimal string, got "${s}"`)
  const n = BigInt(s)
  if (n > U256_MAX) throw new FieldError(`${field}: does not fit in uint256`)
  return n
}

function readInteger(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new FieldError(`${field}: expected an integer, got ${describe(v)}`)
  return v
}

function readUint32(v: unknown, field: string): number {
  const n = readInteger(v, field)
  if (n < 0 || n > 0xffffffff) throw new FieldError(`${field}: expected a uint32, got ${n}`)
  return n
}

function readBoolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new FieldError(`${field}: expected a boolean, got ${describe(v)}`)
  return v
}

function readEnum<const options extends readonly string[]>(v: unknown, field: string, options: options): options[number] {
  const s = readString(v, field)
  if (!options.includes(s)) throw new FieldError(`${field}: expected one of ${options.join(', ')}, got "${s}"`)
  return s
}

function readHex(v: unknown, field: string): Hex {
  const s = readString(v, field)
  if (!isHex(s, { strict: true }) || s.length % 2 !== 0) throw new FieldError(`${field}: expected 0x-prefixed hex bytes`)
  return s.toLowerCase() as Hex
}

function readBytes32(v: unknown, field: string): Hex {
  const s = readHex(v, field)
  if (s.length !== 66) throw new FieldError(`${field}: expected 32 bytes of hex`)
  return s
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}
