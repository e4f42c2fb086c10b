import type { JournalLine } from '../../harness/faults/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import type { BarResult, DerivedBound } from '../../harness/scenario/judge.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'
import type { ChaosEvidence } from './chaosEvidence.ts'

// The bars both chaos judges (engine and external subject) share.
export const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
export const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
export const sumRows = (rows: ReadonlyArray<{ module: string; count: number }>, module?: string) => rows.filter((r) => module === undefined || r.module === module).reduce((s, r) => s + r.count, 0)
export const isInjectedFailure = (e: RecordEntry) => e.injected !== undefined && e.injected !== 'acceptThenLose' && (e.status >= 500 || e.status === 429)

export function reorgBars(e: ChaosEvidence): BarResult[] {
  return [
    bar('Reorg removed the order', 'the removed TWAP creation is not on the final chain, after a reorg of depth >= 3', e.reorg.removedGone ? `gone (depth ${e.reorg.depth})` : `still on chain (depth ${e.reorg.depth})`, e.reorg.removedGone && e.reorg.depth >= 3),
    bar('Nothing posted for the removed order', '0 posts for the removed TWAP owner (stub record)', String(e.removedOwnerPosts), e.removedOwnerPosts === 0),
    bar('Control order posted', 'the TWAP created beside it reaches the orderbook (stub record)', `${e.controlAccepted} accepted`, e.controlAccepted > 0),
  ]
}
export const reorgBar = '>= 1 shepherd_reorgs_total'

/** The old process died by the signal sent and its PID is gone (the harness's process evidence). */
export function killedBar(kill: KillEvidence | undefined, who: 'Engine' | 'Subject'): BarResult {
  const name = `${who} killed`
  const text = `the old ${who.toLowerCase()} process exited by SIGKILL and its PID is gone`
  if (!kill) return notMeasured(name, text, `the harness never killed the ${who.toLowerCase()}`)
  const problems = [kill.old.exit.signal !== 'SIGKILL' && `it exited with ${kill.old.exit.signal ?? `code ${kill.old.exit.code}`}`, !kill.old.pidGone && `pid ${kill.old.pid} still exists`].filter(Boolean)
  return bar(name, text, problems.length ? problems.join('; ') : `pid ${kill.old.pid} exited by SIGKILL, pid gone`, problems.length === 0)
}


/**
 * p99 bound = the outage + the longest twap-monitor's retry policy makes one delivered part wait
 * after the injected failures of its posts before its acceptance (`retrySeconds` for each: a 429's
 * Retry-After, a 5xx's back-off fitted to the part's window) + one block time (the normal bar).
 * The outage runs from the kill until the new process was healthy and the witness module had
 * handled the head of the moment of the kill. Nothing here comes from the latencies it judges.
 */
export function latencyBound(e: ChaosEvidence, kill: KillEvidence, journal: readonly JournalLine[] | undefined): DerivedBound {
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
    // The back-off is chain time (until = the block's timestamp + whole seconds, at least 1): it ends
    // at the first block that far on, ceil(seconds / blockSeconds) blocks of wall block time later.
    const waitMs = (seconds: number) => Math.ceil(Math.max(1, Math.ceil(seconds)) / e.blockSeconds) * e.blockTimeMs
    const ms = failures.reduce((sum, f) => {
      const seconds = e.retrySeconds({ status: f.status, retryAfter: f.retryAfter }, d)
      return sum + (seconds > 0 ? waitMs(seconds) : 0)
    }, 0)
    if (ms > retryMs) [retryMs, worst] = [ms, { uid: d.uid, failures }]
  }
  const which = worst ? ` (${worst.uid.slice(0, 18)}...: ${worst.failures.map((f) => f.status).join(', ')})` : ''
  return {
    max: outageMs + retryMs + e.blockTimeMs,
    why: `outage ${outageMs} ms (${outageText}) + ${retryMs} ms the retry policy waits after the injected failures of one part before its acceptance${which} + 1 block time`,
  }
}
