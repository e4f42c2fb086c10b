// What making the load's senders real-looking owners costs: `npx tsx harness/load/prepareLoadOwners.bench.ts`.
// For W senders: the ForwarderOwner code, a WETH balance and an allowance each (anvil_setCode +
// 2 anvil_setStorageAt, batched), against a devnet without mining. Prints the median of 5 rounds per W.
import { startDevnet } from '../devnet/startDevnet.ts'
import { deriveSenders } from './buildLoadTx.ts'
import { resolveLoadOptions } from './loadOptions.ts'
import { prepareLoadOwners } from './prepareLoadOwners.ts'

const net = await startDevnet({ log: () => {} })
try {
  for (const senders of [10, 100, 1000]) {
    const times: number[] = []
    for (let round = 0; round < 5; round++) {
      const o = resolveLoadOptions({ rpcUrl: net.rpcUrl, senders, seed: `bench-${senders}-${round}` })
      const addresses = deriveSenders(o.seed, senders).map((address) => ({ address, firstNonce: 0 }))
      const t = performance.now()
      await prepareLoadOwners(o, addresses)
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    console.log(`${senders} owners: median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)})`)
  }
} finally {
  await net.stop()
}
