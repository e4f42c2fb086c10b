import { expect, test } from 'vitest'
import { runBurst } from './runBurst.ts'

// Issue 15: 10,000 parts due in one block over http:// posted nothing in 138 blocks (viem sent
// every aggregate3 of the block as ONE JSON-RPC batch, over Anvil's 2 MiB body limit, every block).
// CI scale: 3,000 parts, ~5 MB of polls in one block with the old batching; full scale: 10,000.
const parts = process.env.SHEPHERD_SCALE === 'full' ? 10_000 : 3_000

for (const transport of ['http', 'ws'] as const)
  test(`scenario: a burst of ${parts} TWAP parts due in one block is posted in full over ${transport}`, async () => {
    const result = await runBurst({ transport, parts, log: (line) => console.info(line) })
    expect(result.created).toBe(parts)
    // Ground truth from the orderbook stub: every due part, each once.
    expect(result.posted).toBe(parts)
    expect(result.accepted).toBe(parts)
    expect(result.blocksToPost).toBeDefined()
    expect(result.chainHostFailures).toBe(0)
  })
