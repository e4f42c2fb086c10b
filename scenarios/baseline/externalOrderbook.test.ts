import { expect, test } from 'vitest'
import { startOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { runScenario } from '../../harness/scenario/runScenario.ts'
import baseline from './scenario.ts'

// The real-orderbook path, against a local stand-in: a stub the scenario does not own, reached only
// over HTTP. Ground truth must come from that orderbook's answers (GET /orders/{uid}), not from a
// record the runner can read directly.
test('scenario: against an external orderbook, delivery and latency are judged from its GET answers and unseen bars are not applicable', async () => {
  const standIn = await startOrderbookStub()
  try {
    const short = { ...baseline, name: 'baseline-external', load: { ...baseline.load!, blocks: { full: 6, ci: 6 } } }
    const run = await runScenario(short, { scale: 'ci', orderbookUrl: standIn.baseUrl })
    const accepted = new Set(standIn.record.accepted().map((entry) => entry.uid.toLowerCase()))
    expect(run.truth.twap.expected).toBeGreaterThan(0)
    // What the judge counted as delivered is exactly what the stand-in accepted of the expected parts.
    const missingUids = new Set(run.truth.twap.missing.map((part) => part.uid.toLowerCase()))
    expect(run.truth.twap.delivered).toBe(run.truth.twap.expected - missingUids.size)
    expect(run.truth.twap.missing.every((part) => !accepted.has(part.uid.toLowerCase()))).toBe(true)
    expect(run.truth.twap.delivered).toBeGreaterThan(0)
    expect(run.truth.twap.latenciesMs.length).toBe(run.truth.twap.delivered)
    const status = (name: string) => run.verdict.bars.find((bar) => bar.name === name)?.status
    expect(status('TWAP delivery')).toBe('pass')
    for (const unseen of ['Duplicates', 'EthFlow observed', 'EthFlow never posted', 'Unexplained orders']) expect(status(unseen)).toBe('not applicable')
    expect(run.notes.join('\n')).toMatch(/orderbook: external/)
    expect(run.verdict.bars.find((bar) => bar.name === 'TWAP delivery')?.pass).toBe(true)
  } finally {
    await standIn.stop()
  }
})

test('scenario: an external orderbook is refused for a scenario that drives the stub, naming why', async () => {
  const withKnobs = { ...baseline, orderbook: { knobs: { acceptThenLose: { rate: 0.3 } } } }
  await expect(runScenario(withKnobs, { scale: 'ci', orderbookUrl: 'http://127.0.0.1:9' })).rejects.toThrow(/drives the orderbook stub.*SHEPHERD_ORDERBOOK_URL/)
  await expect(runScenario(baseline, { scale: 'ci', orderbookUrl: 'ftp://x' })).rejects.toThrow(/must be http\(s\)/)
})
