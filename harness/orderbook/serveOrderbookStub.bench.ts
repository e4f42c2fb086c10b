// Server CPU per request of serveOrderbookStub: `npm run bench -- stub-server`.
//
// The stub is served from a child process (this file with --serve), so the numbers are the server's
// CPU alone (the client's HTTP work is not in them). The parent drives it over a keep-alive node:http
// agent, 8 in flight, and each tinybench sample is the child's process.cpuUsage() across one
// iteration of 500 requests. BENCH_CPU_PROF=<dir> profiles the child.
import { fork, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'

type CpuMessage = { cpu: NodeJS.CpuUsage }

async function serveInChild(): Promise<void> {
  const { keccakReady } = await import('../../modules/sdk/hash/keccak256.ts')
  const { createOrderbookStub } = await import('./createOrderbookStub.ts')
  const { serveOrderbookStub } = await import('./serveOrderbookStub.ts')
  await keccakReady
  const stub = createOrderbookStub()
  const server = await serveOrderbookStub(stub, { port: 0 })
  process.on('message', (message: unknown) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() } satisfies CpuMessage)
    if (message === 'stop') void server.close().then(() => process.exit(0))
  })
  process.send?.({ port: server.port })
}

function ask(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpu' in message) {
        child.off('message', onMessage)
        resolve((message as CpuMessage).cpu)
      }
    }
    child.on('message', onMessage)
    child.send('cpu')
  })
}

function send(agent: Agent, port: number, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Runs `count` requests, `concurrency` at a time; fails on an unexpected status. */
async function drive(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < count) await one(next++)
  })
  await Promise.all(lanes)
}

const concurrency = 8
const perIteration = 500

export default defineBenchmark({
  name: 'stub-server',
  summary: "The orderbook stub server's own CPU per request (POST order, GET order, GET app_data), served from a child",
  async run({ quick }) {
    const { exampleOrderCreation } = await import('./exampleOrderCreation.ts')
    const { EMPTY_APP_DATA_HASH } = await import('../../modules/sdk/appData.ts')
    const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.once('message', (message) => resolve((message as { port: number }).port))
        child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)))
      })
      let salt = 0
      const uids: string[] = []
      const post = async () => {
        const answer = await send(agent, port, 'POST', '/api/v1/orders', JSON.stringify(exampleOrderCreation({ sellAmount: String(10n ** 18n + BigInt(salt++)) })))
        if (answer.status !== 201) throw new Error(`POST /api/v1/orders answered ${answer.status}: ${answer.text}`)
        uids.push(JSON.parse(answer.text) as string)
      }
      const get = async (i: number) => {
        const answer = await send(agent, port, 'GET', `/api/v1/orders/${uids[i % uids.length]}`)
        if (answer.status !== 200) throw new Error(`GET /api/v1/orders/:uid answered ${answer.status}: ${answer.text}`)
      }
      const appData = async () => {
        const answer = await send(agent, port, 'GET', `/api/v1/app_data/${EMPTY_APP_DATA_HASH}`)
        if (answer.status !== 200) throw new Error(`GET /api/v1/app_data/:hash answered ${answer.status}: ${answer.text}`)
      }
      /** One sample: the child's CPU over `perIteration` requests. */
      const childCpu = (one: (i: number) => Promise<void>) => async () => {
        const before = await ask(child)
        const wall = performance.now()
        await drive(perIteration, concurrency, one)
        const after = await ask(child)
        return { overriddenDuration: (after.user - before.user + (after.system - before.system)) / 1000, overriddenIterationCost: performance.now() - wall }
      }
      // The first POSTs fill the store the GETs read (the warm-up of the POST task runs first).
      const bench = new Bench(benchOptions(quick, { iterations: 8, timeMs: 1000, warmupIterations: 1 }))
        .add('POST /api/v1/orders', childCpu(post))
        .add('GET /api/v1/orders/:uid', childCpu(get))
        .add('GET /api/v1/app_data/:hash', childCpu(appData))
      await bench.run()
      return { rows: rowsOf(bench, { benchmark: 'stub-server', unit: 'request', clock: 'cpu', opsPerIteration: perIteration }) }
    } finally {
      agent.destroy()
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.send('stop')
        await exited
      }
    }
  },
})

if (process.argv.includes('--serve')) await serveInChild()
