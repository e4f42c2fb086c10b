import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../engine/config/loadConfig.ts'
import { createLogger } from '../engine/host/createLogger.ts'
import { startEngine, type Engine } from '../engine/startEngine.ts'
import { createStore } from '../engine/store/createStore.ts'
import { startDevnet, type Devnet } from '../harness/devnet/startDevnet.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../harness/orderbook/startOrderbookStub.ts'
import { collectGroundTruth } from '../harness/scenario/groundTruth.ts'
import { parsePrometheus, sumOf } from '../harness/scenario/prometheus.ts'
import { writeScenarioConfig } from '../harness/scenario/startScenarioEngine.ts'
import { e2eAccounts, e2eModules, fireE2eTriggers, stopLossPosts } from '../scenarios/e2e/triggers.ts'

let net: Devnet
let ob: StartedOrderbookStub
let engine: Engine | undefined
const dir = mkdtempSync(join(tmpdir(), 'shepherd-modules-'))
const logs: string[] = []

beforeAll(async () => {
  net = await startDevnet({ blockTime: 1, log: () => {} })
  // TWAP owners here are impersonated EOAs holding no sell token, and parts a few seconds apart end
  // sooner than the real orderbook's 60 s minimum validity: the stub's signature, funds and validTo
  // checks (strict by default) would refuse every part, and this test is not about them.
  ob = await startOrderbookStub({ devnet: net, knobs: { checks: { eip1271: false, validTo: false, balance: false, allowance: false, transferSimulation: false } } })
})
afterAll(async () => {
  await engine?.stop()
  await ob?.stop()
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('all five modules in the engine, against the devnet and the orderbook stub', () => {
  test('behavior: every module reaches its terminal marker from on-chain triggers; each TWAP part reaches the stub exactly once', { timeout: 300_000 }, async () => {
    const file = writeScenarioConfig({ dir, rpcUrl: net.wsUrl, orderbookUrl: ob.baseUrl, metricsPort: 0, modules: e2eModules, logLevel: 'info' })
    engine = await startEngine({ config: loadConfig(file), logger: createLogger({ write: (line) => logs.push(line) }) })
    const fromBlock = (await net.client.getBlockNumber()) + 1n
    await net.mine(2) // the tracked balance's first observation, which never alerts
    await new Promise((r) => setTimeout(r, 2500))
    const fired = await fireE2eTriggers(net, { orderbookUrl: ob.baseUrl })

    const alerts = async (module: string) => sumOf(parsePrometheus(await engine!.metrics.registry.metrics()), 'shepherd_module_alerts_total', { module })
    await waitFor("the stop-loss order at the stub", () => stopLossPosts(ob.record.entries).some((e) => e.status === 201)).catch((error) => {
      console.log(logs.filter((l) => /stop-loss|error|warn/.test(l)).slice(-15).join("\n"), JSON.stringify(ob.record.entries.filter((e) => e.method === "POST").map((e) => [e.status, e.responseBody, (e.body as { signingScheme?: string }).signingScheme])))
      throw error
    })
    await waitFor('the price alert', async () => (await alerts('price-alert')) >= 1)
    await waitFor('the balance alert', async () => (await alerts('balance-tracker')) >= 1)
    await waitFor('the EthFlow verification', () => ob.record.entries.some((e) => e.method === 'GET' && e.uid === fired.ethFlowUid.toLowerCase() && e.status === 200))
    // The TWAP has 3 parts, 4 s apart: let them all become tradeable and be submitted.
    const created = await net.client.getBlock({ blockNumber: fired.twapCreatedBlock })
    await waitFor('the last TWAP part', async () => (await net.client.getBlock()).timestamp > created.timestamp + 10n)
    await new Promise((r) => setTimeout(r, 2000))
    const toBlock = await net.client.getBlockNumber()
    expect(await alerts('price-alert')).toBe(1) // once, not every block
    await engine.stop()
    engine = undefined

    // Ground truth: the TWAP's parts from the chain, and what the stub received.
    const truth = await collectGroundTruth({ client: net.client as never, addresses: net.addresses, fromBlock, toBlock, record: ob.record.entries, blockSeenAt: new Map() })
    expect(truth.twap.expected).toBe(3)
    expect(truth.twap.delivered).toBe(3)
    expect(truth.twap.duplicates).toBe(0)
    expect(truth.ethFlow).toMatchObject({ placed: 1, observed: 1, postedByWatcher: 0 })
    expect(stopLossPosts(ob.record.entries).filter((e) => e.status === 201)).toHaveLength(1)

    // The modules' own terminal markers, read from their stores after a clean stop.
    const store = createStore({ stateDir: join(dir, 'state') })
    try {
      const twapSubmitted = (await store.forModule('twap-monitor').list('submitted:')).map(([k]) => k.slice('submitted:'.length).toLowerCase())
      const partUids = truth.twap.missing.length === 0 ? ob.record.entries.filter((e) => e.method === 'POST' && e.status === 201 && (e.body as { signingScheme?: string }).signingScheme === 'eip1271').map((e) => e.uid!.toLowerCase()) : []
      expect(twapSubmitted.sort()).toEqual(partUids.sort())
      expect(await store.forModule('ethflow-watcher').get(`observed:${fired.ethFlowUid.toLowerCase()}`)).toBeDefined()
      const stopLossUid = stopLossPosts(ob.record.entries).find((e) => e.status === 201)!.uid!.toLowerCase()
      expect(await store.forModule('stop-loss').get(`submitted:${stopLossUid}`)).toBeDefined()
    } finally {
      await store.close()
    }
    const alertLines = logs.map((l) => JSON.parse(l) as { module?: string; alert?: string }).filter((l) => l.alert)
    expect(alertLines.some((l) => l.module === 'price-alert' && l.alert === 'price-threshold')).toBe(true)
    expect(alertLines.some((l) => l.module === 'balance-tracker')).toBe(true)
  })
})
