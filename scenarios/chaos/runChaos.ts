import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { keccak256, parseEther, toHex, type Address } from 'viem'
import { readJournal } from '../../harness/faults/blockJournal.ts'
import { reorgDropping } from '../../harness/faults/reorgDropping.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import { blockSecondsOf, scaled } from '../../harness/scenario/defineScenario.ts'
import type { ExtraBars, FinalEvidence, ScenarioContext } from '../../harness/scenario/runScenario.ts'
import { describeSubject, isExternalSubject } from '../../harness/scenario/subject/subjectTypes.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'
import { twapRetrySeconds } from '../../harness/scenario/twapRetrySeconds.ts'
import { chaosJournal, type ChaosEvidence } from './chaosEvidence.ts'
import { judgeChaos } from './judgeChaos.ts'
import type { KillWindow } from './writeChaosDump.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** The owners of the two TWAPs the reorg step creates: one is reorged away, one stays (the control). */
export const chaosAccounts = {
  removedOwner: '0x00000000000000000000000000000000000c4a01',
  controlOwner: '0x00000000000000000000000000000000000c4a02',
} as const satisfies Record<string, Address>

const uidOwner = (uid: string) => `0x${uid.slice(2 + 64, 2 + 64 + 40)}`.toLowerCase()

export type RunChaosParameters = {
  loadBlocks: number
  blockTime: number
  onKill?: (window: KillWindow) => void
  /**
   * The external subject's one-line description (`describeSubject`) when the subject is not our
   * engine: the kill is of its process group, and it is judged on the ground-truth chaos bars only.
   */
  subject?: string | undefined
}

/**
 * The chaos timeline for the scenario being run, with its parameters read from the run itself: the
 * load's length at the run's scale, the devnet's block time, and the subject (our engine, or an
 * external command, whose process group is what gets killed). It is the `during` hook the chaos
 * scenario exports, so `shepherd scenario chaos [--subject-cmd ...]` runs the same timeline as the tests.
 *
 * @example
 * await runScenario(chaos, { scale: 'ci', during: chaosDuring() })
 */
export function chaosDuring(extra: Pick<RunChaosParameters, 'onKill'> = {}): (context: ScenarioContext) => Promise<ExtraBars> {
  return (context) => {
    const { definition, scale } = context
    if (!definition.load) throw new Error(`chaos: scenario "${definition.name}" has no load; the timeline is placed along the load's blocks`)
    const subject = isExternalSubject(definition.subject) ? describeSubject(definition.subject) : undefined
    return runChaos(context, { loadBlocks: scaled(definition.load.blocks, scale), blockTime: definition.devnet.blockTime, subject, ...extra })
  }
}

/**
 * The chaos timeline, run beside the load: (1) at ~20% of the load, two TWAPs starting a few seconds
 * later are created in one block, then a reorg from that block replays everything except the first
 * one's creation; (2) at ~60%, the engine process (or the external subject's process group) is
 * SIGKILLed the moment the orderbook accepts a post, and restarted; (3) once the orders' windows have passed, it stops. The proxy's WebSocket
 * drops and failed requests run by themselves all along. It collects evidence only: the bars are
 * judged at the end of the run, from that evidence and the run's final evidence, by `judgeChaos`.
 *
 * @example
 * await runAndReport(scenario, { during: (live) => runChaos(live, { loadBlocks: 20, blockTime: 1 }) })
 */
export async function runChaos(
  context: ScenarioContext,
  { loadBlocks, blockTime, onKill, subject }: RunChaosParameters,
): Promise<ExtraBars> {
  const { devnet, orderbook, engine, proxy, log, dir } = context
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
  // Owners as a strict orderbook wants them: EIP-1271 code, WETH for both parts, an allowance to the vault relayer.
  await devnet.prepareOwners({ owners: Object.values(chaosAccounts), sellToken: devnet.addresses.weth, balance: parseEther('0.2') })
  const latest = await client.getBlock()
  // In blocks of chain time (blockSeconds each, 12 s by default), not wall seconds: part 0 starts 8
  // blocks on, after the reorg, so nothing is legitimately posted before it; parts last 20 blocks,
  // long enough to outlive the engine's restart and to leave the 60 s the real orderbook asks.
  const blockSeconds = BigInt(blockSecondsOf(context.definition))
  const t0 = latest.timestamp + 8n * blockSeconds
  const partSeconds = 20n * blockSeconds
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
  const who = subject === undefined ? 'engine' : 'subject'
  // Kill the moment the orderbook accepts a post: the engine's `submitted:` marker for it is then at
  // best milliseconds from durable, the window a restart must recover from without posting it twice.
  const entries = orderbook.record.entries
  let scanned = entries.length
  let acceptedAt: number | undefined
  const acceptDeadline = Date.now() + 15_000
  while (acceptedAt === undefined && Date.now() < acceptDeadline) {
    for (; scanned < entries.length; scanned++) {
      const e = entries[scanned]!
      if (isOrderPost(e) && e.status === 201) acceptedAt = e.answeredAt
    }
    if (acceptedAt === undefined) await new Promise((r) => setTimeout(r, 1))
  }
  // The proxy's counts before the scrape the kill starts with, at the kill, and once the new process
  // is healthy: what was injected (and requested) while no live process could count it.
  const failBefore = proxy?.record.counters.fail ?? 0
  const dropsBefore = proxy?.record.counters.ws_drop ?? 0
  const requestsBefore = engineRequests(proxy?.record.counters)
  const pendingBefore = proxy?.pending() ?? 0
  let failAtKill = failBefore
  let requestsAtKill = requestsBefore
  let headAtKill: bigint | undefined
  const kill: KillEvidence = await engine.killAndRestart({
    downMs: 1000,
    onKilled: () => {
      failAtKill = proxy?.record.counters.fail ?? 0
      requestsAtKill = engineRequests(proxy?.record.counters)
      headAtKill = context.clock.head()
    },
  })
  const dropsAroundKill = (proxy?.record.counters.ws_drop ?? 0) - dropsBefore
  onKill?.({ killedAt: kill.old.killedAt, healthyAt: kill.new.healthy.at })
  const afterAccept = acceptedAt === undefined ? 'no post accepted in 15 s before it' : `${kill.old.killedAt - acceptedAt} ms after the orderbook accepted a post`
  log(`${who} pid ${kill.old.pid} SIGKILLed ${afterAccept}; pid ${kill.new.pid} ${subject === undefined ? 'healthy' : 'ready'}: down ${kill.downMs} ms`)
  notes.push(
    subject === undefined
      ? `engine pid ${kill.old.pid} SIGKILLed once (${afterAccept}, its cursor at block ${kill.old.lastCursor}) and restarted from its cursor as pid ${kill.new.pid}: down ${kill.downMs} ms`
      : `subject pid ${kill.old.pid} SIGKILLed once with its process group (${afterAccept}) and restarted with the same command, environment and run folder as pid ${kill.new.pid}: down ${kill.downMs} ms (to its ready signal)`,
  )

  // (3) Both orders share t0: once the control's first part is accepted, the removed one's would
  // have been too. Wait for it (bounded by its window), plus two blocks, then judge what arrived.
  const posts = () => orderbook.record.entries.filter(isOrderPost)
  const postsFor = (owner: string) => posts().filter((e) => e.uid && uidOwner(e.uid) === owner.toLowerCase())
  const deadline = Date.now() + 120_000
  while (!postsFor(chaosAccounts.controlOwner).some((e) => e.status === 201) && (await client.getBlock()).timestamp < t0 + partSeconds && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250))
  await waitForBlock((await client.getBlockNumber()) + 2n, 'settle')
  await waitForBlock(start + BigInt(loadBlocks), 'end of load')

  const live = {
    blockSeconds: blockSecondsOf(context.definition),
    subject,
    startBlock: start,
    reorg: { depth: reorg.depth, fromBlock: removedReceipt.blockNumber, removedGone },
    kill,
    headAtKill,
    failuresLostInKill: failAtKill - failBefore,
    dropsAroundKill,
    requestsLostInKill: requestsAtKill - requestsBefore + pendingBefore,
  }
  return {
    notes,
    judgeAtEnd: (final) => {
      const verdict = judgeChaos(chaosEvidence(live, final, readChaosJournal(join(dir, chaosJournal))))
      return { bars: verdict.bars, notes: verdict.notes, bounds: verdict.bounds }
    },
  }
}

/** The fixture's journal, or why it could not be read. */
function readChaosJournal(file: string): ChaosEvidence['journal'] {
  if (!existsSync(file)) return { notMeasured: `${file} does not exist (the trapping fixture wrote no journal)` }
  try {
    return { value: readJournal(file) }
  } catch (error) {
    return { notMeasured: errorMessage(error) }
  }
}

/** Requests the proxy received that the engine counts: its subscriptions go around the engine's request counter. */
function engineRequests(counters: Readonly<Record<string, number>> | undefined): number {
  const c = counters ?? {}
  return (c.request ?? 0) - (c['request:eth_subscribe'] ?? 0) - (c['request:eth_unsubscribe'] ?? 0)
}

/**
 * Assembles the chaos evidence from what runChaos saw live and the run's final evidence.
 *
 * @example
 * judgeChaos(chaosEvidence(live, final, journal))
 */
export function chaosEvidence(
  live: Pick<ChaosEvidence, 'subject' | 'blockSeconds' | 'startBlock' | 'reorg' | 'kill' | 'headAtKill'> & { failuresLostInKill: number; dropsAroundKill: number; requestsLostInKill: number },
  final: FinalEvidence,
  journal: ChaosEvidence['journal'],
): ChaosEvidence {
  const posts = final.record.filter(isOrderPost)
  const postsFor = (owner: string) => posts.filter((e) => e.uid && uidOwner(e.uid) === owner.toLowerCase())
  const counter = (name: string) => final.proxyCounters?.[name] ?? 0
  const f = final.figures
  return {
    subject: live.subject,
    blockTimeMs: final.blockTimeMs,
    blockSeconds: live.blockSeconds,
    startBlock: live.startBlock,
    reorg: live.reorg,
    removedOwnerPosts: postsFor(chaosAccounts.removedOwner).length,
    controlAccepted: postsFor(chaosAccounts.controlOwner).filter((e) => e.status === 201).length,
    kill: live.kill,
    headAtKill: live.headAtKill,
    journal,
    metrics: {
      traps: f.traps,
      restarts: f.restarts,
      hostFailures: f.hostFailures,
      moduleErrors: f.moduleErrors,
      failedChainRequests: f.failedChainRequests,
      chainRequests: f.chainRequests,
      blockEvents: f.blockEvents,
      cursorAtEnd: f.cursorAtEnd,
      reconnects: f.reconnects,
      reorgs: f.reorgs,
    },
    proxy: {
      injectedFailures: counter('fail'),
      wsDrops: counter('ws_drop'),
      failuresLostInKill: live.failuresLostInKill,
      dropsAroundKill: live.dropsAroundKill,
      pendingAtDrops: counter('ws_drop_pending'),
      nodeErrors: counter('node_error'),
      requests: engineRequests(final.proxyCounters),
      requestsLostInKill: live.requestsLostInKill,
      pendingAtEnd: final.proxyPending ?? 0,
    },
    record: final.record,
    deliveries: final.truth.twap.deliveries,
    retrySeconds: twapRetrySeconds,
  } satisfies ChaosEvidence
}
