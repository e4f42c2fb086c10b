import { decodeFunctionData, isAddress, keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { composableCowAbi, ethFlowAbi } from '../devnet/abis.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'
import { decodeTwapStaticInput, pollTwap, validateTwap } from '../twap/model.ts'
import { buildEthFlowCreate, buildTwapCreate, deriveSenders, emptyAppDataHash } from './buildLoadTx.ts'
import { resolveLoadOptions } from './loadOptions.ts'

const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545' })

describe('deriveSenders', () => {
  test('behavior: senders are deterministic per seed and differ between seeds', () => {
    const a = deriveSenders('run-1', 5)
    expect(deriveSenders('run-1', 5)).toEqual(a)
    expect(new Set(a).size).toBe(5)
    for (const address of a) expect(isAddress(address, { strict: true })).toBe(true)
    const b = deriveSenders('run-2', 5)
    expect(a.filter((address) => b.includes(address))).toEqual([])
  })
})

describe('buildTwapCreate', () => {
  const [sender] = deriveSenders('s', 1) as [`0x${string}`]

  test('behavior: encodes create(params, true) with the TWAP handler and a valid WETH->COW TWAP starting just before now', () => {
    const built = buildTwapCreate({ sender, nonce: 3, seed: 's', blockTimestamp: 1_700_000_000n, shape: o.twap, addresses: o.addresses })
    const call = decodeFunctionData({ abi: composableCowAbi, data: built.data })
    expect(call.functionName).toBe('create')
    expect(call.args).toEqual([built.params, true])
    expect(built.params.handler).toBe(sepoliaAddresses.twap)
    const data = decodeTwapStaticInput(built.params.staticInput)
    expect(data).toEqual(built.twap)
    expect(data).toMatchObject({ sellToken: sepoliaAddresses.weth, buyToken: sepoliaAddresses.cowToken, receiver: sender, t0: 1_699_999_999n, n: 4n, t: 5n, span: 0n })
    expect(data.appData).toBe(keccak256(toHex('{}')))
    expect(validateTwap(data)).toBeUndefined()
    // Part 0 is tradeable in the very block the TWAP is created in.
    expect(pollTwap({ data, now: 1_700_000_000n }).kind).toBe('order')
  })

  test('behavior: salts are unique per (seed, sender, nonce)', () => {
    const [a, b] = deriveSenders('s', 2) as [`0x${string}`, `0x${string}`]
    const salts = new Set<string>()
    for (const seed of ['s', 't'])
      for (const who of [a, b])
        for (let nonce = 0; nonce < 50; nonce++) salts.add(buildTwapCreate({ sender: who, nonce, seed, blockTimestamp: 10n, shape: o.twap, addresses: o.addresses }).params.salt)
    expect(salts.size).toBe(200)
  })
})

describe('buildEthFlowCreate', () => {
  test('behavior: pays exactly sellAmount + fee, to the sender, with the empty appData and the validTo it is given', () => {
    const [sender] = deriveSenders('e', 1) as [`0x${string}`]
    const built = buildEthFlowCreate({ sender, senderIndex: 0, nonce: 9, baseAmount: 10n ** 15n, addresses: o.addresses, validTo: 1_700_001_800 })
    const call = decodeFunctionData({ abi: ethFlowAbi, data: built.data })
    expect(call.functionName).toBe('createOrder')
    expect(call.args[0]).toEqual(built.order)
    expect(built.value).toBe(built.order.sellAmount + built.order.feeAmount)
    expect(built.order).toMatchObject({ receiver: sender, buyToken: sepoliaAddresses.cowToken, feeAmount: 0n, appData: emptyAppDataHash })
    expect(built.order.validTo).toBe(1_700_001_800)
    expect(built.orderUid).toHaveLength(2 + 56 * 2)
  })

  test('behavior: sellAmounts and UIDs are unique across senders and nonces', () => {
    const senders = deriveSenders('e', 10)
    const orders = senders.flatMap((sender, senderIndex) =>
      Array.from({ length: 30 }, (_, nonce) => buildEthFlowCreate({ sender, senderIndex, nonce, baseAmount: 10n ** 15n, addresses: o.addresses, validTo: 1_700_001_800 })),
    )
    expect(new Set(orders.map((order) => order.order.sellAmount)).size).toBe(300)
    expect(new Set(orders.map((order) => order.orderUid)).size).toBe(300)
  })
})
