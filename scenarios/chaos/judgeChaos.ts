import type { JournalLine } from '../../engine/testing/fixtures/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import type { BarResult, DerivedBound, Measures } from '../../harness/scenario/judge.ts'
import type { Delivery } from '../../harness/scenario/judgeDelivery.ts'
import { describeEvidence, type Evidence } from '../../harness/scenario/runMetrics.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'

/** The module that traps on purpose, and whose journal is the witness of what modules received. */
export const trappingModule = 'traps-every-k'
/** The trapping fixture's journal file in the run's folder (the scenario's module config points it there). */
export const chaosJournal = 'traps-every-k.ndjson'
/** The modules that must not notice the faults. */
export const unaffectedModules = ['twap-monitor', 'ethflow-watcher'] as const

/** Everything the chaos bars judge, collected by runChaos (live) and at the end of the run. No devnet needed to build one. */
export type ChaosEvidence = {
  blockTimeMs: number
  /** The block the chaos timeline started at: every block from here to the last one the witness handled must be in its journal. */
  startBlock: bigint
  reorg: { depth: number; fromBlock: bigint; removedGone: boolean }
  /** Order posts for the owner whose TWAP creation the reorg removed, and accepted posts of the control owner. */
  removedOwnerPosts: number
  controlAccepted: number
  /** The SIGKILL and restart, as the harness saw it; undefined when it never happened. */
  kill: KillEvidence | undefined
  /** The trapping fixture's journal: every trap it injected and every block it handled (across engine processes). */
  journal: Evidence<readonly JournalLine[]>
  /** From the engine's metrics, over the whole run and every engine process. */
  metrics: {
    traps: Evidence<ReadonlyArray<{ module: string; kind: string; count: number }>>
    restarts: Evidence<ReadonlyArray<{ module: string; count: number }>>
    hostFailures: Evidence<ReadonlyArray<{ module: string; capability: string; count: number }>>
    failedChainRequests: Evidence<number>
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
  }
  /** The stub's record of order requests (what it answered, and which answers it injected). */
  record: readonly RecordEntry[]
  /** Delivered expected parts with their start and acceptance times (ground truth). */
  deliveries: readonly Delivery[]
}

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
const sumRows = (rows: ReadonlyArray<{ module: string; count: number }>, module?: string) => rows.filter((r) => module === undefined || r.module === module).reduce((s, r) => s + r.count, 0)
const isInjectedFailure = (e: RecordEntry) => e.injected !== undefined && e.injected !== 'acceptThenLose' && (e.status >= 500 || e.status === 429)

/** Length of [from, to] not covered by [gapFrom, gapTo]. */
const outside = (from: number, to: number, gapFrom: number, gapTo: number) => Math.max(0, to - from) - Math.max(0, Math.min(to, gapTo) - Math.max(from, gapFrom))

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
  const bars: BarResult[] = []
  const notes: string[] = []
  const journal = 'value' in e.journal ? e.journal.value : undefined
  const injectedTraps = journal?.filter((l) => l.event === 'trap') ?? []
  const handled = journal?.filter((l) => l.event === 'block') ?? []

  // (1) The reorg.
  bars.push(bar('Reorg removed the order', 'the removed TWAP creation is not on the final chain, after a reorg of depth >= 3', e.reorg.removedGone ? `gone (depth ${e.reorg.depth})` : `still on chain (depth ${e.reorg.depth})`, e.reorg.removedGone && e.reorg.depth >= 3))
  bars.push(bar('Nothing posted for the removed order', '0 posts for the removed TWAP owner (stub record)', String(e.removedOwnerPosts), e.removedOwnerPosts === 0))
  bars.push(bar('Control order posted', 'the TWAP created beside it reaches the orderbook (stub record)', `${e.controlAccepted} accepted`, e.controlAccepted > 0))
  const reorgBar = '>= 1 shepherd_reorgs_total'
  bars.push('notMeasured' in e.metrics.reorgs ? notMeasured('Reorg visible', reorgBar, e.metrics.reorgs.notMeasured) : bar('Reorg visible', reorgBar, String(e.metrics.reorgs.value), e.metrics.reorgs.value >= 1))

  // (2) The kill: the old process died by the signal sent, a new one served /healthz healthy, it resumed at or before the persisted cursor, and no block was skipped.
  const kill = e.kill
  const killedBar = 'the old engine process exited by SIGKILL and its PID is gone'
  if (!kill) bars.push(notMeasured('Engine killed', killedBar, 'the harness never killed the engine'))
  else {
    const problems = [kill.old.exit.signal !== 'SIGKILL' && `it exited with ${kill.old.exit.signal ?? `code ${kill.old.exit.code}`}`, !kill.old.pidGone && `pid ${kill.old.pid} still exists`].filter(Boolean)
    bars.push(bar('Engine killed', killedBar, problems.length ? problems.join('; ') : `pid ${kill.old.pid} exited by SIGKILL, pid gone`, problems.length === 0))
  }
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

  // (3) Traps: exactly the injected ones, only in the trapping module; restarts for them, none elsewhere.
  const trapsBar = `shepherd_module_traps_total{module="${trappingModule}",kind="throw"} equals the traps its journal says it injected`
  if ('notMeasured' in e.metrics.traps || !journal) bars.push(notMeasured('Injected traps counted', trapsBar, 'notMeasured' in e.metrics.traps ? e.metrics.traps.notMeasured : describeEvidence(e.journal)))
  else {
    const own = e.metrics.traps.value.filter((t) => t.module === trappingModule)
    const thrown = sumRows(own.filter((t) => t.kind === 'throw'))
    const otherKinds = own.filter((t) => t.kind !== 'throw' && t.count > 0)
    const pass = thrown === injectedTraps.length && otherKinds.length === 0
    bars.push(bar('Injected traps counted', trapsBar, `${thrown} counted, ${injectedTraps.length} injected${otherKinds.length ? `; other kinds: ${otherKinds.map((t) => `${t.kind} ${t.count}`).join(', ')}` : ''}`, pass))
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
  const rpcBar = "the engine's failed chain requests (shepherd_chain_request_total{outcome=\"error\"}) >= the fault proxy's injected failures (less those the killed process could not count)"
  if ('notMeasured' in e.metrics.failedChainRequests) bars.push(notMeasured('RPC failures visible', rpcBar, e.metrics.failedChainRequests.notMeasured))
  else {
    const engine = e.metrics.failedChainRequests.value
    const owed = e.proxy.injectedFailures - e.proxy.failuresLostInKill
    bars.push(bar('RPC failures visible', rpcBar, `engine ${engine}, proxy injected ${e.proxy.injectedFailures} (${e.proxy.failuresLostInKill} while the old process was being killed)`, e.proxy.injectedFailures >= 1 && engine >= owed))
  }
  const wsBar = "shepherd_stream_reconnects_total >= the fault proxy's WebSocket drops (less drops around the kill, when no process could reconnect)"
  if ('notMeasured' in e.metrics.reconnects) bars.push(notMeasured('WebSocket drops visible', wsBar, e.metrics.reconnects.notMeasured))
  else {
    const owed = e.proxy.wsDrops - e.proxy.dropsAroundKill
    bars.push(bar('WebSocket drops visible', wsBar, `${e.metrics.reconnects.value} reconnects, ${e.proxy.wsDrops} drops (${e.proxy.dropsAroundKill} around the kill)`, e.proxy.wsDrops >= 1 && e.metrics.reconnects.value >= owed))
  }
  const posts = e.record.filter((r) => r.method === 'POST' && r.path.endsWith('/api/v1/orders'))
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
  if ('value' in e.metrics.hostFailures) {
    const chain = e.metrics.hostFailures.value.filter((h) => h.capability === 'chain').reduce((s, h) => s + h.count, 0)
    bounds.maxModuleErrors = {
      max: chain + injected5xx + injected429,
      why: `one per failure that reached a module: ${chain} failed chain calls (shepherd_module_host_failures_total{capability="chain"}) + ${injected5xx} x 5xx and ${injected429} x 429 the stub injected`,
    }
  }
  if (kill) bounds.p99LatencyMs = latencyBound(e, kill, journal)
  notes.push(...Object.entries(bounds).map(([key, b]) => `chaos bound ${key} = ${Math.round((b as DerivedBound).max)}: ${(b as DerivedBound).why}`))
  return { bars, bounds, notes }
}

/**
 * p99 bound = the outage + the longest time a part spent retrying injected orderbook faults
 * outside the outage + one block time (the normal bar). The outage runs from the kill until the
 * new process was healthy and the witness module had handled the head of the moment of the kill.
 */
function latencyBound(e: ChaosEvidence, kill: KillEvidence, journal: readonly JournalLine[] | undefined): DerivedBound {
  const caughtUp = journal
    ?.filter((l) => l.event === 'block' && l.pid === kill.new.pid && l.block >= BigInt(kill.old.lastCursor ?? 0) && l.at >= kill.old.killedAt)
    .reduce((min, l) => Math.min(min, l.at), Number.POSITIVE_INFINITY)
  const outageEnd = Math.max(kill.new.healthy.at, caughtUp !== undefined && Number.isFinite(caughtUp) ? caughtUp : kill.new.healthy.at)
  const outageMs = outageEnd - kill.old.killedAt
  const firstFailure = new Map<string, number>()
  for (const entry of e.record)
    if (entry.uid && entry.method === 'POST' && isInjectedFailure(entry) && !firstFailure.has(entry.uid.toLowerCase())) firstFailure.set(entry.uid.toLowerCase(), entry.at)
  let retryMs = 0
  let retryUid: string | undefined
  for (const d of e.deliveries) {
    const failedAt = firstFailure.get(d.uid.toLowerCase())
    if (failedAt === undefined) continue
    const span = outside(failedAt, d.acceptedAt, kill.old.killedAt, outageEnd)
    if (span > retryMs) [retryMs, retryUid] = [span, d.uid]
  }
  return {
    max: outageMs + retryMs + e.blockTimeMs,
    why: `outage ${outageMs} ms (SIGKILL to the new process healthy and caught up) + ${retryMs} ms longest retry after an injected 5xx/429 outside the outage${retryUid ? ` (${retryUid.slice(0, 18)}...)` : ''} + 1 block time`,
  }
}
