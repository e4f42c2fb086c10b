import type { JournalLine } from '../../harness/faults/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import type { BarResult, DerivedBound, ErrorKindBound, Measures, ModuleErrorCount } from '../../harness/scenario/judge.ts'
import type { Delivery } from '../../harness/scenario/judgeDelivery.ts'
import { describeEvidence, type Evidence } from '../../harness/scenario/runMetrics.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'
import type { PartWindow, RecordedAnswer } from '../../harness/scenario/twapRetrySeconds.ts'
import { bar, isInjectedFailure, killedBar, latencyBound, notMeasured, reorgBar, reorgBars, sumRows } from './chaosBars.ts'
import { trappingModule, unaffectedModules, chaosModules, type ChaosEvidence, type ChaosVerdict } from './chaosEvidence.ts'
import { judgeSubjectChaos } from './judgeChaosSubject.ts'


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

