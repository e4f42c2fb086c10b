import type { JournalLine } from '../../harness/faults/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import type { BarResult, DerivedBound, ErrorKindBound, Measures, ModuleErrorCount } from '../../harness/scenario/judge.ts'
import type { Delivery } from '../../harness/scenario/judgeDelivery.ts'
import { describeEvidence, type Evidence } from '../../harness/scenario/runMetrics.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'
import type { PartWindow, RecordedAnswer } from '../../harness/scenario/twapRetrySeconds.ts'

/** The module that traps on purpose, and whose journal is the witness of what modules received. */
export const trappingModule = 'traps-every-k'
/** The trapping fixture's journal file in the run's folder (the scenario's module config points it there). */
export const chaosJournal = 'traps-every-k.ndjson'
/** The modules that must not notice the faults. */
export const unaffectedModules = ['twap-monitor', 'ethflow-watcher'] as const
/** Every module the chaos engine runs: each must receive every block. */
export const chaosModules = [trappingModule, ...unaffectedModules] as const

/** Everything the chaos bars judge, collected by runChaos (live) and at the end of the run. No devnet needed to build one. */
export type ChaosEvidence = {
  /**
   * Set (to the subject's one-line description) when the subject is an external command: the bars
   * read from the engine's metrics or the trapping module's journal are "not measured for this
   * subject"; the ground-truth bars (reorg, kill and resume from its process evidence, the faults it
   * met, the latency bound) are judged as for the engine.
   */
  subject?: string | undefined
  blockTimeMs: number
  /** The block the chaos timeline started at: every block from here to the last one the witness handled must be in its journal. */
  startBlock: bigint
  reorg: { depth: number; fromBlock: bigint; removedGone: boolean }
  /** Order posts for the owner whose TWAP creation the reorg removed, and accepted posts of the control owner. */
  removedOwnerPosts: number
  controlAccepted: number
  /** The SIGKILL and restart, as the harness saw it; undefined when it never happened. */
  kill: KillEvidence | undefined
  /**
   * The head the harness's watcher had seen when the signal was sent: the killed process cannot have
   * finished a block past it, so it bounds the blocks it finished after its last scrape.
   */
  headAtKill: bigint | undefined
  /** The trapping fixture's journal: every trap it injected and every block it handled (across engine processes). */
  journal: Evidence<readonly JournalLine[]>
  /** From the engine's metrics, over the whole run and every engine process. */
  metrics: {
    traps: Evidence<ReadonlyArray<{ module: string; kind: string; count: number }>>
    restarts: Evidence<ReadonlyArray<{ module: string; count: number }>>
    hostFailures: Evidence<ReadonlyArray<{ module: string; capability: string; count: number }>>
    /** Errors modules reported and handled themselves, by module and error_kind. */
    moduleErrors: Evidence<readonly ModuleErrorCount[]>
    /** Chain requests that failed (`outcome="error"`; reverts are `outcome="revert"`, not failures). */
    failedChainRequests: Evidence<number>
    /** Chain requests of every outcome. */
    chainRequests: Evidence<number>
    /** Block events each module handled (attempts that trapped included). */
    blockEvents: Evidence<ReadonlyArray<{ module: string; count: number }>>
    /** The live process's cursor at the final scrape: the last block every module had processed. */
    cursorAtEnd: Evidence<number>
    reconnects: Evidence<number>
    reorgs: Evidence<number>
  }
  /** The fault proxy's own counts (read just before the final scrape), and around the kill. */
  proxy: {
    injectedFailures: number
    wsDrops: number
    /** Failures injected between the scrape before the kill and the kill: the dead process never counted them. */
    failuresLostInKill: number
    /** Drops between the scrape before the kill and the new process's health: no process could reconnect them. */
    dropsAroundKill: number
    /** Requests in flight on the sockets it dropped, and answers perhaps still in transit then: the engine fails them, though no knob injected a failure. */
    pendingAtDrops: number
    /** Error answers of the node that are not reverts: failures the engine sees, though no knob injected them. */
    nodeErrors: number
    /** Requests it received from the engine (eth_subscribe and eth_unsubscribe left out: the engine does not count them). */
    requests: number
    /** Requests it received from the killed process after the scrape before the kill, or in flight at that scrape: counted by no scrape. */
    requestsLostInKill: number
    /** Requests in flight when its counters were read at the end: the engine counts a request once it ends. */
    pendingAtEnd: number
  }
  /** The stub's record of order requests (what it answered, and which answers it injected). */
  record: readonly RecordEntry[]
  /** Delivered expected parts with their start and acceptance times, and their windows (ground truth). */
  deliveries: readonly Delivery[]
  /**
   * twap-monitor's retry policy: the longest it waits, in seconds, before posting a part again after
   * an answer (`twapRetrySeconds`). The latency bound follows the policy, never the retries observed.
   */
  retrySeconds: (answer: RecordedAnswer, window: PartWindow) => number
}

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
const sumRows = (rows: ReadonlyArray<{ module: string; count: number }>, module?: string) => rows.filter((r) => module === undefined || r.module === module).reduce((s, r) => s + r.count, 0)
const isInjectedFailure = (e: RecordEntry) => e.injected !== undefined && e.injected !== 'acceptThenLose' && (e.status >= 500 || e.status === 429)

/** The chaos bars and the bounds derived from what the run injected: the result of `judgeChaos`. */
export type ChaosVerdict = { bars: BarResult[]; bounds: NonNullable<Measures['bounds']>; notes: string[] }

/**
 * Judges a chaos run from its evidence. Pure: every bar can be shown failing on synthetic evidence.
 * Besides its own bars it derives the bounds of the standard Traps, Module errors and p99 bars from
 * what the faults injected (the fixture's journal, the engine's host failures and the stub's
 * injected answers, the outage), each with the reason, so nothing is switched off by a large number.
 *
 * @example
 * const { bars, bounds } = judgeChaos(evidence)
 * judge({ ...measures, bounds, extra: bars }, scenario)
 */
export function judgeChaos(e: ChaosEvidence): ChaosVerdict {
  if (e.subject !== undefined) return judgeSubjectChaos(e, e.subject)
  const bars: BarResult[] = []
  const notes: string[] = []
  const journal = 'value' in e.journal ? e.journal.value : undefined
  const injectedTraps = journal?.filter((l) => l.event === 'trap') ?? []
  const handled = journal?.filter((l) => l.event === 'block') ?? []

  // (1) The reorg.
  bars.push(...reorgBars(e))
  bars.push('notMeasured' in e.metrics.reorgs ? notMeasured('Reorg visible', reorgBar, e.metrics.reorgs.notMeasured) : bar('Reorg visible', reorgBar, String(e.metrics.reorgs.value), e.metrics.reorgs.value >= 1))

  // (2) The kill: the old process died by the signal sent, a new one served /healthz healthy, it resumed at or before the persisted cursor, and no block was skipped.
  const kill = e.kill
  bars.push(killedBar(kill, 'Engine'))
  // A block a module finished is not delivered to it again after a restart (its writes and the mark that it is done commit together), so the new process may resume past the old cursor, right after the last block the old one finished.
  const resumedBar = 'a new process answers /healthz 200 after the old one exited, and its first block (fixture journal) is at or before the old cursor + 1, or right after the last block the old process handled'
  if (!kill) bars.push(notMeasured('Engine resumed', resumedBar, 'the harness never killed the engine'))
  else if (!journal) bars.push(notMeasured('Engine resumed', resumedBar, describeEvidence(e.journal)))
  else if (kill.old.lastCursor === undefined) bars.push(notMeasured('Engine resumed', resumedBar, `the old process's cursor was not read before the kill (${kill.old.finalError ?? 'shepherd_cursor_block absent'})`))
  else {
    const newBlocks = handled.filter((l) => l.pid === kill.new.pid)
    const firstNew = newBlocks.length ? newBlocks.reduce((min, l) => (l.block < min ? l.block : min), newBlocks[0]!.block) : undefined
    const oldCursor = BigInt(kill.old.lastCursor)
    const lastOld = handled.filter((l) => l.pid === kill.old.pid).reduce<bigint | undefined>((max, l) => (max === undefined || l.block > max ? l.block : max), undefined)
    const resumeBound = lastOld !== undefined && lastOld > oldCursor ? lastOld : oldCursor
    const problems = [
      kill.new.pid === kill.old.pid && 'the "new" process has the old pid',
      kill.new.healthy.status !== 200 && `the new process answered /healthz ${kill.new.healthy.status}`,
      kill.new.healthy.at < kill.old.exitedAt && 'the healthy answer came before the old process exited',
      firstNew === undefined && `the new process (pid ${kill.new.pid}) handled no block`,
      firstNew !== undefined && firstNew > resumeBound + 1n && `it resumed at block ${firstNew}, after ${resumeBound} + 1 (old cursor ${kill.old.lastCursor}, last block the old process handled ${lastOld ?? 'none'})`,
    ].filter(Boolean)
    const ok = `pid ${kill.new.pid} healthy ${kill.new.healthy.at - kill.old.killedAt} ms after the kill, resumed at block ${firstNew} (old cursor ${kill.old.lastCursor})`
    bars.push(bar('Engine resumed', resumedBar, problems.length ? problems.join('; ') : ok, problems.length === 0))
  }
  const skippedBar = `every block from ${e.startBlock} to the last one handled reached ${trappingModule} (its journal, across both processes)`
  if (!journal) bars.push(notMeasured('No block skipped', skippedBar, describeEvidence(e.journal)))
  else {
    const seen = new Set(handled.map((l) => l.block))
    const last = handled.reduce((max, l) => (l.block > max ? l.block : max), -1n)
    const gaps: bigint[] = []
    for (let n = e.startBlock; n <= last; n++) if (!seen.has(n)) gaps.push(n)
    const pass = last >= e.startBlock && gaps.length === 0
    const measured = last < e.startBlock ? `no block handled from ${e.startBlock} on` : gaps.length ? `${gaps.length} blocks never handled: ${gaps.slice(0, 10).join(', ')}${gaps.length > 10 ? ', ...' : ''}` : `blocks ${e.startBlock}..${last} all handled`
    bars.push(bar('No block skipped', skippedBar, measured, pass))
  }
  bars.push(everyModuleBar(e, journal))

  // (3) Traps: exactly the injected ones, only in the trapping module; restarts for them, none elsewhere.
  // A trap on a block past the cursor of the last scrape of its process may have come after that
  // scrape: in the journal, in no scrape. One on a block at or before that cursor was counted (the
  // block was retried and finished after it). Those may be missing from the count; no other.
  const trapsBar = `shepherd_module_traps_total{module="${trappingModule}",kind="throw"} equals the traps its journal says it injected, less at most those injected after the last scrape of their process (on blocks past its cursor then: the killed process's before the kill, the live one's at the end)`
  const uncounted = unscrapedTraps(e, injectedTraps)
  if ('notMeasured' in e.metrics.traps || !journal) bars.push(notMeasured('Injected traps counted', trapsBar, 'notMeasured' in e.metrics.traps ? e.metrics.traps.notMeasured : describeEvidence(e.journal)))
  else if ('notMeasured' in uncounted) bars.push(notMeasured('Injected traps counted', trapsBar, uncounted.notMeasured))
  else {
    const own = e.metrics.traps.value.filter((t) => t.module === trappingModule)
    const thrown = sumRows(own.filter((t) => t.kind === 'throw'))
    const otherKinds = own.filter((t) => t.kind !== 'throw' && t.count > 0)
    const pass = thrown <= injectedTraps.length && thrown >= injectedTraps.length - uncounted.value && otherKinds.length === 0
    const late = uncounted.value ? ` (${uncounted.value} after the last scrape of their process)` : ''
    bars.push(bar('Injected traps counted', trapsBar, `${thrown} counted, ${injectedTraps.length} injected${late}${otherKinds.length ? `; other kinds: ${otherKinds.map((t) => `${t.kind} ${t.count}`).join(', ')}` : ''}`, pass))
  }
  const restartBar = `${trappingModule} restarted at least once and at most once per injected trap`
  if ('notMeasured' in e.metrics.restarts || !journal) bars.push(notMeasured('Trapping module restarted', restartBar, 'notMeasured' in e.metrics.restarts ? e.metrics.restarts.notMeasured : describeEvidence(e.journal)))
  else {
    const restarts = sumRows(e.metrics.restarts.value, trappingModule)
    bars.push(bar('Trapping module restarted', restartBar, `${restarts} restarts, ${injectedTraps.length} traps injected`, restarts >= 1 && restarts <= injectedTraps.length))
  }
  const othersBar = `0 traps and 0 restarts of ${unaffectedModules.join(' and ')}`
  if ('notMeasured' in e.metrics.traps || 'notMeasured' in e.metrics.restarts)
    bars.push(notMeasured('Other modules unaffected', othersBar, 'notMeasured' in e.metrics.traps ? e.metrics.traps.notMeasured : (e.metrics.restarts as { notMeasured: string }).notMeasured))
  else {
    const traps = e.metrics.traps.value
    const restarts = e.metrics.restarts.value
    const per = unaffectedModules.map((m) => ({ m, traps: sumRows(traps, m), restarts: sumRows(restarts, m) }))
    bars.push(bar('Other modules unaffected', othersBar, per.map((p) => `${p.m} ${p.traps} traps, ${p.restarts} restarts`).join('; '), per.every((p) => p.traps === 0 && p.restarts === 0)))
  }

  // (4) Every fault visible, compared with what was injected.
  bars.push(rpcFailuresBar(e))
  const wsBar = "shepherd_stream_reconnects_total >= the fault proxy's WebSocket drops (less drops around the kill, when no process could reconnect)"
  if ('notMeasured' in e.metrics.reconnects) bars.push(notMeasured('WebSocket drops visible', wsBar, e.metrics.reconnects.notMeasured))
  else {
    const owed = e.proxy.wsDrops - e.proxy.dropsAroundKill
    bars.push(bar('WebSocket drops visible', wsBar, `${e.metrics.reconnects.value} reconnects, ${e.proxy.wsDrops} drops (${e.proxy.dropsAroundKill} around the kill)`, e.proxy.wsDrops >= 1 && e.metrics.reconnects.value >= owed))
  }
  const posts = e.record.filter(isOrderPost)
  const injected5xx = e.record.filter((r) => isInjectedFailure(r) && r.status >= 500).length
  const injected429 = e.record.filter((r) => isInjectedFailure(r) && r.status === 429).length
  const obBar = '>= 1 post answered 5xx and >= 1 answered 429 by injection (stub record), and modules saw orderbook failures (shepherd_module_host_failures_total{capability="cow_api"})'
  if ('notMeasured' in e.metrics.hostFailures) bars.push(notMeasured('Orderbook faults visible', obBar, e.metrics.hostFailures.notMeasured))
  else {
    const seen = e.metrics.hostFailures.value.filter((h) => h.capability === 'cow_api').reduce((s, h) => s + h.count, 0)
    const posted5xx = posts.filter((r) => isInjectedFailure(r) && r.status >= 500).length
    const posted429 = posts.filter((r) => isInjectedFailure(r) && r.status === 429).length
    bars.push(bar('Orderbook faults visible', obBar, `${posted5xx} x 5xx, ${posted429} x 429 injected on posts; ${seen} orderbook failures reached modules`, posted5xx >= 1 && posted429 >= 1 && seen >= 1))
  }

  // (5) Bounds derived from what was injected, replacing fixed numbers.
  const bounds: ChaosVerdict['bounds'] = {}
  if (journal) bounds.maxTraps = { max: injectedTraps.length, why: `the ${injectedTraps.length} traps ${trappingModule} injected (its journal); any other trap fails` }
  if ('value' in e.metrics.hostFailures) bounds.moduleErrorsByKind = moduleErrorBounds(e.metrics.hostFailures.value)
  if (kill) bounds.p99LatencyMs = latencyBound(e, kill, journal)
  if (bounds.maxTraps) notes.push(`chaos bound maxTraps = ${bounds.maxTraps.max}: ${bounds.maxTraps.why}`)
  if (bounds.p99LatencyMs) notes.push(`chaos bound p99LatencyMs = ${Math.round(bounds.p99LatencyMs.max)}: ${bounds.p99LatencyMs.why}`)
  if (bounds.moduleErrorsByKind)
    notes.push(
      `chaos bounds of module errors, per kind: ${bounds.moduleErrorsByKind.map((k) => `${k.module}/${k.kind} <= ${k.max}`).join('; ')}; every other kind 0: the ${injected5xx} x 5xx and ${injected429} x 429 the stub injected on posts make twap-monitor back off (no error kind), and no injected fault answers a lookup`,
    )
  return { bars, bounds, notes }
}

/** The reorg's ground-truth bars, for any subject: the creation is gone, nothing was posted for it, its control was. */
function reorgBars(e: ChaosEvidence): BarResult[] {
  return [
    bar('Reorg removed the order', 'the removed TWAP creation is not on the final chain, after a reorg of depth >= 3', e.reorg.removedGone ? `gone (depth ${e.reorg.depth})` : `still on chain (depth ${e.reorg.depth})`, e.reorg.removedGone && e.reorg.depth >= 3),
    bar('Nothing posted for the removed order', '0 posts for the removed TWAP owner (stub record)', String(e.removedOwnerPosts), e.removedOwnerPosts === 0),
    bar('Control order posted', 'the TWAP created beside it reaches the orderbook (stub record)', `${e.controlAccepted} accepted`, e.controlAccepted > 0),
  ]
}
const reorgBar = '>= 1 shepherd_reorgs_total'

/** The old process died by the signal sent and its PID is gone (the harness's process evidence). */
function killedBar(kill: KillEvidence | undefined, who: 'Engine' | 'Subject'): BarResult {
  const name = `${who} killed`
  const text = `the old ${who.toLowerCase()} process exited by SIGKILL and its PID is gone`
  if (!kill) return notMeasured(name, text, `the harness never killed the ${who.toLowerCase()}`)
  const problems = [kill.old.exit.signal !== 'SIGKILL' && `it exited with ${kill.old.exit.signal ?? `code ${kill.old.exit.code}`}`, !kill.old.pidGone && `pid ${kill.old.pid} still exists`].filter(Boolean)
  return bar(name, text, problems.length ? problems.join('; ') : `pid ${kill.old.pid} exited by SIGKILL, pid gone`, problems.length === 0)
}

/**
 * The chaos bars for an external subject: it serves no Shepherd metrics and runs no trapping
 * module, so what it is judged on is ground truth only. The reorg bars as for the engine; its kill
 * from the harness's process evidence (died by SIGKILL, PID gone); its resume from that evidence and
 * the stub's record (a new PID, ready after the old one exited, and at least one post accepted from
 * it after it was ready: it came back to work); the faults it met from the fault proxy's and the
 * stub's own counts. Delivery and duplicates across the kill are the standard bars (ground truth).
 * The p99 bound is the one the engine gets, without the journal: the outage ends when it was ready.
 */
function judgeSubjectChaos(e: ChaosEvidence, subject: string): ChaosVerdict {
  const na = (name: string, text: string, why: string): BarResult => ({ name, bar: text, measured: `not measured for this subject (${subject}): ${why}`, pass: true, status: 'not applicable' })
  const noMetrics = 'it serves no Shepherd metrics'
  const noJournal = `it runs no ${trappingModule} module, whose journal is the witness`
  const bars = reorgBars(e)
  bars.push(na('Reorg visible', reorgBar, noMetrics))
  const kill = e.kill
  bars.push(killedBar(kill, 'Subject'))
  const resumedBar = 'a new subject process (another PID) was ready after the old one exited, and the orderbook accepted at least one post after it was ready (stub record)'
  if (!kill) bars.push(notMeasured('Subject resumed', resumedBar, 'the harness never killed the subject'))
  else {
    const readyAt = kill.new.healthy.at
    const after = e.record.filter((r) => isOrderPost(r) && r.status === 201 && r.answeredAt >= readyAt).length
    const problems = [
      kill.new.pid === kill.old.pid && 'the "new" process has the old pid',
      readyAt < kill.old.exitedAt && 'it was ready before the old process exited',
      after === 0 && 'no post accepted after it was ready',
    ].filter(Boolean)
    const ok = `pid ${kill.new.pid} ready ${readyAt - kill.old.killedAt} ms after the kill; ${after} posts accepted since`
    bars.push(bar('Subject resumed', resumedBar, problems.length ? problems.join('; ') : ok, problems.length === 0))
  }
  bars.push(na('No block skipped', `every block reached ${trappingModule}`, noJournal))
  bars.push(na('Every module got every block', 'shepherd_event_latency_seconds_count{event_kind="block"} per module', noMetrics))
  bars.push(na('Injected traps counted', 'shepherd_module_traps_total against the injected traps', noJournal))
  bars.push(na('Trapping module restarted', 'shepherd_module_restarts_total', noJournal))
  bars.push(na('Other modules unaffected', 'shepherd_module_traps_total and restarts of the other modules', noMetrics))
  bars.push(na('RPC failures visible', 'shepherd_chain_request_total{outcome="error"} against the injected failures', noMetrics))
  bars.push(na('WebSocket drops visible', 'shepherd_stream_reconnects_total against the drops', noMetrics))
  const posts = e.record.filter(isOrderPost)
  const posted5xx = posts.filter((r) => isInjectedFailure(r) && r.status >= 500).length
  const posted429 = posts.filter((r) => isInjectedFailure(r) && r.status === 429).length
  const metBar = "the faults reached the subject: >= 1 RPC failure injected into its requests (fault proxy), >= 1 of its posts answered 5xx and >= 1 answered 429 by injection (stub record); WebSocket drops are counted, not required (a subject may use HTTP only)"
  const met = `${e.proxy.injectedFailures} RPC failures injected, ${e.proxy.wsDrops} WebSocket drops; ${posted5xx} x 5xx, ${posted429} x 429 injected on posts`
  bars.push(bar('Faults reached the subject', metBar, met, e.proxy.injectedFailures >= 1 && posted5xx >= 1 && posted429 >= 1))

  const bounds: ChaosVerdict['bounds'] = {}
  const notes: string[] = []
  if (kill) {
    bounds.p99LatencyMs = latencyBound(e, kill, undefined)
    notes.push(`chaos bound p99LatencyMs = ${Math.round(bounds.p99LatencyMs.max)}: ${bounds.p99LatencyMs.why} (the retry waits are twap-monitor's policy: a subject may retry sooner, not later)`)
  }
  return { bars, bounds, notes }
}

/**
 * Per module and error_kind, what the injected faults can cause: a failed chain call fails
 * twap-monitor's poll of its due watches (`poll_failed`, one per failed poll), so `poll_failed` is
 * at most the chain calls that failed to it. Injected 5xx and 429 answers make it back off, which is
 * no error kind; no fault answers an EthFlow lookup (`orderbook_refused`); every part outlives the
 * restart (`part_missed`). Every other kind must be 0.
 */
function moduleErrorBounds(hostFailures: ReadonlyArray<{ module: string; capability: string; count: number }>): ErrorKindBound[] {
  const chain = hostFailures.filter((h) => h.module === 'twap-monitor' && h.capability === 'chain').reduce((sum, h) => sum + h.count, 0)
  return [
    {
      module: 'twap-monitor',
      kind: 'poll_failed',
      max: chain,
      why: `one per poll whose chain call failed: ${chain} chain calls failed to twap-monitor (shepherd_module_host_failures_total{capability="chain"}: the proxy's injected failures and its WebSocket drops)`,
    },
  ]
}

/**
 * Traps the fixture journaled that no scrape can have counted yet: those on a block past the
 * cursor of the last scrape of their process (the killed one's before the kill, the live one's at
 * the end). Not measured when that cursor is unknown.
 */
function unscrapedTraps(e: ChaosEvidence, traps: readonly JournalLine[]): Evidence<number> {
  const oldPid = e.kill?.old.pid
  const oldCursor = e.kill?.old.lastCursor
  const inOld = traps.filter((l) => l.pid === oldPid)
  const inLive = traps.filter((l) => l.pid !== oldPid)
  if (inOld.length && oldCursor === undefined) return { notMeasured: "the killed process's cursor was not read before the kill" }
  if (inLive.length && 'notMeasured' in e.metrics.cursorAtEnd) return { notMeasured: e.metrics.cursorAtEnd.notMeasured }
  const endCursor = 'value' in e.metrics.cursorAtEnd ? BigInt(e.metrics.cursorAtEnd.value) : 0n
  return { value: inOld.filter((l) => l.block > BigInt(oldCursor ?? 0)).length + inLive.filter((l) => l.block > endCursor).length }
}

/**
 * Every module received every block: each module's block events over every engine process cover
 * the blocks from the first one the engine delivered (the first line of the fixture's journal:
 * every module starts at the same pinned block) to the cursor at the end, less the blocks the killed
 * process may have finished after its last scrape and not had delivered again (at most the head at
 * the kill minus its cursor then). A count, so a repeated block (a reorg, a retried trap, a block
 * delivered again after the kill) can hide a skipped one; the journal bar is exact for the fixture.
 */
function everyModuleBar(e: ChaosEvidence, journal: readonly JournalLine[] | undefined): BarResult {
  const name = 'Every module got every block'
  const text = `each of ${chaosModules.join(', ')} handled at least one block event (shepherd_event_latency_seconds_count{event_kind="block"}, every engine process) per block from the first block delivered (journal) to the cursor at the end, less the blocks the killed process could finish after its last scrape (head at the kill - its cursor then)`
  if (!journal) return notMeasured(name, text, describeEvidence(e.journal))
  if ('notMeasured' in e.metrics.blockEvents) return notMeasured(name, text, e.metrics.blockEvents.notMeasured)
  if ('notMeasured' in e.metrics.cursorAtEnd) return notMeasured(name, text, e.metrics.cursorAtEnd.notMeasured)
  if (journal.length === 0) return notMeasured(name, text, 'the journal is empty: no first block')
  const kill = e.kill
  if (kill && (kill.old.lastCursor === undefined || e.headAtKill === undefined))
    return notMeasured(name, text, kill.old.lastCursor === undefined ? "the killed process's cursor was not read before the kill" : 'the head at the kill was not seen')
  const first = journal.reduce((min, l) => (l.block < min ? l.block : min), journal[0]!.block)
  const last = BigInt(e.metrics.cursorAtEnd.value)
  const unseen = kill ? Math.max(0, Number(e.headAtKill! - BigInt(kill.old.lastCursor!))) : 0
  const blocks = Number(last - first) + 1
  const need = blocks - unseen
  const counts = chaosModules.map((module) => ({ module, count: (e.metrics.blockEvents as { value: ReadonlyArray<{ module: string; count: number }> }).value.filter((r) => r.module === module).reduce((sum, r) => sum + r.count, 0) }))
  const short = counts.filter((c) => c.count < need)
  const measured = `blocks ${first}..${last} (${blocks}), ${unseen} of them possibly finished unseen by the killed process: need >= ${need}; ${counts.map((c) => `${c.module} ${c.count}`).join(', ')}${short.length ? `; short: ${short.map((c) => c.module).join(', ')}` : ''}`
  return bar(name, text, measured, blocks >= 1 && short.length === 0)
}

/**
 * RPC failures, judged both ways against the fault proxy. At least the failures it injected (less
 * those injected into the killed process after its last scrape). At most those plus what fails at
 * the engine without an injected failure: requests in flight on a socket the proxy dropped (and
 * answers perhaps in transit then), node errors that are not reverts (both counted by the proxy),
 * and requests the engine made while its client waited to reconnect, which never reached the proxy:
 * the engine's requests of every outcome, less those the proxy received from a process that could
 * count them (not the killed process's after its last scrape, not those in flight at the end).
 */
function rpcFailuresBar(e: ChaosEvidence): BarResult {
  const name = 'RPC failures visible'
  const text =
    'failed chain requests (shepherd_chain_request_total{outcome="error"}, reverts not included) are at least the fault proxy\'s injected failures, less those injected into the killed process after its last scrape, and at most the injected failures + an allowance: requests in flight on sockets the proxy dropped + node errors that are not reverts (both counted by the proxy) + requests the engine made while reconnecting, which never reached the proxy (its requests - those the proxy received from a process that counted them)'
  if ('notMeasured' in e.metrics.failedChainRequests) return notMeasured(name, text, e.metrics.failedChainRequests.notMeasured)
  if ('notMeasured' in e.metrics.chainRequests) return notMeasured(name, text, e.metrics.chainRequests.notMeasured)
  const engine = e.metrics.failedChainRequests.value
  const p = e.proxy
  const least = p.injectedFailures - p.failuresLostInKill
  const unsent = Math.max(0, e.metrics.chainRequests.value - (p.requests - p.requestsLostInKill - p.pendingAtEnd))
  const most = p.injectedFailures + p.pendingAtDrops + p.nodeErrors + unsent
  const measured = `engine ${engine}; proxy injected ${p.injectedFailures} (${p.failuresLostInKill} into the killed process after its last scrape): at least ${least}; allowance ${p.pendingAtDrops} in flight at drops + ${p.nodeErrors} node errors + ${unsent} unsent while reconnecting: at most ${most}`
  return bar(name, text, measured, p.injectedFailures >= 1 && engine >= least && engine <= most)
}

/**
 * p99 bound = the outage + the longest twap-monitor's retry policy makes one delivered part wait
 * after the injected failures of its posts before its acceptance (`retrySeconds` for each: a 429's
 * Retry-After, a 5xx's back-off fitted to the part's window) + one block time (the normal bar).
 * The outage runs from the kill until the new process was healthy and the witness module had
 * handled the head of the moment of the kill. Nothing here comes from the latencies it judges.
 */
function latencyBound(e: ChaosEvidence, kill: KillEvidence, journal: readonly JournalLine[] | undefined): DerivedBound {
  const caughtUp = journal
    ?.filter((l) => l.event === 'block' && l.pid === kill.new.pid && l.block >= BigInt(kill.old.lastCursor ?? 0) && l.at >= kill.old.killedAt)
    .reduce((min, l) => Math.min(min, l.at), Number.POSITIVE_INFINITY)
  const outageEnd = Math.max(kill.new.healthy.at, caughtUp !== undefined && Number.isFinite(caughtUp) ? caughtUp : kill.new.healthy.at)
  const outageMs = outageEnd - kill.old.killedAt
  const outageText = journal ? 'SIGKILL to the new process healthy and caught up' : 'SIGKILL to the new process ready'
  const posts = new Map<string, RecordEntry[]>()
  for (const entry of e.record) if (entry.uid && isOrderPost(entry)) posts.set(entry.uid.toLowerCase(), [...(posts.get(entry.uid.toLowerCase()) ?? []), entry])
  let retryMs = 0
  let worst: { uid: string; failures: RecordEntry[] } | undefined
  for (const d of e.deliveries) {
    const own = posts.get(d.uid.toLowerCase()) ?? []
    const accepted = own.findIndex((p) => p.status === 201 && p.injected !== 'acceptThenLose')
    const failures = (accepted < 0 ? own : own.slice(0, accepted)).filter(isInjectedFailure)
    const ms = failures.reduce((sum, f) => sum + e.retrySeconds({ status: f.status, retryAfter: f.retryAfter }, d) * 1000, 0)
    if (ms > retryMs) [retryMs, worst] = [ms, { uid: d.uid, failures }]
  }
  const which = worst ? ` (${worst.uid.slice(0, 18)}...: ${worst.failures.map((f) => f.status).join(', ')})` : ''
  return {
    max: outageMs + retryMs + e.blockTimeMs,
    why: `outage ${outageMs} ms (${outageText}) + ${retryMs} ms the retry policy waits after the injected failures of one part before its acceptance${which} + 1 block time`,
  }
}
