// CPU per orderbook request: the global fetch (undici, what cow-sdk's OrderBookApi calls) against the
// keep-alive node:http client the cowApi host uses: `npm run bench -- orderbook-transport`.
// CPU includes the local server's share (same process). Each iteration: 500 POSTs, 8 in flight.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Bench } from 'tinybench'
import { benchOptions } from '../../harness/bench/benchOptions.ts'
import { cpuTimed } from '../../harness/bench/cpuTimed.ts'
import { defineBenchmark } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import { createJsonHttpClient } from './createJsonHttpClient.ts'

const body = { signature: `0x${'11'.repeat(700)}`, sellAmount: '1000000000000000000' }
const requests = 500
const concurrency = 8

async function drive(send: () => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < requests) await send()
  }))
}

export default defineBenchmark({
  name: 'orderbook-transport',
  summary: 'CPU per orderbook POST: global fetch (undici) against the keep-alive node:http client of the cowApi host',
  async run({ quick }) {
    const server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' })
        res.end(JSON.stringify(`0x${'ab'.repeat(56)}`))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/orders`
    const client = createJsonHttpClient()
    try {
      const viaFetch = async () => (await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json()
      const viaClient = () => client.request({ method: 'POST', url, body, timeoutMs: 10_000 })
      const bench = new Bench(benchOptions(quick, { iterations: 8, timeMs: 1000, warmupIterations: 1 }))
        .add('global fetch (undici)', cpuTimed(() => drive(viaFetch)))
        .add('node:http keep-alive (cowApi host)', cpuTimed(() => drive(viaClient)))
      await bench.run()
      return { rows: rowsOf(bench, { benchmark: 'orderbook-transport', unit: 'request', clock: 'cpu', opsPerIteration: requests }) }
    } finally {
      client.close()
      await new Promise((resolve) => server.close(resolve))
    }
  },
})
