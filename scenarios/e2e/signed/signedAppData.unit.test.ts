import { keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { signedAppData } from './signedAppData.ts'

describe('signedAppData', () => {
  test('behavior: a live run names production in its documents, a devnet run names the devnet', async () => {
    const devnet = await signedAppData({ world: 'devnet' })
    const live = await signedAppData({ world: 'live' })
    expect(JSON.parse(devnet.twap.fullAppData).environment).toBe('devnet')
    expect(JSON.parse(live.twap.fullAppData).environment).toBe('production')
    expect(live.twap.hash).not.toBe(devnet.twap.hash)
    // The hash is the document's, so the orderbook can verify it.
    expect(keccak256(toHex(live.twap.fullAppData))).toBe(live.twap.hash)
  })

  test('behavior: the same world gives the same hashes on every run (a resumed run relies on it)', async () => {
    const [a, b] = [await signedAppData({ world: 'live' }), await signedAppData({ world: 'live' })]
    expect([a.twap.hash, a.ethFlow.hash]).toEqual([b.twap.hash, b.ethFlow.hash])
  })
})
