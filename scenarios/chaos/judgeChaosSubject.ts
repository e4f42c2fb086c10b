import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import type { BarResult } from '../../harness/scenario/judge.ts'
import { bar, isInjectedFailure, killedBar, latencyBound, notMeasured, reorgBar, reorgBars } from './chaosBars.ts'
import { trappingModule, type ChaosEvidence, type ChaosVerdict } from './chaosEvidence.ts'

/**
 * The chaos bars for an external subject: it serves no Shepherd metrics and runs no trapping
 * module, so what it is judged on is ground truth only. The reorg bars as for the engine; its kill
 * from the harness's process evidence (died by SIGKILL, PID gone); its resume from that evidence and
 * the stub's record (a new PID, ready after the old one exited, and at least one post accepted from
 * it after it was ready: it came back to work); the faults it met from the fault proxy's and the
 * stub's own counts. Delivery and duplicates across the kill are the standard bars (ground truth).
 * The p99 bound is the one the engine gets, without the journal: the outage ends when it was ready.
 */
export function judgeSubjectChaos(e: ChaosEvidence, subject: string): ChaosVerdict {
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
