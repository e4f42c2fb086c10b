// Startup benchmark (not a test): how long a module worker takes from `new Worker` to its 'ready'
// message, through the mirror (default) or tsx (SHEPHERD_NO_BUNDLE=1), cold (first) and warm (rest).
//   node engine/bundle/benchStartup.mjs [module entry .ts] [runs]
//   SHEPHERD_NO_BUNDLE=1 node engine/bundle/benchStartup.mjs
import { Worker } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

const entry = resolve(process.argv[2] ?? new URL('../../modules/twap-monitor/index.ts', import.meta.url).pathname)
const runs = Number(process.argv[3] ?? 3)
const bootstrap = new URL('../runner/workerBootstrap.mjs', import.meta.url)

function startOnce() {
  const started = performance.now()
  const worker = new Worker(bootstrap, {
    workerData: { module: 'bench', url: pathToFileURL(entry).href, config: {}, parseConfig: false, clock: new SharedArrayBuffer(16) },
  })
  return new Promise((done, fail) => {
    const receive = (message) => {
      if (message.type === 'batch') return message.messages.forEach(receive)
      if (message.type === 'log' && message.level === 'warn') console.error('warn:', message.message, message.fields)
      if (message.type === 'ready') done(performance.now() - started)
      if (message.type === 'failed') fail(new Error(message.error.message))
    }
    worker.on('message', receive)
    worker.on('error', fail)
  }).finally(() => worker.terminate())
}

const times = []
for (let i = 0; i < runs; i++) times.push(await startOnce())
console.log(`${process.env.SHEPHERD_NO_BUNDLE === '1' ? 'tsx' : 'mirror'} worker ready, ${entry}: ${times.map((t) => `${Math.round(t)} ms`).join(', ')}`)
