import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { checkStrictOrders, type StrictOrderVerdict } from './checkStrictOrders.ts'
import { runLoad } from './runLoad.ts'

// What the real orderbook checks before it accepts an order, read from the chain for a sample of
// load-generated orders. The same load with `ownerSetup: false` is what the generator made before
// (plain EOA owners with no WETH): it must fail the same checks.

describe('load-generated orders against the real orderbook\'s checks (1 s devnet)', () => {
  let net: Devnet
  let strict: StrictOrderVerdict[]
  let plain: StrictOrderVerdict[]

  beforeAll(async () => {
    net = await startDevnet({ blockTime: 1, log: () => {} })
    // t = 120 s: each part is valid >= 60 s ahead when it becomes tradeable (the service's minimum).
    const shape = { n: 4, t: 120 }
    const real = await runLoad({ rpcUrl: net.rpcUrl, senders: 2, twapPerBlock: 2, ethFlowPerBlock: 1, blocks: 3, seed: 'strict-owners', twap: shape })
    const eoa = await runLoad({ rpcUrl: net.rpcUrl, senders: 2, twapPerBlock: 2, ethFlowPerBlock: 1, blocks: 3, seed: 'strict-eoa', twap: shape, ownerSetup: false })
    expect(real.totals.mined).toBe(18)
    expect(eoa.totals.mined).toBe(18)
    strict = await checkStrictOrders({ client: net.client, load: real })
    plain = await checkStrictOrders({ client: net.client, load: eoa })
  })
  afterAll(async () => {
    await net?.stop()
  })

  test('behavior: every sampled TWAP part and EthFlow order passes: owner code, isValidSignature magic, balance, allowance, validTo', () => {
    expect(strict.filter((v) => v.kind === 'twap')).toHaveLength(10)
    expect(strict.filter((v) => v.kind === 'ethFlow')).toHaveLength(6)
    expect(strict.filter((v) => v.problems.length > 0)).toEqual([])
  })

  test('behavior: plain EOA owners with no WETH (the generator before) fail on code, balance and allowance', () => {
    const twaps = plain.filter((v) => v.kind === 'twap')
    expect(twaps).toHaveLength(10)
    for (const verdict of twaps) {
      expect(verdict.problems.some((p) => p.startsWith('InvalidEip1271Signature: the owner has no code'))).toBe(true)
      expect(verdict.problems.some((p) => p.startsWith('InsufficientBalance'))).toBe(true)
      expect(verdict.problems.some((p) => p.startsWith('InsufficientAllowance'))).toBe(true)
    }
  })
})
