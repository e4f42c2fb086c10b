import fc from 'fast-check'
import {
  type Address,
  type Hex,
  BaseError,
  createPublicClient,
  createTestClient,
  decodeErrorResult,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  http,
  keccak256,
  toHex,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { twapArtifact } from '../contracts/artifacts/TWAP.ts'
import { type TestAnvil, startTestAnvil } from '../contracts/startTestAnvil.ts'
import { type TwapData, encodeTwapStaticInput, pollTwap } from './model.ts'

// Property: the Solidity TWAP double (at its real address, placed with anvil_setCode) and the
// TypeScript model give the same poll outcome for random, partly invalid parameters and times.
// "now" is set per eth_call with a block override; the cabinet (t0 = 0) with a state override.

const TWAP: Address = '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'
const COMPOSABLE_COW: Address = '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74'
const OWNER: Address = '0x00000000000000000000000000000000000a11ce'
const CTX: Hex = keccak256(toHex('some conditional order'))
const ZERO: Address = '0x0000000000000000000000000000000000000000'
const TOKENS: Address[] = [
  '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238',
]
const YEAR = 365n * 86_400n
const U32 = 2n ** 32n

/** Storage slot of ComposableCoW.cabinet[owner][key] (mapping at slot 3, as in the original). */
function cabinetSlot(owner: Address, key: Hex): Hex {
  const inner = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [owner, 3n]))
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [key, inner]))
}

type Outcome =
  | { kind: 'order'; order: unknown }
  | { kind: 'tryAtEpoch'; epoch: bigint; reason: string }
  | { kind: 'notValid'; reason: string }
  | { kind: 'revert'; message: string }

let anvil: TestAnvil
let client: ReturnType<typeof createPublicClient>

beforeAll(async () => {
  anvil = await startTestAnvil()
  client = createPublicClient({ transport: http(anvil.rpcUrl) })
  const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
  await testClient.setCode({ address: TWAP, bytecode: twapArtifact.deployedBytecode })
  await testClient.setCode({ address: COMPOSABLE_COW, bytecode: composableCoWArtifact.deployedBytecode })
})

afterAll(async () => {
  await anvil?.stop()
})

async function pollOnChain(data: TwapData, now: bigint, ctxStart: bigint | undefined): Promise<Outcome> {
  const callData = encodeFunctionData({
    abi: twapArtifact.abi,
    functionName: 'getTradeableOrder',
    args: [OWNER, OWNER, CTX, encodeTwapStaticInput(data), '0x'],
  })
  try {
    const { data: returned } = await client.call({
      to: TWAP,
      data: callData,
      blockOverrides: { time: now },
      stateOverride:
        ctxStart === undefined
          ? undefined
          : [{ address: COMPOSABLE_COW, stateDiff: [{ slot: cabinetSlot(OWNER, CTX), value: toHex(ctxStart, { size: 32 }) }] }],
    })
    const order = decodeFunctionResult({ abi: twapArtifact.abi, functionName: 'getTradeableOrder', data: returned ?? '0x' })
    return { kind: 'order', order }
  } catch (error) {
    const raw = error instanceof BaseError ? error.walk((e) => typeof (e as { data?: unknown }).data === 'string') : undefined
    const revertData = (raw as { data?: Hex } | undefined)?.data
    if (!revertData) throw error
    // viem also decodes the built-in Error(string), which the typed ABI does not list.
    const decoded = decodeErrorResult({ abi: twapArtifact.abi, data: revertData })
    const name: string = decoded.errorName
    const args: readonly unknown[] = decoded.args ?? []
    if (name === 'PollTryAtEpoch') return { kind: 'tryAtEpoch', epoch: args[0] as bigint, reason: String(args[1]) }
    if (name === 'OrderNotValid') return { kind: 'notValid', reason: String(args[0]) }
    if (name === 'Error') return { kind: 'revert', message: String(args[0]) }
    throw new Error(`unexpected revert ${name}(${args.join(', ')})`)
  }
}

function modelOutcome(data: TwapData, now: bigint, ctxStart: bigint | undefined): Outcome {
  const r = pollTwap({ data, now, ctxStart })
  return r.kind === 'order' ? { kind: 'order', order: r.order } : r
}

const address = fc.oneof({ arbitrary: fc.constantFrom(...TOKENS), weight: 12 }, { arbitrary: fc.constant(ZERO), weight: 1 })
const amount = fc.oneof({ arbitrary: fc.bigInt(1n, 2n ** 128n), weight: 12 }, { arbitrary: fc.constant(0n), weight: 1 })
// Mostly two distinct tokens; now and then the same one twice or the zero address.
const tokenPair = fc.oneof(
  { arbitrary: fc.tuple(fc.nat(2), fc.nat(1)).map(([i, k]) => [TOKENS[i]!, TOKENS[(i + 1 + k) % 3]!] as const), weight: 10 },
  { arbitrary: fc.constantFrom(...TOKENS).map((a) => [a, a] as const), weight: 1 },
  { arbitrary: fc.tuple(address, address), weight: 1 },
)
const twapArb = fc.record({
  tokens: tokenPair,
  receiver: fc.constantFrom(...TOKENS, OWNER),
  partSellAmount: amount,
  minPartLimit: amount,
  t0: fc.oneof(
    { arbitrary: fc.bigInt(1n, 2_000_000_000n), weight: 8 },
    { arbitrary: fc.constant(0n), weight: 3 },
    { arbitrary: fc.constantFrom(U32 - 2n, U32 - 1n, U32), weight: 1 },
  ),
  n: fc.oneof({ arbitrary: fc.bigInt(2n, 12n), weight: 10 }, { arbitrary: fc.constantFrom(0n, 1n, U32 - 1n, U32), weight: 2 }),
  t: fc.oneof({ arbitrary: fc.bigInt(1n, 3_600n), weight: 10 }, { arbitrary: fc.constantFrom(0n, YEAR, YEAR + 1n), weight: 2 }),
  spanMode: fc.constantFrom('zero', 'within', 'within', 'over'),
  spanPick: fc.bigInt(0n, 4_000n),
  appData: fc.constantFrom<Hex>(`0x${'00'.repeat(32)}`, keccak256(toHex('{}'))),
})
type Case = { twap: TwapCase; ctxStart: bigint | undefined; offset: bigint }
type TwapCase = {
  tokens: readonly [Address, Address]
  receiver: Address
  partSellAmount: bigint
  minPartLimit: bigint
  t0: bigint
  n: bigint
  t: bigint
  spanMode: string
  spanPick: bigint
  appData: Hex
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  twap: twapArb,
  ctxStart: fc.oneof(fc.constant(undefined), fc.bigInt(1n, 2_000_000_000n), fc.constant(2n ** 255n)),
  offset: fc.bigInt(-2_000n, 25_000n),
})

describe('TWAP double against the TWAP model', () => {
  test('behavior: the double and the model agree on the poll outcome (order, epoch hint or reason)', async () => {
    const seen = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ twap, ctxStart, offset }) => {
        const { tokens, spanMode, spanPick, ...rest } = twap
        const span = spanMode === 'zero' ? 0n : spanMode === 'over' ? rest.t + 1n : spanPick % (rest.t + 1n)
        const data: TwapData = { ...rest, sellToken: tokens[0], buyToken: tokens[1], span }
        // Block time is a uint64: anchor "now" near the start, or near today when the start is absurd.
        const start = data.t0 === 0n ? (ctxStart ?? 0n) : data.t0
        const anchor = start < 2n ** 40n ? start : 1_700_000_000n
        const now = anchor + offset > 0n ? anchor + offset : 1n
        const [chain, model] = [await pollOnChain(data, now, ctxStart), modelOutcome(data, now, ctxStart)]
        expect(chain).toEqual(model)
        const key = model.kind === 'order' ? 'order' : model.kind === 'revert' ? 'revert' : `${model.kind}: ${model.reason}`
        seen.set(key, (seen.get(key) ?? 0) + 1)
      }),
      {
        numRuns: 100,
        // Pinned cases so every branch runs whatever the random draw.
        examples: ([
          [{ twap: { ...valid(), t0: 1_000n }, ctxStart: undefined, offset: -1n }], // before start
          [{ twap: { ...valid(), t0: 1_000n, spanMode: 'within', spanPick: 10n }, ctxStart: undefined, offset: 50n }], // not within span
          [{ twap: { ...valid(), t0: 1_000n }, ctxStart: undefined, offset: 1_200n }], // after finish
          [{ twap: { ...valid(), t0: 0n }, ctxStart: undefined, offset: 1_700_000_000n }], // empty cabinet
          [{ twap: { ...valid(), t0: 0n }, ctxStart: 5_000n, offset: 150n }], // cabinet start, part 1
          [{ twap: { ...valid(), t0: U32 - 2n, t: YEAR }, ctxStart: undefined, offset: 0n }], // validTo > uint32
          [{ twap: { ...valid(), tokens: [TOKENS[0]!, TOKENS[0]!] }, ctxStart: undefined, offset: 0n }], // same token
          [{ twap: { ...valid(), spanMode: 'over' }, ctxStart: undefined, offset: 0n }], // invalid span
          [{ twap: { ...valid(), t: YEAR + 1n }, ctxStart: undefined, offset: 0n }], // invalid frequency
        ] satisfies [Case][]),
      },
    )
    // A log line, not an assertion: which outcomes this run exercised.
    console.info('TWAP outcomes exercised:', Object.fromEntries([...seen.entries()].sort()))
  })
})

function valid(): TwapCase {
  return {
    tokens: [TOKENS[0]!, TOKENS[1]!],
    receiver: OWNER,
    partSellAmount: 10n ** 15n,
    minPartLimit: 1n,
    t0: 1_000n,
    n: 4n,
    t: 300n,
    spanMode: 'zero',
    spanPick: 0n,
    appData: `0x${'00'.repeat(32)}` as Hex,
  }
}
