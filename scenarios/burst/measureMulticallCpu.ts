import '../../engine/polyfills.ts'
import type { Address } from 'viem'
import { createRpcChainSource } from '../../engine/chain/createRpcChainSource.ts'
import { createChainHost } from '../../engine/host/createChainHost.ts'
import { startDevnet } from '../../harness/devnet/startDevnet.ts'
import { encodeGetTradeableOrderWithSignature } from '../../modules/sdk/codecs/pollOutcome.ts'
import { createTwapBurst } from './createTwapBurst.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/**
 * Node CPU (process.cpuUsage, user + system) of one `host.chain.multicall` of `polls` TWAP polls on
 * a real Anvil, over HTTP and over WebSocket: the median of `runs` calls after one warm-up, with
 * whether each call succeeded. Every poll answers a tradeable order (t0 is in the past), as in a
 * burst. Run as a script; numbers are noisy on a shared machine.
 *
 * @example
 * // npx tsx scenarios/burst/measureMulticallCpu.ts 5000 7
 */
export async function measureMulticallCpu(polls = 5000, runs = 7) {
  const net = await startDevnet({ gasLimit: 1_000_000_000n, log: () => {} })
  try {
    const head = await net.client.getBlock()
    const burst = await createTwapBurst({ rpcUrl: net.rpcUrl, count: polls, t0: head.timestamp - 60n })
    const calls = burst.twaps.map((t) => ({ target: net.addresses.composableCow as Address, callData: encodeGetTradeableOrderWithSignature(t.owner, t.params), allowFailure: true }))
    const results: Record<string, { ok: number; failed: number; cpuMsMedian: number; wallMsMedian: number; error?: string }> = {}
    for (const [name, rpcUrl] of [
      ['http', net.rpcUrl],
      ['ws', net.wsUrl],
    ] as const) {
      const source = createRpcChainSource({ chainId: net.chainId, rpcUrl })
      const host = createChainHost(new Map([[net.chainId, { client: source.client, multicallAddress: net.addresses.multicall3 as Address, multicallBatchSize: 500, ...('requestLimit' in source ? { requestLimit: source.requestLimit } : {}) }]]))
      const cpu: number[] = []
      const wall: number[] = []
      let ok = 0
      let failed = 0
      let error: string | undefined
      for (let run = 0; run <= runs; run++) {
        const startCpu = process.cpuUsage()
        const startWall = performance.now()
        try {
          const answers = await host.multicall(net.chainId, calls, { blockNumber: burst.block })
          if (answers.length !== calls.length) throw new Error(`${answers.length} answers for ${calls.length} calls`)
          if (run > 0) ok++
        } catch (e) {
          if (run > 0) failed++
          error = errorMessage(e)
        }
        const used = process.cpuUsage(startCpu)
        if (run > 0) {
          cpu.push((used.user + used.system) / 1000)
          wall.push(performance.now() - startWall)
        }
      }
      await source.close()
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
      results[name] = { ok, failed, cpuMsMedian: Math.round(median(cpu)), wallMsMedian: Math.round(median(wall)), ...(error ? { error } : {}) }
    }
    return results
  } finally {
    await net.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [polls, runs] = process.argv.slice(2).map(Number)
  console.log(JSON.stringify(await measureMulticallCpu(polls || 5000, runs || 7), null, 2))
}
