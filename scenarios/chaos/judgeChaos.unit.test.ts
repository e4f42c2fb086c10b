import type { Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { JournalLine } from '../../harness/faults/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { judge, type Measures } from '../../harness/scenario/judge.ts'
import type { ChaosEvidence } from './chaosEvidence.ts'
import { judgeChaos } from './judgeChaos.ts'

// Synthetic evidence of a clean chaos run: no devnet. Old engine pid 100 handled blocks 10..20 and
// was SIGKILLed at t=20_000 with its cursor at 20 (the head was 21); pid 200 was healthy at t=24_000
// and handled 21..30, its cursor at 30 at the final scrape.
const uid = (n: number) => `0x${n.toString(16).padStart(112, '0')}` as Hex
const line = (event: JournalLine['event'], block: number, pid: number, at: number): JournalLine => ({ event, block: BigInt(block), pid, at })
const journal: JournalLine[] = [
  line('trap', 10, 100, 10_000),
  ...Array.from({ length: 11 }, (_, i) => line('block', 10 + i, 100, 10_000 + i * 1000)),
  line('trap', 25, 200, 25_000),
  ...Array.from({ length: 10 }, (_, i) => line('block', 21 + i, 200, 24_500 + i * 1000)),
]
let seq = 0
const entry = (n: number, at: number, status: number, injected?: string, retryAfter?: number): RecordEntry => ({
  seq: ++seq,
  at,
  answeredAt: at,
  method: 'POST',
  path: '/api/v1/orders',
  body: {},
  status,
  responseBody: {},
  uid: uid(n),
  delayMs: 0,
  ...(injected ? { injected } : {}),
  ...(retryAfter !== undefined ? { retryAfter } : {}),
})
// Two injected 5xx answers and one 429 (uid 3 is not an expected part: it counts for the bounds, not the retries).
const record = [entry(1, 11_000, 500, 'failRate'), entry(1, 13_000, 201), entry(2, 12_000, 429, 'rule:rate-limit', 1), entry(2, 14_000, 201), entry(3, 12_500, 503, 'failRate'), entry(3, 12_900, 201)]
// A stand-in for twap-monitor's policy (twapRetrySeconds, tested beside it): Retry-After for a 429, 3 s for a 5xx in a 15 s window.
const retrySeconds = (answer: { status: number; retryAfter?: number | undefined }, window: { start: bigint; validTo: bigint }) =>
  answer.retryAfter ?? (answer.status >= 500 ? Math.min(5, Number(window.validTo - window.start) >> 2) : 0)
const part = { start: 100n, validTo: 114n }

const clean: ChaosEvidence = {
  blockTimeMs: 1000,
  blockSeconds: 1,
  startBlock: 12n,
  reorg: { depth: 3, fromBlock: 14n, removedGone: true },
  removedOwnerPosts: 0,
  controlAccepted: 2,
  kill: {
    signal: 'SIGKILL',
    old: { pid: 100, killedAt: 20_000, exitedAt: 20_010, exit: { code: null, signal: 'SIGKILL' }, pidGone: true, lastCursor: 20, final: undefined, finalError: undefined },
    new: { pid: 200, spawnedAt: 21_000, healthy: { status: 200, body: '{"ok":true}', at: 24_000 } },
    downMs: 4_000,
  },
  headAtKill: 21n,
  journal: { value: journal },
  metrics: {
    traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 2 }] },
    restarts: { value: [{ module: 'traps-every-k', count: 2 }] },
    hostFailures: { value: [{ module: 'twap-monitor', capability: 'chain', count: 3 }, { module: 'twap-monitor', capability: 'cow_api', count: 2 }] },
    moduleErrors: { value: [{ module: 'twap-monitor', kind: 'poll_failed', count: 3 }] },
    // 12 failures: 11 injected that a process counted + 1 lost at a drop.
    failedChainRequests: { value: 12 },
    chainRequests: { value: 500 },
    // Blocks 10..30 (21), one of which (21) the killed process may have finished unseen: 20 needed.
    blockEvents: { value: [{ module: 'twap-monitor', count: 21 }, { module: 'ethflow-watcher', count: 20 }, { module: 'traps-every-k', count: 23 }] },
    cursorAtEnd: { value: 30 },
    reconnects: { value: 5 },
    reorgs: { value: 1 },
  },
  // At most 12 + 2 + 1 + (500 - (500 - 3 - 2)) = 20 failures; at least 12 - 1 = 11.
  proxy: { injectedFailures: 12, wsDrops: 6, failuresLostInKill: 1, dropsAroundKill: 1, pendingAtDrops: 2, nodeErrors: 1, requests: 500, requestsLostInKill: 3, pendingAtEnd: 2 },
  record,
  deliveries: [
    { uid: uid(1), tradeableBlock: 11n, seenAt: 10_900, acceptedAt: 13_000, latencyMs: 2_100, ...part },
    { uid: uid(2), tradeableBlock: 12n, seenAt: 11_900, acceptedAt: 14_000, latencyMs: 2_100, ...part },
  ],
  retrySeconds,
}
const failing = (e: ChaosEvidence) => judgeChaos(e).bars.filter((b) => !b.pass)
const withMetrics = (m: Partial<ChaosEvidence['metrics']>): Partial<ChaosEvidence> => ({ metrics: { ...clean.metrics, ...m } })
const withKill = (old: Partial<NonNullable<ChaosEvidence['kill']>['old']>, fresh: Partial<NonNullable<ChaosEvidence['kill']>['new']> = {}): Partial<ChaosEvidence> => ({
  kill: { ...clean.kill!, old: { ...clean.kill!.old, ...old }, new: { ...clean.kill!.new, ...fresh } },
})

describe('judgeChaos', () => {
  test('behavior: a clean run passes every chaos bar', () => {
    const verdict = judgeChaos(clean)
    expect(verdict.bars.filter((b) => !b.pass)).toEqual([])
    expect(verdict.bars.find((b) => b.name === 'Orderbook faults visible')?.measured).toBe('2 x 5xx, 1 x 429 injected on posts; 2 orderbook failures reached modules')
    expect(verdict.bars.find((b) => b.name === 'No block skipped')?.measured).toBe('blocks 12..30 all handled')
    expect(verdict.bars.find((b) => b.name === 'Every module got every block')?.measured).toBe(
      'blocks 10..30 (21), 1 of them possibly finished unseen by the killed process: need >= 20; traps-every-k 23, twap-monitor 21, ethflow-watcher 20',
    )
    expect(verdict.bars.find((b) => b.name === 'RPC failures visible')?.measured).toBe(
      'engine 12; proxy injected 12 (1 into the killed process after its last scrape): at least 11; allowance 2 in flight at drops + 1 node errors + 5 unsent while reconnecting: at most 20',
    )
    expect(verdict.bars.map((b) => b.name)).toEqual([
      'Reorg removed the order',
      'Nothing posted for the removed order',
      'Control order posted',
      'Reorg visible',
      'Engine killed',
      'Engine resumed',
      'No block skipped',
      'Every module got every block',
      'Injected traps counted',
      'Trapping module restarted',
      'Other modules unaffected',
      'RPC failures visible',
      'WebSocket drops visible',
      'Orderbook faults visible',
    ])
  })

  // Each row breaks exactly one chaos bar: the judge must fail it alone and say what broke.
  const violations: Array<[string, Partial<ChaosEvidence>, RegExp]> = [
    ['Reorg removed the order', { reorg: { ...clean.reorg, removedGone: false } }, /still on chain/],
    ['Reorg removed the order', { reorg: { ...clean.reorg, depth: 2 } }, /depth 2/],
    ['Nothing posted for the removed order', { removedOwnerPosts: 1 }, /^1$/],
    ['Control order posted', { controlAccepted: 0 }, /0 accepted/],
    ['Reorg visible', withMetrics({ reorgs: { value: 0 } }), /^0$/],
    ['Reorg visible', withMetrics({ reorgs: { notMeasured: 'shepherd_reorgs_total absent' } }), /not measured/],
    ['Engine killed', withKill({ exit: { code: 0, signal: null } }), /exited with code 0/],
    ['Engine killed', withKill({ pidGone: false }), /pid 100 still exists/],
    ['Engine resumed', withKill({}, { healthy: { status: 503, body: '{"ok":false}', at: 24_000 } }), /answered \/healthz 503/],
    ['Engine resumed', withKill({}, { healthy: { status: 200, body: '', at: 20_005 } }), /before the old process exited/],
    // Block 21 reached the module in some other process; the new one began at 22, past the old cursor (18) and the old process's last block (20) + 1.
    ['Engine resumed', { ...withKill({ lastCursor: 18 }), journal: { value: journal.map((l) => (l.event === 'block' && l.block === 21n ? { ...l, pid: 300 } : l)) } }, /resumed at block 22, after 20 \+ 1 \(old cursor 18, last block the old process handled 20\)/],
    ['Engine resumed', withKill({}, { pid: 300 }), /pid 300\) handled no block/],
    ['No block skipped', { journal: { value: journal.filter((l) => !(l.event === 'block' && l.block === 22n)) } }, /^1 blocks never handled: 22$/],
    ['No block skipped', { journal: { value: journal.filter((l) => !(l.event === 'block' && ((l.block >= 12n && l.block <= 20n) || l.block === 25n || l.block === 26n))) } }, /^11 blocks never handled: 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, \.\.\.$/],
    ['Injected traps counted', withMetrics({ traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 1 }] } }), /1 counted, 2 injected/],
    ['Injected traps counted', withMetrics({ traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 3 }] } }), /3 counted, 2 injected/],
    // A trap the killed process journaled on block 21 (past its cursor 20) may be uncounted, but not two.
    ['Injected traps counted', { ...withMetrics({ traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 1 }] } }), journal: { value: [...journal, line('trap', 21, 100, 19_990)] } }, /1 counted, 3 injected \(1 after the last scrape of their process\)/],
    ['Injected traps counted', withMetrics({ traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 2 }, { module: 'traps-every-k', kind: 'deadline', count: 1 }] } }), /other kinds: deadline 1/],
    ['Trapping module restarted', withMetrics({ restarts: { value: [] } }), /0 restarts, 2 traps/],
    ['Trapping module restarted', withMetrics({ restarts: { value: [{ module: 'traps-every-k', count: 3 }] } }), /3 restarts, 2 traps/],
    ['Other modules unaffected', withMetrics({ restarts: { value: [...(clean.metrics.restarts as { value: [] }).value, { module: 'twap-monitor', count: 1 }] } }), /twap-monitor 0 traps, 1 restarts/],
    ['RPC failures visible', withMetrics({ failedChainRequests: { value: 10 } }), /^engine 10; .*at least 11;/],
    ['RPC failures visible', withMetrics({ failedChainRequests: { value: 21 } }), /^engine 21; .*at most 20$/],
    // Fewer requests the engine made than the proxy received from it: nothing was unsent, so 15 failures are 0 too many... at most 15.
    ['RPC failures visible', withMetrics({ failedChainRequests: { value: 16 }, chainRequests: { value: 490 } }), /0 unsent while reconnecting: at most 15$/],
    ['RPC failures visible', { proxy: { ...clean.proxy, injectedFailures: 0, failuresLostInKill: 0 } }, /proxy injected 0/],
    ['Every module got every block', withMetrics({ blockEvents: { value: [{ module: 'twap-monitor', count: 21 }, { module: 'ethflow-watcher', count: 19 }, { module: 'traps-every-k', count: 23 }] } }), /ethflow-watcher 19; short: ethflow-watcher$/],
    ['Every module got every block', withMetrics({ blockEvents: { value: [{ module: 'twap-monitor', count: 21 }, { module: 'traps-every-k', count: 23 }] } }), /ethflow-watcher 0; short: ethflow-watcher$/],
    // The head at the kill was the old cursor: nothing finished unseen, all 21 blocks needed.
    ['Every module got every block', { headAtKill: 20n }, /need >= 21; .*short: ethflow-watcher$/],
    ['WebSocket drops visible', withMetrics({ reconnects: { value: 4 } }), /4 reconnects, 6 drops/],
    ['WebSocket drops visible', { proxy: { ...clean.proxy, wsDrops: 0, dropsAroundKill: 0 } }, /0 drops/],
    ['Orderbook faults visible', { record: record.filter((r) => r.status !== 429) }, /0 x 429/],
    ['Orderbook faults visible', withMetrics({ hostFailures: { value: [{ module: 'twap-monitor', capability: 'chain', count: 3 }] } }), /0 orderbook failures reached modules/],
  ]
  test.each(violations)('behavior: evidence that breaks only "%s" fails that bar alone (%#)', (name, change, measured) => {
    const bad = failing({ ...clean, ...change })
    expect(bad.map((b) => b.name)).toEqual([name])
    expect(bad[0]!.measured).toMatch(measured)
  })

  // Each row takes away one piece of evidence: the bars that need it are "not measured", never passed.
  const missing: Array<[string, Partial<ChaosEvidence>, string[]]> = [
    ['the journal', { journal: { notMeasured: 'no journal' } }, ['Engine resumed', 'No block skipped', 'Every module got every block', 'Injected traps counted', 'Trapping module restarted']],
    ['the killed process\'s cursor', withKill({ lastCursor: undefined, finalError: 'ECONNREFUSED' }), ['Engine resumed', 'Every module got every block', 'Injected traps counted']],
    ['block events', withMetrics({ blockEvents: { notMeasured: 'absent' } }), ['Every module got every block']],
    ['the cursor at the end', withMetrics({ cursorAtEnd: { notMeasured: 'absent' } }), ['Every module got every block', 'Injected traps counted']],
    ['the head at the kill', { headAtKill: undefined }, ['Every module got every block']],
    ['all chain requests', withMetrics({ chainRequests: { notMeasured: 'absent' } }), ['RPC failures visible']],
    ['traps', withMetrics({ traps: { notMeasured: 'absent' } }), ['Injected traps counted', 'Other modules unaffected']],
    ['restarts', withMetrics({ restarts: { notMeasured: 'absent' } }), ['Trapping module restarted', 'Other modules unaffected']],
    ['failed chain requests', withMetrics({ failedChainRequests: { notMeasured: 'absent' } }), ['RPC failures visible']],
    ['reconnects', withMetrics({ reconnects: { notMeasured: 'absent' } }), ['WebSocket drops visible']],
    ['host failures', withMetrics({ hostFailures: { notMeasured: 'absent' } }), ['Orderbook faults visible']],
  ]
  test.each(missing)('behavior: without %s, the bars that need it are "not measured"', (_what, change, bars) => {
    const bad = failing({ ...clean, ...change })
    expect(bad.map((b) => [b.name, b.status])).toEqual(bars.map((name) => [name, 'not measured']))
  })

  test('behavior: a not-measured bar says why', () => {
    const bad = failing({ ...clean, ...withKill({ lastCursor: undefined, finalError: 'ECONNREFUSED' }) })
    expect(bad.find((b) => b.name === 'Engine resumed')?.measured).toMatch(/not measured: .*ECONNREFUSED/)
    expect(bad.find((b) => b.name === 'Every module got every block')?.measured).toBe("not measured: the killed process's cursor was not read before the kill")
  })

  test('behavior: without a kill or a journal, the kill bars are "not measured", never passed', () => {
    const bad = failing({ ...clean, kill: undefined, journal: { notMeasured: 'no journal' } })
    expect(bad.map((b) => [b.name, b.status])).toEqual([
      ['Engine killed', 'not measured'],
      ['Engine resumed', 'not measured'],
      ['No block skipped', 'not measured'],
      ['Every module got every block', 'not measured'],
      ['Injected traps counted', 'not measured'],
      ['Trapping module restarted', 'not measured'],
    ])
  })

  test('behavior: the bounds come from what was injected, and the standard bars fail just above them', () => {
    const { bounds } = judgeChaos(clean)
    expect(bounds.maxTraps).toMatchObject({ max: 2, why: expect.stringMatching(/2 traps traps-every-k injected/) })
    // poll_failed: at most the 3 chain calls that failed to twap-monitor; every other kind 0.
    expect(bounds.moduleErrorsByKind).toEqual([{ module: 'twap-monitor', kind: 'poll_failed', max: 3, why: expect.stringMatching(/3 chain calls failed to twap-monitor/) }])
    expect(bounds.maxModuleErrors).toBeUndefined()
    expect(judgeChaos(clean).notes).toContain(
      'chaos bounds of module errors, per kind: twap-monitor/poll_failed <= 3; every other kind 0: the 2 x 5xx and 1 x 429 the stub injected on posts make twap-monitor back off (no error kind), and no injected fault answers a lookup',
    )
    // Outage: killed at 20_000; healthy at 24_000, the witness past cursor 20 at 24_500. The policy's
    // longest wait for one part: 3_000 ms after uid 1's 5xx (uid 2's 429 says 1 s). Plus one block.
    expect(bounds.p99LatencyMs).toMatchObject({ max: 4_500 + 3_000 + 1_000, why: expect.stringMatching(/outage 4500 ms .* 3000 ms the retry policy waits .*: 500\) \+ 1 block time/) })
    const measures: Measures = {
      twap: { expected: 10, delivered: 10, duplicates: 0 },
      ethFlow: { placed: 5, observed: 5, postedByWatcher: 0 },
      unexplainedOrders: 0,
      moduleErrors: { value: 3 },
      moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'poll_failed', count: 3 }] },
      traps: { value: 2 },
      poisoned: { value: 0 },
      p99LatencyMs: 8_499,
      blockTimeMs: 1000,
      bounds,
    }
    expect(judge(measures).pass).toBe(true)
    const over = (change: Partial<Measures>) => judge({ ...measures, ...change }).bars.filter((b) => !b.pass).map((b) => b.name)
    expect(over({ traps: { value: 3 } })).toEqual(['Traps'])
    expect(over({ moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'poll_failed', count: 4 }] } })).toEqual(['Module errors'])
    expect(over({ moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'poll_failed', count: 3 }, { module: 'twap-monitor', kind: 'part_missed', count: 1 }] } })).toEqual(['Module errors'])
    expect(over({ moduleErrorsByKind: { value: [{ module: 'ethflow-watcher', kind: 'orderbook_refused', count: 1 }] } })).toEqual(['Module errors'])
    expect(over({ p99LatencyMs: 8_500 })).toEqual(['p99 block-to-submission'])
  })

  test('behavior: the latency bound follows the retry policy, never the retries observed, and adds up consecutive failures of one part', () => {
    // uid 1 took 9 s to be accepted after its 5xx: the bound still allows the policy's 3 s, no more.
    const slow = judgeChaos({ ...clean, record: [entry(1, 11_000, 500, 'failRate'), entry(1, 20_000, 201)], deliveries: [{ ...clean.deliveries[0]!, acceptedAt: 20_000 }] }).bounds.p99LatencyMs!
    expect(slow.max).toBe(4_500 + 3_000 + 1_000)
    // Two 5xx and a 429 before acceptance: 3 + 3 + 1 s. A 5xx after the acceptance (a duplicate) does not count.
    const three = [entry(1, 11_000, 500, 'failRate'), entry(1, 11_100, 503, 'failRate'), entry(1, 11_200, 429, 'rule:rate-limit', 1), entry(1, 13_000, 201), entry(1, 13_100, 500, 'failRate')]
    expect(judgeChaos({ ...clean, record: three }).bounds.p99LatencyMs!.max).toBe(4_500 + 7_000 + 1_000)
    // A wider window lets the policy wait longer (5 s, its cap): the bound follows.
    expect(judgeChaos({ ...clean, deliveries: [{ ...clean.deliveries[0]!, start: 100n, validTo: 159n }] }).bounds.p99LatencyMs!.max).toBe(4_500 + 5_000 + 1_000)
    // No injected failure on a delivered part: outage + one block.
    expect(judgeChaos({ ...clean, record: [entry(1, 13_000, 201)] }).bounds.p99LatencyMs!.max).toBe(4_500 + 1_000)
  })

  test('behavior: traps the live process journaled after the final scrape (past its cursor) may be missing from the count', () => {
    const late = { ...clean, journal: { value: [...journal, line('trap', 31, 200, 31_000)] } }
    expect(failing(late)).toEqual([])
    expect(judgeChaos(late).bars.find((b) => b.name === 'Injected traps counted')?.measured).toBe('2 counted, 3 injected (1 after the last scrape of their process)')
    // A trap on a block at or before the cursor was counted: missing from the count, it fails.
    expect(failing({ ...clean, journal: { value: [...journal, line('trap', 30, 200, 30_000)] } }).map((b) => b.name)).toEqual(['Injected traps counted'])
  })

  test('behavior: without the evidence a bound needs, no bound is derived (the strict default applies)', () => {
    const { bounds } = judgeChaos({ ...clean, kill: undefined, journal: { notMeasured: 'x' }, metrics: { ...clean.metrics, hostFailures: { notMeasured: 'absent' } } })
    expect(bounds).toEqual({})
  })
})

// The same run with an external subject: no metrics, no journal, a kill of its process group.
// Its new process (pid 200) was ready at t=24_000; uid 2's post was accepted at 14_000, before the
// kill, and a post accepted at 25_000 shows it back at work.
describe('judgeChaos with an external subject', () => {
  const notMeasuredAtAll = { notMeasured: 'the subject serves no Shepherd metrics' }
  const subjectRun: ChaosEvidence = {
    ...clean,
    subject: 'external command: node bot.mjs',
    kill: { ...clean.kill!, old: { ...clean.kill!.old, lastCursor: undefined, final: undefined, finalError: 'no metrics' }, new: { ...clean.kill!.new, healthy: { status: 200, body: 'ready', at: 24_000 } } },
    headAtKill: 21n,
    journal: { notMeasured: 'no journal' },
    metrics: Object.fromEntries(Object.keys(clean.metrics).map((k) => [k, notMeasuredAtAll])) as unknown as ChaosEvidence['metrics'],
    record: [...record, entry(4, 25_000, 201)],
  }
  const subjectFailing = (e: ChaosEvidence) => judgeChaos(e).bars.filter((b) => !b.pass)
  const withSubjectKill = (old: Partial<NonNullable<ChaosEvidence['kill']>['old']>, fresh: Partial<NonNullable<ChaosEvidence['kill']>['new']> = {}): Partial<ChaosEvidence> => ({
    kill: { ...subjectRun.kill!, old: { ...subjectRun.kill!.old, ...old }, new: { ...subjectRun.kill!.new, ...fresh } },
  })

  test('behavior: a clean run passes; the engine-only bars are "not measured for this subject", the ground-truth ones are judged', () => {
    const verdict = judgeChaos(subjectRun)
    expect(verdict.bars.filter((b) => !b.pass)).toEqual([])
    expect(verdict.bars.map((b) => [b.name, b.status])).toEqual([
      ['Reorg removed the order', 'pass'],
      ['Nothing posted for the removed order', 'pass'],
      ['Control order posted', 'pass'],
      ['Reorg visible', 'not applicable'],
      ['Subject killed', 'pass'],
      ['Subject resumed', 'pass'],
      ['No block skipped', 'not applicable'],
      ['Every module got every block', 'not applicable'],
      ['Injected traps counted', 'not applicable'],
      ['Trapping module restarted', 'not applicable'],
      ['Other modules unaffected', 'not applicable'],
      ['RPC failures visible', 'not applicable'],
      ['WebSocket drops visible', 'not applicable'],
      ['Faults reached the subject', 'pass'],
    ])
    for (const b of verdict.bars.filter((b) => b.status === 'not applicable')) expect(b.measured).toMatch(/^not measured for this subject \(external command: node bot\.mjs\): /)
    expect(verdict.bars.find((b) => b.name === 'Subject resumed')?.measured).toBe('pid 200 ready 4000 ms after the kill; 1 posts accepted since')
    expect(verdict.bars.find((b) => b.name === 'Faults reached the subject')?.measured).toBe('12 RPC failures injected, 6 WebSocket drops; 2 x 5xx, 1 x 429 injected on posts')
  })

  const violations: Array<[string, Partial<ChaosEvidence>, RegExp]> = [
    ['Reorg removed the order', { reorg: { ...clean.reorg, removedGone: false } }, /still on chain/],
    ['Nothing posted for the removed order', { removedOwnerPosts: 2 }, /^2$/],
    ['Control order posted', { controlAccepted: 0 }, /0 accepted/],
    ['Subject killed', withSubjectKill({ exit: { code: 1, signal: null } }), /exited with code 1/],
    ['Subject killed', withSubjectKill({ exit: { code: null, signal: 'SIGTERM' } }), /exited with SIGTERM/],
    ['Subject killed', withSubjectKill({ pidGone: false }), /pid 100 still exists/],
    ['Subject resumed', withSubjectKill({}, { pid: 100 }), /the "new" process has the old pid/],
    ['Subject resumed', withSubjectKill({}, { healthy: { status: 200, body: 'ready', at: 20_005 } }), /ready before the old process exited/],
    // Accepted just before it was ready, or refused after: not back at work.
    ['Subject resumed', { record: [...record, entry(4, 23_999, 201)] }, /no post accepted after it was ready/],
    ['Subject resumed', { record: [...record, entry(4, 25_000, 500, 'failRate')] }, /no post accepted after it was ready/],
    ['Faults reached the subject', { proxy: { ...clean.proxy, injectedFailures: 0 } }, /^0 RPC failures injected/],
    ['Faults reached the subject', { record: [...subjectRun.record].filter((r) => r.status !== 429) }, /0 x 429/],
    ['Faults reached the subject', { record: [...subjectRun.record].filter((r) => r.status < 500) }, /0 x 5xx/],
  ]
  test.each(violations)('behavior: evidence that breaks only "%s" fails that bar alone (%#)', (name, change, measured) => {
    const bad = subjectFailing({ ...subjectRun, ...change })
    expect(bad.map((b) => b.name)).toEqual([name])
    expect(bad[0]!.measured).toMatch(measured)
  })

  test('behavior: an exit at the ready moment itself counts as ready after it; a post accepted at that moment counts', () => {
    expect(subjectFailing({ ...subjectRun, ...withSubjectKill({ exitedAt: 24_000 }), record: [...record, entry(4, 24_000, 201)] })).toEqual([])
  })

  test('behavior: without a kill, the kill bars are "not measured", never passed, and no latency bound is derived', () => {
    const bad = subjectFailing({ ...subjectRun, kill: undefined })
    expect(bad.map((b) => [b.name, b.status, b.measured])).toEqual([
      ['Subject killed', 'not measured', 'not measured: the harness never killed the subject'],
      ['Subject resumed', 'not measured', 'not measured: the harness never killed the subject'],
    ])
    expect(judgeChaos({ ...subjectRun, kill: undefined }).bounds).toEqual({})
  })

  test('behavior: the latency bound is the outage to ready + the retry policy after injected failures + one block, and the standard bar fails just above it', () => {
    const { bounds, notes } = judgeChaos(subjectRun)
    // Killed at 20_000, ready at 24_000: 4 s; uid 1's 5xx: 3 s; one block.
    expect(bounds).toEqual({ p99LatencyMs: { max: 4_000 + 3_000 + 1_000, why: expect.stringMatching(/^outage 4000 ms \(SIGKILL to the new process ready\) \+ 3000 ms/) } })
    expect(notes).toEqual([expect.stringMatching(/^chaos bound p99LatencyMs = 8000: .*a subject may retry sooner, not later\)$/)])
    const measures: Measures = {
      twap: { expected: 10, delivered: 10, duplicates: 0 },
      ethFlow: { placed: 5, observed: 5, postedByWatcher: 0 },
      unexplainedOrders: 0,
      moduleErrors: notMeasuredAtAll,
      traps: notMeasuredAtAll,
      poisoned: notMeasuredAtAll,
      p99LatencyMs: 7_999,
      blockTimeMs: 1000,
      bounds,
      externalSubject: 'external command: node bot.mjs',
    }
    expect(judge(measures).pass).toBe(true)
    expect(judge({ ...measures, p99LatencyMs: 8_001 }).bars.filter((b) => !b.pass).map((b) => b.name)).toEqual(['p99 block-to-submission'])
    expect(judge({ ...measures, twap: { expected: 10, delivered: 10, duplicates: 1 } }).bars.filter((b) => !b.pass).map((b) => b.name)).toEqual(['Duplicates'])
  })
})
