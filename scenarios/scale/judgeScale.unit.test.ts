import { describe, expect, test } from 'vitest'
import { cpuFloorMs, judgeScale } from './judgeScale.ts'
import { examplePhase as phase, exampleBurst as burst, exampleScaleEvidence as passing } from './exampleScaleEvidence.ts'
import type { GrowthPhase, ScaleEvidence } from './scaleEvidence.ts'

const failed = (e: ScaleEvidence) =>
  judgeScale(e)
    .bars.filter((b) => !b.pass)
    .map((b) => b.name)

const withSteadyCpu = (p: GrowthPhase, cpuMs: number): GrowthPhase => ({ ...p, steady: p.steady.map((b) => ({ ...b, cpuMs })) })

describe('judgeScale', () => {
  test('behavior: a clean run passes every bar', () => {
    const verdict = judgeScale(passing())
    expect(verdict.bars.filter((b) => !b.pass)).toEqual([])
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.map((b) => b.name)).toContain('burst-http-cursor')
  })

  test('behavior: a creation missing from the chain fails', () => {
    expect(failed({ ...passing(), growth: [phase(1000), phase(10_000, { createdLogs: 9_999 })] })).toEqual(['creation'])
    expect(failed({ ...passing(), growth: [phase(1000, { created: 0, createdLogs: 0, ingestMs: 1 }), phase(10_000)] })).toContain('creation')
  })

  test('behavior: steady CPU 3x the 1k figure fails; exactly 2x passes', () => {
    const e = passing()
    expect(failed({ ...e, growth: [e.growth[0]!, withSteadyCpu(e.growth[1]!, 60)] })).toEqual(['steady-cpu'])
    expect(failed({ ...e, growth: [e.growth[0]!, withSteadyCpu(e.growth[1]!, 40)] })).toEqual([])
    expect(failed({ ...e, growth: [e.growth[0]!, withSteadyCpu(e.growth[1]!, 40.5)] })).toEqual(['steady-cpu'])
  })

  test('behavior: the CPU bar takes the median block: one GC spike does not fail it, most blocks at 3x do', () => {
    const e = passing()
    const spiky = { ...e.growth[1]!, steady: e.growth[1]!.steady.map((b, i) => ({ ...b, cpuMs: i === 3 ? 400 : 20 })) }
    expect(failed({ ...e, growth: [e.growth[0]!, spiky] })).toEqual([])
    const mostlyHigh = { ...e.growth[1]!, steady: e.growth[1]!.steady.map((b, i) => ({ ...b, cpuMs: i < 4 ? 20 : 60 })) }
    expect(failed({ ...e, growth: [e.growth[0]!, mostlyHigh] })).toEqual(['steady-cpu'])
    // Odd counts take the middle block; even counts the mean of the two middle ones.
    const odd = { ...e.growth[1]!, steady: [10, 50, 41].map((cpuMs, block) => ({ block, cpuMs, rssBytes: 2e8, polled: 2 })) }
    expect(failed({ ...e, growth: [e.growth[0]!, odd] })).toEqual(['steady-cpu'])
    const even = { ...e.growth[1]!, steady: [10, 39, 41, 90].map((cpuMs, block) => ({ block, cpuMs, rssBytes: 2e8, polled: 2 })) }
    expect(failed({ ...e, growth: [e.growth[0]!, even] })).toEqual([])
  })

  test('behavior: the CPU reference is floored at one clock tick, so an idle 1k figure does not fail a 2x-tick larger N', () => {
    const e = passing()
    expect(failed({ ...e, growth: [withSteadyCpu(e.growth[0]!, 2), withSteadyCpu(e.growth[1]!, 2 * cpuFloorMs)] })).toEqual([])
    expect(failed({ ...e, growth: [withSteadyCpu(e.growth[0]!, 2), withSteadyCpu(e.growth[1]!, 2 * cpuFloorMs + 1)] })).toEqual(['steady-cpu'])
  })

  test('behavior: CPU compared at a different number due per block is not measured, and fails', () => {
    const e = passing()
    const bars = judgeScale({ ...e, growth: [e.growth[0]!, { ...e.growth[1]!, duePerBlock: 3 }] }).bars
    expect(bars.find((b) => b.name === 'steady-cpu')).toMatchObject({ pass: false, status: 'not measured' })
    expect(failed({ ...e, growth: [{ ...e.growth[0]!, duePerBlock: 0 }, { ...e.growth[1]!, duePerBlock: 0 }] })).toEqual(['steady-cpu'])
  })

  test('behavior: ingest time per creation growing past 1.5x fails; 1.5x passes', () => {
    const e = passing()
    expect(failed({ ...e, growth: [e.growth[0]!, { ...e.growth[1]!, ingestMs: 20_000 }] })).toEqual(['ingest-flat'])
    expect(failed({ ...e, growth: [e.growth[0]!, { ...e.growth[1]!, ingestMs: 15_000 }] })).toEqual([])
    expect(failed({ ...e, growth: [e.growth[0]!, { ...e.growth[1]!, ingestMs: 15_001 }] })).toEqual(['ingest-flat'])
  })

  test('behavior: missing evidence fails, never passes', () => {
    const none = failed({ ...passing(), growth: [], dueParts: undefined, bursts: [] })
    expect(none).toEqual(['creation', 'ingest-flat', 'steady-cpu', 'steady-parts', 'burst-ws-polled', 'burst-ws-posted', 'burst-ws-once', 'burst-ws-cursor', 'burst-http-polled', 'burst-http-posted', 'burst-http-once', 'burst-http-cursor', 'memory'])
    expect(failed({ ...passing(), growth: [phase(1000)] })).toEqual(['ingest-flat', 'steady-cpu'])
    expect(failed({ ...passing(), growth: [phase(1000), phase(10_000, { steady: [] })] })).toEqual(['steady-cpu'])
    expect(failed({ ...passing(), growth: [phase(1000), phase(10_000, { rssBytes: Number.NaN })] })).toEqual(['memory'])
    expect(failed({ ...passing(), bursts: [burst('ws')] })).toEqual(['burst-http-polled', 'burst-http-posted', 'burst-http-once', 'burst-http-cursor'])
    expect(failed({ ...passing(), bursts: [burst('ws'), burst('http', { lagSamples: 0, maxCursorLag: 0 })] })).toEqual(['burst-http-cursor'])
    expect(failed({ ...passing(), dueParts: { expected: 0, posted: 0, duplicates: 0, unexpectedPosts: 0 } })).toEqual(['steady-parts'])
  })

  test('behavior: a duplicate post fails the burst and the steady parts', () => {
    expect(failed({ ...passing(), bursts: [burst('ws', { duplicates: 1 }), burst('http')] })).toEqual(['burst-ws-once'])
    expect(failed({ ...passing(), bursts: [burst('ws', { expected: 0, posted: 0, duplicates: 0 }), burst('http')] })).toEqual(['burst-ws-posted', 'burst-ws-once'])
    expect(failed({ ...passing(), dueParts: { expected: 40, posted: 40, duplicates: 1, unexpectedPosts: 0 } })).toEqual(['steady-parts'])
    expect(failed({ ...passing(), dueParts: { expected: 40, posted: 40, duplicates: 0, unexpectedPosts: 1 } })).toEqual(['steady-parts'])
  })

  test('behavior: a missed part fails, in the burst and in the steady window', () => {
    expect(failed({ ...passing(), bursts: [burst('ws', { posted: 499, blocksToPost: undefined }), burst('http')] })).toEqual(['burst-ws-posted'])
    expect(failed({ ...passing(), bursts: [burst('ws', { posted: 499 }), burst('http')] })).toEqual(['burst-ws-posted'])
    expect(failed({ ...passing(), bursts: [burst('ws', { expected: 499, posted: 499 }), burst('http')] })).toEqual(['burst-ws-posted'])
    expect(failed({ ...passing(), dueParts: { expected: 40, posted: 39, duplicates: 0, unexpectedPosts: 0 } })).toEqual(['steady-parts'])
  })

  test('behavior: parts posted after the block bound fail; at the bound pass', () => {
    expect(failed({ ...passing(), bursts: [burst('ws', { blocksToPost: 11 }), burst('http')] })).toEqual(['burst-ws-posted'])
    expect(failed({ ...passing(), bursts: [burst('ws', { blocksToPost: 10 }), burst('http')] })).toEqual([])
  })

  test('behavior: parts polled later than the next block fail', () => {
    expect(failed({ ...passing(), bursts: [burst('ws'), burst('http', { polledByNextBlock: 499 })] })).toEqual(['burst-http-polled'])
    expect(failed({ ...passing(), bursts: [burst('ws'), burst('http', { parts: 0, polledByNextBlock: 0, expected: 0, posted: 0 })] })).toContain('burst-http-polled')
  })

  test('behavior: cursor lag 3 fails; lag 2 passes', () => {
    expect(failed({ ...passing(), bursts: [burst('ws', { maxCursorLag: 3 }), burst('http')] })).toEqual(['burst-ws-cursor'])
    expect(failed({ ...passing(), bursts: [burst('ws', { maxCursorLag: 2 }), burst('http')] })).toEqual([])
  })

  test('behavior: RSS over 1 GB at the largest N fails; 1 GB passes', () => {
    expect(failed({ ...passing(), growth: [phase(1000), phase(10_000, { rssBytes: 1_000_000_001 })] })).toEqual(['memory'])
    expect(failed({ ...passing(), growth: [phase(1000), phase(10_000, { rssBytes: 1_000_000_000 })] })).toEqual([])
  })
})
