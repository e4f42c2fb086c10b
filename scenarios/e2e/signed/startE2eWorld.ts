import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePort } from '../../../harness/devnet/findFreePort.ts'
import { startDevnet, type Devnet } from '../../../harness/devnet/startDevnet.ts'
import { scenarioDevnetParameters } from '../../../harness/scenario/scenarioDevnetParameters.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../../harness/orderbook/startOrderbookStub.ts'
import type { ScenarioModule } from '../../../harness/scenario/defineScenario.ts'
import { scenarioStubOptions } from '../../../harness/scenario/scenarioStubOptions.ts'
import { startScenarioEngine, type ScenarioEngine } from '../../../harness/scenario/startScenarioEngine.ts'
import { waitForHealthy } from '../../../harness/scenario/waitForHealthy.ts'
import scenario from '../scenario.ts'

export type StartE2eWorldParameters = {
  /** Default: the e2e scenario's modules (all five, configured for its accounts and prices). */
  modules?: readonly ScenarioModule[] | undefined
  log?: ((line: string) => void) | undefined
}

/** The devnet, the orderbook stub and an engine (its own process), with the URLs the signed run takes. */
export type E2eWorld = {
  devnet: Devnet
  orderbook: StartedOrderbookStub
  engine: ScenarioEngine
  rpcUrl: string
  orderbookUrl: string
  metricsUrl: string
  /** Stops the engine, the stub and the devnet (always all three) and removes the run folder. */
  stop(): Promise<void>
}

/**
 * Starts what the e2e scenario runs against, from the same pieces as the scenario runner: a devnet
 * with the scenario's block time, the orderbook stub as the scenario sets it (strict checks, its
 * validity window) following its EthFlow orders, and an engine in
 * its own process with the scenario's modules, healthy before this resolves. A failure part-way
 * stops whatever had started.
 *
 * @example
 * const world = await startE2eWorld()
 * try { await runSignedE2e({ world: 'devnet', ...world, privateKey, stateDir }) } finally { await world.stop() }
 */
export async function startE2eWorld({ modules = scenario.engine.modules, log = () => {} }: StartE2eWorldParameters = {}): Promise<E2eWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-e2e-signed-'))
  const teardown: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })]
  const stop = async () => {
    for (const step of teardown.splice(0).reverse()) await step().catch((error: unknown) => log(`teardown step failed: ${String(error)}`))
  }
  try {
    // The e2e scenario's devnet (blocks of 12 s of chain time) and its stub: strict, with the real
    // validity window (at least 60 s left), which the plan's TWAP parts, 10 blocks apart, meet.
    const devnet = await startDevnet(scenarioDevnetParameters(scenario, log))
    teardown.push(devnet.stop)
    const orderbook = await startOrderbookStub({ devnet, ...scenarioStubOptions(scenario) })
    teardown.push(orderbook.stop)
    const engine = await startScenarioEngine({ mode: 'process', dir, rpcUrl: devnet.wsUrl, orderbookUrl: orderbook.baseUrl, metricsPort: await findFreePort(), modules })
    teardown.push(engine.stop)
    await waitForHealthy({ metricsUrl: engine.metricsUrl, timeoutMs: 30_000, details: () => engine.logs().slice(-10) })
    log(`devnet ${devnet.rpcUrl}, orderbook ${orderbook.baseUrl}, engine metrics ${engine.metricsUrl}`)
    return { devnet, orderbook, engine, rpcUrl: devnet.rpcUrl, orderbookUrl: orderbook.baseUrl, metricsUrl: engine.metricsUrl, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
