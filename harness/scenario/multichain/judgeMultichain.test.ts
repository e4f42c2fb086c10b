import { describe, expect, test } from 'vitest'
import { judgeMultichain, type ChainDelivery, type ChainEvidence, type MultichainEvidence } from './judgeMultichain.ts'

// A clean run at 1 s blocks: chain 100's RPC down from t=100 s to t=160 s (its blocks 100-159);
// chain 11155111 keeps its cursor within a block and its latency near 50 ms throughout.
const start = 100_000
const end = 160_000
const steadyDeliveries = (latencyDuring = 55): ChainDelivery[] =>
  Array.from({ length: 200 }, (_, i) => {
    const seenAt = 50_000 + i * 1000
    const latencyMs = seenAt >= start && seenAt <= end ? latencyDuring : 50
    return { uid: `0xa${i}`, tradeableBlock: BigInt(50 + i), seenAt, acceptedAt: seenAt + latencyMs, latencyMs }
  })
// Chain 100: parts of blocks 80-199; those of the outage blocks (100-159) accepted just after it.
const faultedDeliveries = (): ChainDelivery[] =>
  Array.from({ length: 120 }, (_, i) => {
    const block = 80 + i
    const seenAt = block * 1000
    const acceptedAt = block >= 100 && block <= 159 ? end + 500 + i : seenAt + 60
    return { uid: `0xb${i}`, tradeableBlock: BigInt(block), seenAt, acceptedAt, latencyMs: acceptedAt - seenAt }
  })
const chain = (chainId: number, deliveries: ChainDelivery[], patch: Partial<ChainEvidence> = {}): ChainEvidence => ({ chainId, expected: deliveries.length, delivered: deliveries.length, missing: [], duplicates: 0, deliveries, unexplained: 0, ethFlow: { placed: 40, observed: 40 }, ...patch })
const samples = (lagDuring = 1, lagBefore = 1) =>
  Array.from({ length: 200 }, (_, i) => {
    const at = 40_000 + i * 1000
    const lag = at >= start && at <= end ? lagDuring : lagBefore
    return { at, head: BigInt(40 + i), cursor: BigInt(40 + i - lag) }
  })
const clean = (): MultichainEvidence => ({
  blockTimeMs: 1000,
  steady: chain(11155111, steadyDeliveries()),
  faulted: chain(100, faultedDeliveries()),
  outage: { fromBlock: 100n, toBlock: 159n, plannedBlocks: 60, startedAt: start, endedAt: end, refused: 12 },
  lagSamples: samples(),
  engine: { moduleErrors: { value: [] }, traps: { value: 0 }, poisoned: { value: 0 } },
})
const barOf = (e: MultichainEvidence, name: string) => {
  const found = judgeMultichain(e).bars.find((b) => b.name === name)
  if (!found) throw new Error(`no bar "${name}"`)
  return found
}
const failing = (e: MultichainEvidence) => judgeMultichain(e).bars.filter((b) => !b.pass).map((b) => b.name)

describe('judgeMultichain', () => {
  test('behavior: an EthFlow order a chain placed but its stub never showed fails that chain\'s bar only; none placed is not measured', () => {
    const lost = clean()
    lost.faulted = { ...lost.faulted, ethFlow: { placed: 40, observed: 39 } }
    expect(failing(lost)).toEqual(['Chain 100 EthFlow observed'])
    expect(barOf(lost, 'Chain 100 EthFlow observed').measured).toBe('39/40')
    const none = clean()
    none.steady = { ...none.steady, ethFlow: { placed: 0, observed: 0 } }
    expect(barOf(none, 'Chain 11155111 EthFlow observed')).toMatchObject({ pass: false, status: 'not measured' })
  })

  test('behavior: a module error, a trap or a poisoned instance fails its bar; a missing metric is not measured', () => {
    for (const [key, name] of [['moduleErrors', 'Module errors'], ['traps', 'Traps'], ['poisoned', 'Poisoned modules']] as const) {
      const bad = clean()
      bad.engine = { ...bad.engine, [key]: key === 'moduleErrors' ? { value: [{ module: 'ethflow-watcher', kind: 'orderbook_refused', chainId: '100', count: 1 }] } : { value: 1 } }
      expect(failing(bad)).toEqual([name])
      const unread = clean()
      unread.engine = { ...unread.engine, [key]: { notMeasured: 'metric absent' } }
      expect(barOf(unread, name)).toMatchObject({ pass: false, status: 'not measured', measured: 'not measured: metric absent' })
    }
  })

  test('behavior: a module error on the healthy chain FAILS Module errors, naming module, kind and chain; so does one on the outage chain', () => {
    const healthy = clean()
    healthy.engine = { ...healthy.engine, moduleErrors: { value: [{ module: 'twap-monitor', kind: 'poll_failed', chainId: '11155111', count: 2 }] } }
    expect(failing(healthy)).toEqual(['Module errors'])
    expect(barOf(healthy, 'Module errors')).toMatchObject({ status: 'fail', measured: 'chain 11155111: 2, chain 100: 0: twap-monitor poll_failed on chain 11155111 x2' })
    // An RPC outage is the engine's host failure, not a module error: the outage chain's bound is 0 too.
    const outage = clean()
    outage.engine = { ...outage.engine, moduleErrors: { value: [{ module: 'twap-monitor', kind: 'poll_failed', chainId: '100', count: 1 }] } }
    expect(barOf(outage, 'Module errors')).toMatchObject({ status: 'fail', measured: 'chain 11155111: 0, chain 100: 1: twap-monitor poll_failed on chain 100 x1' })
    expect(barOf(clean(), 'Module errors')).toMatchObject({ status: 'pass', measured: 'chain 11155111: 0, chain 100: 0' })
  })

  test('behavior: a clean run passes every bar, with the bounds derived from its baseline', () => {
    const verdict = judgeMultichain(clean())
    expect(verdict.bars.filter((b) => !b.pass)).toEqual([])
    expect(verdict.bars.map((b) => b.name)).toEqual([
      'Outage injected',
      'Chain 11155111 cursor during the outage',
      'Chain 11155111 deliveries',
      'Chain 11155111 duplicates',
      'Chain 11155111 p99 during the outage',
      'Orders reached their own chain',
      'Chain 100 backfill',
      'Chain 100 duplicates',
      'Chain 100 outage parts backfilled',
      'Chain 11155111 EthFlow observed',
      'Chain 100 EthFlow observed',
      'Module errors',
      'Traps',
      'Poisoned modules',
    ])
    expect(verdict.bounds.maxCursorLagBlocks.max).toBe(2)
    expect(verdict.bounds.steadyP99Ms.max).toBe(550)
    expect(verdict.figures).toEqual({ baselineMaxLag: 1, outageMaxLag: 1, baselineP99Ms: 50, outageP99Ms: 55, backfilled: 60, outageParts: 60 })
    expect(barOf(clean(), 'Chain 100 outage parts backfilled').measured).toBe('60/60 after recovery')
  })

  test('outage: too few blocks down, or no connection refused (the fault never reached the engine), FAILs', () => {
    expect(barOf({ ...clean(), outage: { ...clean().outage, toBlock: 158n } }, 'Outage injected').pass).toBe(false)
    expect(barOf({ ...clean(), outage: { ...clean().outage, refused: 0 } }, 'Outage injected').pass).toBe(false)
    expect(barOf({ ...clean(), outage: { ...clean().outage, toBlock: 99n } }, 'Outage injected').measured).toMatch(/^0 blocks/)
  })

  test('steady cursor: a lag past N during the outage FAILs; N comes from the baseline (max(2, baseline + 1)) and a lag of exactly N passes', () => {
    expect(barOf({ ...clean(), lagSamples: samples(3) }, 'Chain 11155111 cursor during the outage').pass).toBe(false)
    expect(barOf({ ...clean(), lagSamples: samples(2) }, 'Chain 11155111 cursor during the outage').pass).toBe(true)
    // A slower baseline gives a looser bound, but never looser than the baseline + 1.
    expect(judgeMultichain({ ...clean(), lagSamples: samples(4, 3) }).bounds.maxCursorLagBlocks.max).toBe(4)
    expect(barOf({ ...clean(), lagSamples: samples(5, 3) }, 'Chain 11155111 cursor during the outage').pass).toBe(false)
    expect(judgeMultichain({ ...clean(), lagSamples: samples(1, 0) }).bounds.maxCursorLagBlocks.max).toBe(2)
  })

  test('steady cursor: no sample inside the outage, or an unknown cursor in one, is not measured and FAILs', () => {
    const none = barOf({ ...clean(), lagSamples: samples().filter((s) => s.at < start || s.at > end) }, 'Chain 11155111 cursor during the outage')
    expect(none).toMatchObject({ pass: false, status: 'not measured' })
    expect(none.measured).toContain('no sample fell inside the outage')
    const unknown = barOf({ ...clean(), lagSamples: samples().map((s) => (s.at === start + 5000 ? { ...s, cursor: undefined } : s)) }, 'Chain 11155111 cursor during the outage')
    expect(unknown).toMatchObject({ pass: false, status: 'not measured' })
    expect(unknown.measured).toContain('the cursor was unknown')
  })

  test('steady deliveries: a missing part, a part delivered short of expected, nothing expected, or a duplicate FAILs', () => {
    const e = clean()
    expect(barOf({ ...e, steady: { ...e.steady, missing: [{ uid: '0x1', tradeableBlock: 120n }] } }, 'Chain 11155111 deliveries').pass).toBe(false)
    expect(barOf({ ...e, steady: { ...e.steady, delivered: e.steady.expected - 1 } }, 'Chain 11155111 deliveries').pass).toBe(false)
    expect(barOf({ ...e, steady: chain(11155111, []) }, 'Chain 11155111 deliveries').pass).toBe(false)
    expect(barOf({ ...e, steady: { ...e.steady, duplicates: 1 } }, 'Chain 11155111 duplicates').pass).toBe(false)
    expect(failing({ ...e, steady: { ...e.steady, duplicates: 1 } })).toEqual(['Chain 11155111 duplicates'])
  })

  test('steady p99: slower during the outage than max(2 x baseline, baseline + half a block) FAILs; at the bound passes', () => {
    const slow = { ...clean(), steady: chain(11155111, steadyDeliveries(551)) }
    expect(barOf(slow, 'Chain 11155111 p99 during the outage').pass).toBe(false)
    expect(barOf({ ...clean(), steady: chain(11155111, steadyDeliveries(550)) }, 'Chain 11155111 p99 during the outage').pass).toBe(true)
  })

  test('steady p99: no part seen during the outage, or none outside it, is not measured and FAILs', () => {
    const outsideOnly = steadyDeliveries().filter((d) => d.seenAt < start || d.seenAt > end)
    const noneInside = barOf({ ...clean(), steady: chain(11155111, outsideOnly) }, 'Chain 11155111 p99 during the outage')
    expect(noneInside).toMatchObject({ pass: false, status: 'not measured' })
    expect(noneInside.measured).toContain('no part of this chain became tradeable during the outage')
    const insideOnly = steadyDeliveries().filter((d) => d.seenAt >= start && d.seenAt <= end)
    const noBaseline = barOf({ ...clean(), steady: chain(11155111, insideOnly) }, 'Chain 11155111 p99 during the outage')
    expect(noBaseline).toMatchObject({ pass: false, status: 'not measured' })
    expect(noBaseline.measured).toContain('no part outside the outage')
  })

  test('orders reached their own chain: an order either stub cannot explain from its own chain FAILs', () => {
    const e = clean()
    expect(barOf({ ...e, steady: { ...e.steady, unexplained: 1 } }, 'Orders reached their own chain').pass).toBe(false)
    expect(barOf({ ...e, faulted: { ...e.faulted, unexplained: 3 } }, 'Orders reached their own chain').pass).toBe(false)
  })

  test('faulted chain: a part lost, short, nothing expected, or posted twice FAILs its backfill bars', () => {
    const e = clean()
    const lost = { ...e, faulted: { ...e.faulted, missing: [{ uid: '0x2', tradeableBlock: 120n }] } }
    expect(barOf(lost, 'Chain 100 backfill').pass).toBe(false)
    expect(barOf(lost, 'Chain 100 outage parts backfilled').pass).toBe(false)
    // A part lost outside the outage's blocks fails the backfill, not the outage parts bar.
    const lostBefore = { ...e, faulted: { ...e.faulted, missing: [{ uid: '0x3', tradeableBlock: 90n }] } }
    expect(barOf(lostBefore, 'Chain 100 backfill').pass).toBe(false)
    expect(barOf(lostBefore, 'Chain 100 outage parts backfilled').pass).toBe(true)
    expect(barOf({ ...e, faulted: { ...e.faulted, delivered: e.faulted.expected - 1 } }, 'Chain 100 backfill').pass).toBe(false)
    expect(barOf({ ...e, faulted: chain(100, []) }, 'Chain 100 backfill').pass).toBe(false)
    expect(barOf({ ...e, faulted: { ...e.faulted, duplicates: 2 } }, 'Chain 100 duplicates').pass).toBe(false)
  })

  test('faulted chain: an outage part accepted while the RPC was down (the fault did not hold it back), or no part in the outage blocks, FAILs', () => {
    const e = clean()
    const early = e.faulted.deliveries.map((d) => (d.tradeableBlock === 130n ? { ...d, acceptedAt: end - 1 } : d))
    const bar = barOf({ ...e, faulted: chain(100, early) }, 'Chain 100 outage parts backfilled')
    expect(bar.pass).toBe(false)
    expect(bar.measured).toBe('59/60 after recovery, 1 accepted while the RPC was down')
    const noneInOutage = e.faulted.deliveries.filter((d) => d.tradeableBlock < 100n || d.tradeableBlock > 159n)
    expect(barOf({ ...e, faulted: chain(100, noneInOutage) }, 'Chain 100 outage parts backfilled').pass).toBe(false)
  })
})
