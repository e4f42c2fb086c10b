import type { TestProject } from 'vitest/node'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { startOrderbookStub } from '../orderbook/startOrderbookStub.ts'
import type { ShepherdProvided, ShepherdVitestOptions } from './provided.ts'

/** What the globalSetup needs of vitest's project: where options come from and where URLs go. */
export type ShepherdGlobalSetupProject = Pick<TestProject, 'provide' | 'getProvidedContext'>

/**
 * vitest globalSetup: starts one devnet and one orderbook stub (indexing the devnet's EthFlow
 * orders) before the project's tests, provides their URLs, chain id and the protocol's addresses
 * under `shepherd` (read them with `useShepherd()`), and stops both after the run, always. Options
 * come from `shepherdVitest(options)` (provided as `shepherdOptions`).
 *
 * @example
 * // vitest.config.ts: usually through shepherdVitest(), or by path
 * export default defineConfig({ test: { globalSetup: ['shepherd/vitest/globalSetup'] } })
 */
export default async function setup(project: ShepherdGlobalSetupProject): Promise<() => Promise<void>> {
  const options: ShepherdVitestOptions = (project.getProvidedContext() as { shepherdOptions?: ShepherdVitestOptions }).shepherdOptions ?? {}
  const blockTime = options.devnet?.blockTime === null ? undefined : (options.devnet?.blockTime ?? 1)
  const devnet: Devnet = await startDevnet({ blockTime, gasLimit: BigInt(options.devnet?.gasLimit ?? 300_000_000), log: () => {} })
  let stub: Awaited<ReturnType<typeof startOrderbookStub>>
  try {
    // The stub's EthFlow follower polls eth_getLogs; new logs come at most once a block, so a quarter
    // block is often enough (it runs for the whole test run: at 100 ms it cost ~26 ms of CPU a second).
    const pollIntervalMs = blockTime === undefined ? 100 : Math.max(100, Math.round((blockTime * 1000) / 4))
    stub = await startOrderbookStub({ devnet: options.orderbook?.followEthFlow === false ? undefined : devnet, ethFlow: { pollIntervalMs } })
  } catch (error) {
    await devnet.stop()
    throw error
  }
  const provided: ShepherdProvided = {
    rpcUrl: devnet.rpcUrl,
    wsUrl: devnet.wsUrl,
    chainId: devnet.chainId,
    addresses: devnet.addresses,
    orderbookUrl: stub.baseUrl,
    blockTime,
  }
  project.provide('shepherd', provided)
  return async () => {
    // Both, even if one fails: a devnet left running would outlive the test run.
    const results = await Promise.allSettled([stub.stop(), devnet.stop()])
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  }
}
