import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address } from 'viem'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { createLogger } from '../../engine/host/createLogger.ts'
import { startEngine, type Engine } from '../../engine/startEngine.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { createTwapBurst } from './createTwapBurst.ts'

export type RunBurstParameters = {
  transport: 'http' | 'ws'
  /** TWAPs created in one block, one part each due in the same later block. */
  parts: number
  /** Blocks mined after the due block before giving up. Default 30. */
  maxBlocks?: number
  /** Wall time between mined blocks, ms. Default 1000 (1 s blocks). */
  blockIntervalMs?: number
  /** Extra lines under `[chains.11155111]` of the engine's config (e.g. `max_request_bytes = 300000`). */
  chainConfig?: readonly string[]
  log?: (line: string) => void
}

export type BurstResult = {
  transport: 'http' | 'ws'
  parts: number
  /** ConditionalOrderCreated logs in the creation block (ground truth). */
  created: number
  /** Distinct parts of the burst's owners the orderbook stub holds at the end. */
  posted: number
  /** Order posts the stub answered 201 for the burst (a second post of a part would be a duplicate). */
  accepted: number
  dueBlock: bigint
  /** Blocks from the due block (counted as 1) to the head when the last part was seen at the stub; undefined if not all were. */
  blocksToPost: number | undefined
  /** Seconds from mining the due block to the last part seen at the stub. */
  secondsToPost: number | undefined
  /** Largest head - cursor seen during the burst (sampled every 50 ms). */
  maxCursorLag: number
  /** `shepherd_module_host_failures_total{module="twap-monitor",capability="chain"}` at the end. */
  chainHostFailures: number
  /** Engine log lines at warn or above (bounded). */
  warnings: readonly string[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A burst, end to end on a real Anvil: `parts` TWAPs created in one block with one t0 (real
 * ComposableCoW.create transactions), an engine with the default twap-monitor on an http:// or ws://
 * RPC URL and default limits, then one block at t0 makes every part due at once. Blocks are mined
 * every `blockIntervalMs` until the orderbook stub holds every part (judged from the stub, not from
 * the engine) or `maxBlocks` pass. Everything started is stopped.
 *
 * @example
 * const result = await runBurst({ transport: 'http', parts: 3000 })
 * console.log(result.posted, result.blocksToPost, result.secondsToPost)
 */
export async function runBurst({ transport, parts, maxBlocks = 30, blockIntervalMs = 1000, chainConfig = [], log = () => {} }: RunBurstParameters): Promise<BurstResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-burst-'))
  const warnings: string[] = []
  let net: Devnet | undefined
  let stub: StartedOrderbookStub | undefined
  let engine: Engine | undefined
  try {
    // Anvil packs by each transaction's gas limit (90k per create); eth_call may use a whole block.
    net = await startDevnet({ gasLimit: BigInt(parts) * 100_000n + 30_000_000n, log: () => {} })
    // Strict: the stub reads this devnet for the chain checks, as it does in every scenario.
    stub = await startOrderbookStub({ devnet: net })
    const file = join(dir, 'engine.toml')
    writeFileSync(
      file,
      [
        '[engine]',
        `state_dir = ${JSON.stringify(join(dir, 'state'))}`,
        'log_level = "warn"',
        '[chains.11155111]',
        `rpc_url = ${JSON.stringify(transport === 'http' ? net.rpcUrl : net.wsUrl)}`,
        `orderbook_url = ${JSON.stringify(stub.baseUrl)}`,
        'poll_interval_ms = 100',
        ...chainConfig,
        '[[modules]]',
        'name = "twap-monitor"',
        '',
      ].join('\n'),
    )
    engine = await startEngine({
      config: loadConfig(file),
      logger: createLogger({ level: 'warn', write: (line) => warnings.length < 200 && warnings.push(line) }),
    })
    const cursor = () => engine!.status()[0]?.cursor ?? -1n
    const waitForCursor = async (block: bigint, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs
      while (cursor() < block) {
        if (Date.now() > deadline) throw new Error(`the engine's cursor did not reach block ${block} in ${timeoutMs} ms (at ${cursor()})`)
        await sleep(20)
      }
    }

    const head = await net.client.getBlock()
    const t0 = head.timestamp + 1000n
    const burst = await createTwapBurst({ rpcUrl: net.rpcUrl, count: parts, t0 })
    log(`burst: ${burst.created} TWAPs created in block ${burst.block}, t0 ${t0}`)
    // The creation block's first poll answers "try at t0" for every watch (when it succeeds).
    await waitForCursor(burst.block, 120_000)

    const owners = burst.owners
    const ours = () => stub!.orders().filter((order) => owners.has(order.owner.toLowerCase() as Address))
    await net.setNextBlockTimestamp(t0)
    await net.mine(1)
    const dueBlock = burst.block + 1n
    const dueAt = performance.now()
    let maxCursorLag = 0
    let doneAt: { block: bigint; ms: number } | undefined
    for (let mined = 1; mined <= maxBlocks && !doneAt; mined++) {
      const blockEnds = performance.now() + blockIntervalMs
      while (performance.now() < blockEnds) {
        const headNow = dueBlock + BigInt(mined - 1)
        maxCursorLag = Math.max(maxCursorLag, Number(headNow - (cursor() < 0n ? headNow : cursor())))
        if (ours().length >= parts) {
          doneAt = { block: headNow, ms: performance.now() - dueAt }
          break
        }
        await sleep(50)
      }
      if (!doneAt) await net.mine(1)
    }
    const posted = new Set(ours().map((order) => order.uid)).size
    const accepted = stub.record.accepted().length
    const failures = await engine.metrics.registry.getSingleMetric('shepherd_module_host_failures_total')?.get()
    const chainHostFailures = failures?.values.filter((v) => v.labels.module === 'twap-monitor' && v.labels.capability === 'chain').reduce((sum, v) => sum + v.value, 0) ?? 0
    const result: BurstResult = {
      transport,
      parts,
      created: burst.created,
      posted,
      accepted,
      dueBlock,
      blocksToPost: doneAt ? Number(doneAt.block - dueBlock) + 1 : undefined,
      secondsToPost: doneAt ? Math.round(doneAt.ms) / 1000 : undefined,
      maxCursorLag,
      chainHostFailures,
      warnings,
    }
    log(`burst over ${transport}: ${posted}/${parts} posted, ${result.blocksToPost ?? '-'} blocks, ${result.secondsToPost ?? '-'} s, max cursor lag ${maxCursorLag}, chain host failures ${chainHostFailures}`)
    return result
  } finally {
    await engine?.stop()
    await stub?.stop()
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
