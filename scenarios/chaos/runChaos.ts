import { keccak256, parseEther, toHex, type Address } from 'viem'
import { reorgDropping } from '../../harness/faults/reorgDropping.ts'
import { sumOf } from '../../harness/scenario/prometheus.ts'
import type { ExtraBars, ScenarioContext } from '../../harness/scenario/runScenario.ts'
import type { BarResult } from '../../harness/scenario/judge.ts'
import type { KillWindow } from './writeChaosDump.ts'

/** The owners of the two TWAPs the reorg step creates: one is reorged away, one stays (the control). */
export const chaosAccounts = {
  removedOwner: '0x00000000000000000000000000000000000c4a01',
  controlOwner: '0x00000000000000000000000000000000000c4a02',
} as const satisfies Record<string, Address>

const uidOwner = (uid: string) => `0x${uid.slice(2 + 64, 2 + 64 + 40)}`.toLowerCase()
const bar = (name: string, description: string, measured: string | number, pass: boolean): BarResult => ({ name, bar: description, measured: String(measured), pass })

/**
 * The chaos timeline, run beside the load: (1) at ~20% of the load, two TWAPs starting a few seconds
 * later are created in one block, then a reorg from that block replays everything except the first
 * one's creation; (2) at ~60%, the engine process is SIGKILLed the moment the orderbook accepts a
 * post, and restarted; (3) once the orders' windows have passed, the bars: nothing posted for the
 * removed order, the control order posted, and every fault visible in the metrics and the stub's
 * record. The proxy's WebSocket drops and failed requests run by themselves all along.
 */
export async function runChaos(
  context: ScenarioContext,
  { loadBlocks, blockTime, onKill }: { loadBlocks: number; blockTime: number; onKill?: (window: KillWindow) => void },
): Promise<ExtraBars> {
  const { devnet, orderbook, engine, proxy, log } = context
  const client = devnet.client
  const start = await client.getBlockNumber()
  const waitForBlock = async (target: bigint, what: string) => {
    const deadline = Date.now() + 120_000
    while ((await client.getBlockNumber()) < target) {
      if (Date.now() > deadline) throw new Error(`chaos: block ${target} (${what}) did not come`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const notes: string[] = []

  // (1) The reorg that removes a ConditionalOrderCreated.
  await waitForBlock(start + BigInt(Math.max(3, Math.floor(loadBlocks * 0.2))), 'reorg step')
  for (const owner of Object.values(chaosAccounts)) await devnet.fund(owner, parseEther('10'))
  const latest = await client.getBlock()
  const t0 = latest.timestamp + 8n // after the reorg, so nothing is legitimately posted before it
  const partSeconds = 20n // long enough to outlive the engine's restart
  const twap = (owner: Address) =>
    devnet.createTwap({
      owner,
      params: { sellToken: devnet.addresses.weth, buyToken: devnet.addresses.cowToken, receiver: owner, partSellAmount: parseEther('0.1'), minPartLimit: 1n, t0, n: 2n, t: partSeconds, span: 0n, appData: keccak256(toHex('{}')) },
      wait: false,
    })
  const [removed] = await Promise.all([twap(chaosAccounts.removedOwner), twap(chaosAccounts.controlOwner)])
  const removedReceipt = await client.waitForTransactionReceipt({ hash: removed.hash, pollingInterval: 50 })
  await waitForBlock(removedReceipt.blockNumber + 2n, 'reorg depth')
  const reorg = await reorgDropping(client, { fromBlock: removedReceipt.blockNumber, drop: [removed.hash], blockTime })
  const removedGone = (await client.getTransactionReceipt({ hash: removed.hash }).catch(() => undefined)) === undefined
  log(`reorg: depth ${reorg.depth} from block ${removedReceipt.blockNumber}, ${reorg.replayed} transactions replayed, ${reorg.dropped} dropped (removed TWAP creation ${removed.hash})`)
  notes.push(`reorg of depth ${reorg.depth} at block ${removedReceipt.blockNumber}: ${reorg.replayed} transactions replayed, the TWAP creation of ${chaosAccounts.removedOwner} dropped`)

  // (2) SIGKILL and restart of the engine process.
  await waitForBlock(start + BigInt(Math.floor(loadBlocks * 0.6)), 'kill step')
  if (!engine.killAndRestart) throw new Error('chaos: the engine must run as a process (engine.mode = "process") to be killed')
  // Kill the moment the orderbook accepts a post: the engine's `submitted:` marker for it is then at
  // best milliseconds from durable, the window a restart must recover from without posting it twice.
  const entries = orderbook.record.entries
  let scanned = entries.length
  let acceptedAt: number | undefined
  const acceptDeadline = Date.now() + 15_000
  while (acceptedAt === undefined && Date.now() < acceptDeadline) {
    for (; scanned < entries.length; scanned++) {
      const e = entries[scanned]!
      if (e.method === 'POST' && e.status === 201 && e.path.endsWith('/api/v1/orders')) acceptedAt = e.answeredAt
    }
    if (acceptedAt === undefined) await new Promise((r) => setTimeout(r, 1))
  }
  const killedAt = Date.now()
  const { downMs } = await engine.killAndRestart({ downMs: 1000 })
  onKill?.({ killedAt, healthyAt: Date.now() })
  const afterAccept = acceptedAt === undefined ? 'no post accepted in 15 s before it' : `${killedAt - acceptedAt} ms after the orderbook accepted a post`
  log(`engine SIGKILLed ${afterAccept} and restarted: down ${downMs} ms`)
  notes.push(`engine SIGKILLed once (${afterAccept}) and restarted from its cursor: down ${downMs} ms`)

  // (3) Both orders share t0: once the control's first part is accepted, the removed one's would
  // have been too. Wait for it (bounded by its window), plus two blocks, then judge what arrived.
  const posts = () => orderbook.record.entries.filter((e) => e.method === 'POST' && e.path.endsWith('/api/v1/orders'))
  const postsFor = (owner: string) => posts().filter((e) => e.uid && uidOwner(e.uid) === owner.toLowerCase())
  const deadline = Date.now() + 120_000
  while (!postsFor(chaosAccounts.controlOwner).some((e) => e.status === 201) && (await client.getBlock()).timestamp < t0 + partSeconds && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250))
  await waitForBlock((await client.getBlockNumber()) + 2n, 'settle')
  await waitForBlock(start + BigInt(loadBlocks), 'end of load')

  const status = (code: number) => posts().filter((e) => e.status === code).length
  const fivexx = posts().filter((e) => e.status >= 500).length
  const metrics = await context.scrape()
  const restartsOf = (module: string) => sumOf(metrics, 'shepherd_module_restarts_total', { module })
  const reconnects = sumOf(metrics, 'shepherd_stream_reconnects_total')
  const ingestErrors = sumOf(metrics, 'shepherd_ingest_errors_total')
  const reorgs = sumOf(metrics, 'shepherd_reorgs_total')
  const failedRequests = sumOf(metrics, 'shepherd_chain_request_total', { outcome: 'error' })
  notes.push(
    `faults seen: ${proxy?.record.counters.ws_drop ?? 0} WebSocket drops -> ${reconnects} reconnects; ${proxy?.record.counters.fail ?? 0} RPC requests failed by the proxy -> ${failedRequests} failed chain requests, ${ingestErrors} ingest errors (retried); ${reorgs} reorgs; ${fivexx} order posts answered 5xx, ${status(429)} answered 429`,
  )
  const others = ['twap-monitor', 'ethflow-watcher'].map((m) => `${m} ${restartsOf(m)}`).join(', ')
  const bars: BarResult[] = [
    bar('Reorg removed the order', 'the removed TWAP creation is not on the final chain', removedGone ? `gone (depth ${reorg.depth})` : 'still on chain', removedGone && reorg.depth >= 3),
    bar('Nothing posted for the removed order', `0 posts for owner ${chaosAccounts.removedOwner}`, postsFor(chaosAccounts.removedOwner).length, postsFor(chaosAccounts.removedOwner).length === 0),
    bar('Control order posted', `the TWAP created beside it (${chaosAccounts.controlOwner}) reaches the orderbook`, `${postsFor(chaosAccounts.controlOwner).filter((e) => e.status === 201).length} accepted`, postsFor(chaosAccounts.controlOwner).some((e) => e.status === 201)),
    bar('Trapping module restarted', '>= 1 restart of traps-every-k', restartsOf('traps-every-k'), restartsOf('traps-every-k') >= 1),
    bar('Other modules unaffected', '0 restarts of twap-monitor and ethflow-watcher', others, restartsOf('twap-monitor') + restartsOf('ethflow-watcher') === 0),
    bar('WebSocket drops visible', '>= 1 shepherd_stream_reconnects_total', reconnects, reconnects >= 1 && (proxy?.record.counters.ws_drop ?? 0) >= 1),
    // Quick per-request retries absorb most failures, so ingest errors (failed passes) may stay at 0.
    bar('RPC failures visible', '>= 1 failed chain request (shepherd_chain_request_total{outcome="error"})', `${failedRequests} failed requests, ${ingestErrors} ingest errors`, failedRequests >= 1),
    bar('Reorg visible', '>= 1 shepherd_reorgs_total', reorgs, reorgs >= 1),
    bar('Orderbook faults visible', '>= 1 post answered 5xx and >= 1 answered 429 (stub record)', `${fivexx} x 5xx, ${status(429)} x 429`, fivexx >= 1 && status(429) >= 1),
    bar('Engine killed and resumed', '1 SIGKILL, healthy again', `down ${downMs} ms, killed ${afterAccept}`, true),
  ]
  return { bars, notes }
}
