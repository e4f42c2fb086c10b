import { describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { renderRunCharts } from './renderRunCharts.ts'
import { niceTicks } from './svgPanel.ts'
import type { RunCharts } from './types.ts'

/** A tiny XML well-formedness check: every open tag is closed in order, no attribute twice. */
function assertWellFormed(svg: string): void {
  const stack: string[] = []
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name, attributes, selfClosing] = match
    const names = [...attributes!.matchAll(/\s([\w:-]+)="/g)].map((m) => m[1])
    expect(new Set(names).size, `attributes of <${name}${attributes}>`).toBe(names.length)
    if (selfClosing) continue
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name)
    else stack.push(name!)
  }
  expect(stack).toEqual([])
}

const charts = (): RunCharts => exampleScenarioResult().charts!
/** The numbers of every `points` attribute, as [x, y] pairs per polyline. */
const lines = (svg: string) => [...svg.matchAll(/<polyline[^>]*stroke="([^"]+)"[^>]*points="([^"]*)"/g)].map((m) => ({ color: m[1]!, points: m[2]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]) }))

describe('renderRunCharts', () => {
  test('behavior: one well-formed SVG with three panels over the same block axis, each naming its source', () => {
    const svg = renderRunCharts(charts(), { title: 'saturation <0.5 s>' })
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    assertWellFormed(svg)
    expect(svg).toContain('saturation &lt;0.5 s&gt;')
    expect(svg).toContain('Block to submission per module (p50 and p99 of the parts due in each block)')
    expect(svg).toContain('TWAP parts expected against delivered (cumulative)')
    expect(svg).toContain('Load sent against mined per block')
    expect(svg).toContain("block · head watcher's stamp of the block that made a part due, to the orderbook's receipt of its accepted post")
    expect(svg).toContain('block · sent: the load generator; mined: transactions in the block (the chain, all senders)')
    expect(svg).toContain('blocks 101-110 carry the load; 111-114 (shaded) are the drain')
  })

  test('behavior: the p99 bar is a horizontal line at its value, and the block with the worst p99 is drawn above it', () => {
    const svg = renderRunCharts(charts())
    const bar = /<line class="bar" x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"/.exec(svg)!
    expect(bar[1]).toBe(bar[2])
    expect(svg).toContain('bar: p99 &lt; 500 ms')
    const p99 = lines(svg).find((l) => l.color === '#1f5fbf')!
    expect(p99.points).toHaveLength(10)
    const worst = p99.points[4]! // block 105: 1480 ms
    const best = p99.points[0]! // block 101: 380 ms
    expect(worst[1]).toBeLessThan(Number(bar[1])) // SVG y grows downwards
    expect(best[1]).toBeGreaterThan(Number(bar[1]))
  })

  test('behavior: a module with no submissions by design says so in the chart instead of a flat zero line', () => {
    const svg = renderRunCharts(charts())
    expect(svg).toContain('ethflow-watcher: posts nothing by design: it checks that each EthFlow order reached the orderbook')
    expect(lines(svg).filter((l) => l.color === '#1f5fbf' || l.color === '#8fb3e8')).toHaveLength(2) // p99 and p50 of twap-monitor only
  })

  test('behavior: expected and delivered are cumulative over every block of the run, and a shortfall is named', () => {
    const svg = renderRunCharts(charts())
    const expected = lines(svg).find((l) => l.color === '#555555')!
    const delivered = lines(svg).find((l) => l.color === '#2e7d32')!
    expect(expected.points).toHaveLength(14) // blocks 101-114
    expect(delivered.points).toHaveLength(14)
    const ys = (l: { points: [number, number][] }) => l.points.map((p) => p[1])
    for (const series of [expected, delivered]) ys(series).reduce((previous, y) => (expect(y).toBeLessThanOrEqual(previous), y)) // never falls
    expect(svg).toContain('expected (1000)')
    expect(svg).toContain('delivered once or more (998)')
    expect(svg).toContain('2 expected parts not delivered')
  })

  test('behavior: one mined bar per block of the load, and the sent line over the same blocks', () => {
    const svg = renderRunCharts(charts())
    expect(svg.match(/<rect [^>]*><title>block \d+: \d+ mined, \d+ sent<\/title><\/rect>/g)).toHaveLength(10)
    expect(svg).toContain('<title>block 104: 97 mined, 100 sent</title>')
    expect(lines(svg).find((l) => l.color === '#e07b00')!.points).toHaveLength(10)
  })

  test('behavior: no charts or no blocks gives a valid SVG that says so', () => {
    for (const svg of [renderRunCharts(undefined), renderRunCharts({ ...charts(), window: { from: 5, to: 4, drainedTo: 4 } })]) {
      assertWellFormed(svg)
      expect(svg).toContain('no blocks recorded')
    }
  })
})

describe('niceTicks', () => {
  test('behavior: ticks start at 0, step by 1/2/5 x 10^k and reach the maximum', () => {
    expect(niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0.42)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5])
    expect(niceTicks(0)).toEqual([0, 1])
  })
})
