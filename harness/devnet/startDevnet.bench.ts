// Devnet start-up: `npm run bench -- devnet`. Start to a deployed protocol, start without deploy,
// and stop (each start is stopped; each stop needs a started devnet, made outside its sample).
import { Bench } from 'tinybench'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'
import { startDevnet, type Devnet } from './startDevnet.ts'

export default defineBenchmark({
  name: 'devnet',
  summary: 'startDevnet to a deployed protocol, without deploy, and stop',
  async run({ quick }) {
    const started: Devnet[] = []
    let running: Devnet | undefined
    try {
      const bench = new Bench(benchOptions(quick, { iterations: 10, timeMs: 0, warmupIterations: 1 }))
        .add('start + deploy protocol', async () => started.push(await startDevnet({ deploy: true, log: () => {} })), { afterEach: async () => void (await started.pop()?.stop()) })
        .add('start, no deploy', async () => started.push(await startDevnet({ deploy: false, log: () => {} })), { afterEach: async () => void (await started.pop()?.stop()) })
        .add('stop', async () => {
          const net = running
          running = undefined
          await net?.stop()
        }, { beforeEach: async () => void (running = await startDevnet({ deploy: false, log: () => {} })) })
      await bench.run()
      return { rows: rowsOf(bench, { benchmark: 'devnet', unit: 'op' }) }
    } finally {
      await Promise.all([...started, ...(running ? [running] : [])].map((net) => net.stop()))
    }
  },
})
