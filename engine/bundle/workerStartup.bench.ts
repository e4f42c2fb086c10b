// How long a module worker takes from `new Worker` to its 'ready' message, through the mirror
// (the default) and through tsx (SHEPHERD_NO_BUNDLE=1): `npm run bench -- worker-startup`.
// BENCH_WORKER_MODULE=<module entry .ts> measures another module (default twap-monitor).
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { Bench } from 'tinybench'
import { benchOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import type { WorkerData } from '../runner/workerProtocol.ts'

const bootstrap = new URL('../runner/workerBootstrap.mjs', import.meta.url)

type WorkerMessage = { type: string; messages?: WorkerMessage[]; error?: { message: string } }

function startOnce(entry: string, tsx: boolean): Promise<void> {
  const worker = new Worker(bootstrap, {
    workerData: { module: 'bench', url: pathToFileURL(entry).href, config: {}, origin: { file: 'bench', index: 0, name: 'bench', builtIn: false }, clock: new SharedArrayBuffer(16) } satisfies WorkerData,
    env: tsx ? { ...process.env, SHEPHERD_NO_BUNDLE: '1' } : process.env,
  })
  return new Promise<void>((done, fail) => {
    const receive = (message: WorkerMessage): void => {
      if (message.type === 'batch') return message.messages?.forEach(receive)
      if (message.type === 'ready') done()
      if (message.type === 'failed') fail(new Error(message.error?.message ?? 'worker failed'))
    }
    worker.on('message', receive)
    worker.on('error', fail)
  }).finally(() => worker.terminate())
}

export default defineBenchmark({
  name: 'worker-startup',
  summary: "A module worker's start, `new Worker` to 'ready', through the mirror and through tsx",
  async run({ quick }) {
    const entry = resolve(process.env.BENCH_WORKER_MODULE ?? fileURLToPath(new URL('../../modules/twap-monitor/index.ts', import.meta.url)))
    // The first start in this process pays the cold loads; the warm-up takes it.
    const bench = new Bench(benchOptions(quick, { iterations: 5, timeMs: 0, warmupIterations: 1 }))
      .add('mirror worker ready', () => startOnce(entry, false))
      .add('tsx worker ready (SHEPHERD_NO_BUNDLE=1)', () => startOnce(entry, true))
    await bench.run()
    return { rows: rowsOf(bench, { benchmark: 'worker-startup', unit: 'start' }) }
  },
})
