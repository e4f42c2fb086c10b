import { createServer, request as httpRequest, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, parseEther, toHex, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { startEngine, type Engine } from '../../engine/startEngine.ts'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { collectGroundTruth } from '../../harness/scenario/groundTruth.ts'
import { parsePrometheus, sumOf } from '../../harness/scenario/prometheus.ts'
import { writeScenarioConfig } from '../../harness/scenario/startScenarioEngine.ts'

// An engine whose orderbook_url points at a server that is not the orderbook (a wrong URL: every
// request answers 404 HTML), then that server starts forwarding to the real orderbook stub (the URL is
// fixed upstream). Before: every part was marked dropped and never posted. Now: posts stop with a
// health reason, nothing is dropped, and every part reaches the stub exactly once when it answers.

let net: Devnet
let ob: StartedOrderbookStub
let engine: Engine | undefined
let front: Server
let frontUrl: string
let mode: 'wrong' | 'forward' = 'wrong'
const frontRequests: Array<{ method: string; path: string; mode: string }> = []
const dir = mkdtempSync(join(tmpdir(), 'shepherd-wrong-orderbook-'))
const logs: string[] = []

beforeAll(async () => {
  net = await startDevnet({ blockTime: 1, log: () => {} })
  // TWAP owners here are impersonated accounts (given code below), and parts a few seconds apart end
  // sooner than the real orderbook's 60 s minimum validity: the stub's signature, funds and validTo
  // checks (strict by default) would refuse every part, and this test is not about them.
  ob = await startOrderbookStub({ devnet: net, knobs: { checks: { eip1271: false, validTo: false, balance: false, allowance: false, transferSimulation: false } } })
  front = createServer((req, res) => {
    frontRequests.push({ method: req.method ?? '', path: req.url ?? '', mode })
    if (mode === 'wrong') {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>')
      return
    }
    const target = new URL(req.url ?? '/', ob.baseUrl)
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  const port = await findFreePort()
  await new Promise<void>((resolve) => front.listen(port, '127.0.0.1', resolve))
  frontUrl = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  await engine?.stop()
  await new Promise<void>((resolve) => front?.close(() => resolve()))
  await ob?.stop()
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs.filter((l) => /twap|warn|error/.test(l)).slice(-15).join('\n')}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('twap-monitor in the engine, with orderbook_url pointing at the wrong server', () => {
  test('behavior: 404 HTML stops posts with a health reason and drops nothing; once the orderbook answers, every part is posted exactly once', { timeout: 240_000 }, async () => {
    const file = writeScenarioConfig({ dir, rpcUrl: net.wsUrl, orderbookUrl: frontUrl, metricsPort: await findFreePort(), modules: [{ name: 'twap-monitor' }], logLevel: 'info' })
    engine = await startEngine({ config: loadConfig(file), logger: createLogger({ write: (line) => logs.push(line) }) })
    const fromBlock = (await net.client.getBlockNumber()) + 1n
    const owners = Array.from({ length: 4 }, (_, i) => `0x${'0'.repeat(36)}${(0xbad0 + i).toString(16)}` as Address)
    for (const owner of owners) await net.fund(owner, parseEther('10'))
    // Contract owners (the ForwarderOwner runtime): ComposableCoW, as the real one, reverts a poll for an owner without code.
    await net.prepareOwners({ owners, sellToken: net.addresses.weth, balance: parseEther('1') })
    const t0 = (await net.client.getBlock()).timestamp + 3n
    const t = 40n
    for (const owner of owners)
      await net.createTwap({
        owner,
        params: { sellToken: net.addresses.weth, buyToken: net.addresses.cowToken, receiver: owner, partSellAmount: parseEther('0.1'), minPartLimit: 1n, t0, n: 2n, t, span: 0n, appData: keccak256(toHex('{}')) },
      })

    // Wrong server: the module stops posting, says why on /healthz, and keeps every part.
    const problems = () => engine!.health.problems().filter((p) => p.source === 'module:twap-monitor' && p.check === 'submissions')
    await waitFor('the submissions check to degrade', () => problems().length === 1)
    expect(problems()[0]!.reason).toContain('HTTP 404')
    expect(problems()[0]!.reason).toContain(`${frontUrl}/api/v1/orders`)
    const healthz = await fetch(`${engine.metricsUrl}/healthz`)
    expect(healthz.status).toBe(503)
    expect(JSON.stringify(await healthz.json())).toContain('order posts stopped')
    const metrics = parsePrometheus(await engine.metrics.registry.metrics())
    expect(sumOf(metrics, 'shepherd_module_errors_total', { module: 'twap-monitor', error_kind: 'orderbook_refused' })).toBeGreaterThanOrEqual(5)
    expect(sumOf(metrics, 'shepherd_module_degraded', { module: 'twap-monitor', check: 'submissions' })).toBe(1)
    // While stopped, only probes reach the server: a handful over several seconds, not one per part per retry.
    const postsAtStop = frontRequests.filter((r) => r.method === 'POST').length
    await new Promise((r) => setTimeout(r, 8000))
    expect(frontRequests.filter((r) => r.method === 'POST').length - postsAtStop).toBeLessThanOrEqual(3)
    const store = engine.store.forModule('twap-monitor')
    expect(await store.list('dropped:')).toEqual([])
    expect(await store.list('missed:')).toEqual([])
    expect(ob.record.accepted()).toEqual([])

    // Fixed upstream: the server now forwards to the orderbook. The next probe reopens the gate.
    mode = 'forward'
    await waitFor('the submissions check to clear', () => problems().length === 0, 90_000)
    const created = t0
    await waitFor('both parts of every TWAP', () => ob.record.accepted().length >= owners.length * 2, 120_000)
    await waitFor('the TWAPs to end', async () => (await net.client.getBlock()).timestamp > created + 2n * t + 2n)
    const toBlock = await net.client.getBlockNumber()
    await engine.stop()
    engine = undefined

    const truth = await collectGroundTruth({ client: net.client as never, addresses: net.addresses, fromBlock, toBlock, record: ob.record.entries, blockSeenAt: new Map() })
    expect(truth.twap.expected).toBe(owners.length * 2)
    expect(truth.twap.delivered).toBe(owners.length * 2)
    expect(truth.twap.duplicates).toBe(0)
    const accepted = ob.record.accepted().map((e) => e.uid.toLowerCase())
    expect(new Set(accepted).size).toBe(accepted.length) // each part accepted exactly once
    expect(frontRequests.some((r) => r.mode === 'wrong' && r.method === 'POST')).toBe(true)
  })
})
