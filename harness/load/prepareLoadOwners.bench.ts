// What making the load's senders real-looking owners costs: `npm run bench -- load-owners`.
// For W senders: the ForwarderOwner code, a WETH balance and an allowance each (anvil_setCode +
// 2 anvil_setStorageAt, batched), against a devnet without mining. Fresh senders every iteration.
import { Bench } from 'tinybench'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { deriveSenders } from './buildLoadTx.ts'
import { resolveLoadOptions } from './loadOptions.ts'
import { prepareLoadOwners } from './prepareLoadOwners.ts'

export default defineBenchmark({
  name: 'load-owners',
  summary: 'Load generator: code, WETH and allowance for 10, 100 and 1,000 senders on a devnet',
  async run({ quick }) {
    const net = await startDevnet({ log: () => {} })
    try {
      let round = 0
      const bench = new Bench(benchOptions(quick, { iterations: 5, timeMs: 0, warmupIterations: 1 }))
      for (const senders of [10, 100, 1000])
        bench.add(`${senders} owners`, async () => {
          const o = resolveLoadOptions({ rpcUrl: net.rpcUrl, senders, seed: `bench-${senders}-${round++}` })
          await prepareLoadOwners(o, deriveSenders(o.seed, senders).map((address) => ({ address, firstNonce: 0 })))
        })
      await bench.run()
      return { rows: rowsOf(bench, { benchmark: 'load-owners', unit: 'owner', opsPerIteration: { '10 owners': 10, '100 owners': 100, '1000 owners': 1000 } }) }
    } finally {
      await net.stop()
    }
  },
})
