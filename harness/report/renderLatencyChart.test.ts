import { describe, expect, test } from 'vitest'
import { niceTicks, renderLatencyChart } from './renderLatencyChart.ts'
import type { BlockSample } from './types.ts'

/** A tiny XML well-formedness check: every open tag is closed in order, self-closing tags balance. */
function assertBalanced(svg: string): void {
  const stack: string[] = []
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match
    if (selfClosing) continue
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name)
    else stack.push(name!)
  }
  expect(stack).toEqual([])
}

const samples = (values: (number | null)[]): BlockSample[] => values.map((dispatchMs, i) => ({ block: 10 + i, timeSeconds: i, dispatchMs, loadTxs: 20 + i }))

describe('renderLatencyChart', () => {
  test('behavior: a standalone SVG with balanced tags, title, axes labels and one point per block', () => {
    const svg = renderLatencyChart(samples([1, 5, 3, 8, 2]), { title: 'baseline <1 s>' })
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    assertBalanced(svg)
    expect(svg).toContain('baseline &lt;1 s&gt;')
    expect(svg).toContain('dispatch latency (ms)')
    expect(svg).toContain('load (txs per block)')
    const polylines = [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)]
    expect(polylines).toHaveLength(1)
    expect(polylines[0]![1]!.split(' ')).toHaveLength(5)
    expect(svg.match(/<rect [^>]*><title>block \d+: \d+ txs<\/title><\/rect>/g)).toHaveLength(5)
  })

  test('behavior: the highest latency is drawn highest and the line rises with the data', () => {
    const svg = renderLatencyChart(samples([1, 9]))
    const points = [...svg.matchAll(/points="([^"]*)"/g)][0]![1]!.split(' ').map((p) => p.split(',').map(Number))
    expect(points[1]![1]!).toBeLessThan(points[0]![1]!) // SVG y grows downwards
    expect(points[1]![0]!).toBeGreaterThan(points[0]![0]!)
  })

  test('behavior: a block without dispatch breaks the line instead of drawing a zero', () => {
    const svg = renderLatencyChart(samples([1, 2, null, 4, 5, 6]))
    const polylines = [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length)
    expect(polylines).toEqual([2, 3])
    assertBalanced(svg)
  })

  test('behavior: no samples gives a valid SVG that says so', () => {
    const svg = renderLatencyChart([])
    assertBalanced(svg)
    expect(svg).toContain('no blocks recorded')
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
