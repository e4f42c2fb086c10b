import { describe, expect, test } from 'vitest'
import { resolveLoadOptions } from './loadOptions.ts'
import { loadOwnerSellNeed } from './prepareLoadOwners.ts'

describe('loadOwnerSellNeed', () => {
  test('behavior: covers every part of every TWAP a sender can create in the run, nonce growth included', () => {
    const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:1', blocks: 3, twapPerBlock: 2, ethFlowPerBlock: 1, twap: { n: 4, partSellAmount: 100n } })
    const need = loadOwnerSellNeed({ ...o, firstNonce: 5 })
    // What the run's TWAPs really sell, replaying runLoad's nonce order: per block N TWAPs, then M EthFlow orders.
    let most = 0n
    let nonce = 5
    for (let block = 0; block < 3; block++) {
      for (let i = 0; i < 2; i++) most += 4n * (100n + BigInt(nonce++))
      nonce += 1
    }
    expect(need).toBeGreaterThanOrEqual(most)
    expect(need).toBe(6n * 4n * (100n + 14n))
  })
})
