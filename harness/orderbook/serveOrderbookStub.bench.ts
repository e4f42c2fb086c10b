// Server CPU per request of serveOrderbookStub:  node --import tsx harness/orderbook/serveOrderbookStub.bench.ts
//
// The stub is served from a child process, so the numbers are the server's CPU alone (the client's
// HTTP work is not in them). The parent drives it over a keep-alive node:http agent and reads the
// child's process.cpuUsage() before and after each phase. Options: --requests N (default 3000),
// --concurrency C (default 8).
import { fork, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '8' } } })
  const count = Number(values.requests)
  const concurrency = Number(values.concurrency)
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
    // Warm-up: JIT, the keep-alive sockets, caches.
    await drive(500, concurrency, post)
    await drive(500, concurrency, get)
    await drive(500, concurrency, appData)
    const phases: Array<[string, (i: number) => Promise<void>]> = [
      ['POST /api/v1/orders', post],
      ['GET /api/v1/orders/:uid', get],
      ['GET /api/v1/app_data/:hash', appData],
    ]
    console.log(`server CPU per request, ${count} requests per route, ${concurrency} in flight, keep-alive`)
    for (const [label, one] of phases) {
      const before = await ask(child)
      const start = performance.now()
      await drive(count, concurrency, one)
      const wall = performance.now() - start
      const after = await ask(child)
      const cpuUs = after.user - before.user + (after.system - before.system)
      console.log(`${label.padEnd(28)} ${(cpuUs / count).toFixed(0).padStart(5)} µs CPU/req   ${((wall / count) * 1000).toFixed(0).padStart(5)} µs wall/req`)
    }
  } finally {
    agent.destroy()
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send('stop')
      await exited
    }
  }
}

if (process.argv.includes('--serve')) await serveInChild()
else await main()
