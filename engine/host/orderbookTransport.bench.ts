// CPU per orderbook request: the global fetch (undici, what cow-sdk's OrderBookApi calls) against the
// keep-alive node:http client the cowApi host uses. Run: npx tsx engine/host/orderbookTransport.bench.ts
// Numbers are for the report, not assertions; CPU includes the local server's share (same process).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createJsonHttpClient } from './createJsonHttpClient.ts'

const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json' })
    res.end(JSON.stringify(`0x${'ab'.repeat(56)}`))
  })
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/orders`
const body = { signature: `0x${'11'.repeat(700)}`, sellAmount: '1000000000000000000' }
const requests = 3000
const concurrency = 8

async function measure(label: string, send: () => Promise<unknown>) {
  const cpu = process.cpuUsage()
  const startedAt = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < requests) await send()
  }))
  const used = process.cpuUsage(cpu)
  console.log(`${label}: ${((performance.now() - startedAt) / requests).toFixed(3)} ms wall, ${((used.user + used.system) / 1000 / requests).toFixed(3)} ms CPU per request`)
}

const client = createJsonHttpClient()
const viaFetch = async () => (await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json()
const viaClient = () => client.request({ method: 'POST', url, body, timeoutMs: 10_000 })
for (let round = 0; round < 2; round++) {
  await measure('global fetch (undici)', viaFetch)
  await measure('node:http keep-alive ', viaClient)
}
client.close()
server.close()
