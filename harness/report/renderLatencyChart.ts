import type { BlockSample } from './types.ts'

export type RenderLatencyChartOptions = { title?: string; width?: number; height?: number }

const margin = { top: 44, right: 70, bottom: 52, left: 70 }

/**
 * A standalone SVG chart of a run: dispatch latency per block as a line (left axis, ms) over the
 * load level, mined load transactions per block, as bars (right axis). Our own small writer, no
 * dependency: the output is plain text, diffable and viewable in any browser or on GitHub.
 * Blocks with no dispatch (`dispatchMs: null`) break the line rather than drawing a false zero.
 *
 * @example
 * import { renderLatencyChart } from './renderLatencyChart.ts'
 * writeFileSync('run.svg', renderLatencyChart(result.series, { title: 'saturation, 0.5 s blocks' }))
 */
export function renderLatencyChart(series: readonly BlockSample[], options: RenderLatencyChartOptions = {}): string {
  const width = options.width ?? 800
  const height = options.height ?? 380
  const title = options.title ?? 'Dispatch latency and load per block'
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ]
  if (series.length === 0) {
    out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666666">no blocks recorded</text>`, '</svg>')
    return `${out.join('\n')}\n`
  }

  const latencies = series.flatMap((s) => (s.dispatchMs === null ? [] : [s.dispatchMs]))
  const leftTicks = niceTicks(Math.max(0, ...latencies))
  const rightTicks = niceTicks(Math.max(0, ...series.map((s) => s.loadTxs)))
  const leftMax = leftTicks[leftTicks.length - 1]!
  const rightMax = rightTicks[rightTicks.length - 1]!
  const slot = plotW / series.length
  const x = (i: number) => margin.left + (i + 0.5) * slot
  const yLeft = (v: number) => margin.top + plotH - (v / leftMax) * plotH
  const yRight = (v: number) => margin.top + plotH - (v / rightMax) * plotH
  const bottom = margin.top + plotH
  const right = margin.left + plotW

  // Grid and axes.
  for (const tick of leftTicks) {
    const y = round(yLeft(tick))
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eeeeee"/>`)
    out.push(`<text x="${margin.left - 6}" y="${y + 4}" text-anchor="end" fill="#1f5fbf">${formatTick(tick)}</text>`)
  }
  for (const tick of rightTicks) out.push(`<text x="${right + 6}" y="${round(yRight(tick)) + 4}" text-anchor="start" fill="#888888">${formatTick(tick)}</text>`)
  out.push(`<line x1="${margin.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333333"/>`)
  out.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${bottom}" stroke="#333333"/>`)
  out.push(`<line x1="${right}" y1="${margin.top}" x2="${right}" y2="${bottom}" stroke="#333333"/>`)

  // Load bars (second axis).
  out.push('<g class="load" fill="#cccccc">')
  series.forEach((s, i) => {
    const y = yRight(s.loadTxs)
    out.push(`<rect x="${round(x(i) - slot * 0.35)}" y="${round(y)}" width="${round(slot * 0.7)}" height="${round(bottom - y)}"><title>block ${s.block}: ${s.loadTxs} txs</title></rect>`)
  })
  out.push('</g>')

  // X ticks: at most ~10 block labels.
  const every = Math.max(1, Math.ceil(series.length / 10))
  series.forEach((s, i) => {
    if (i % every !== 0 && i !== series.length - 1) return
    out.push(`<line x1="${round(x(i))}" y1="${bottom}" x2="${round(x(i))}" y2="${bottom + 4}" stroke="#333333"/>`)
    out.push(`<text x="${round(x(i))}" y="${bottom + 16}" text-anchor="middle">${s.block}</text>`)
  })

  // Latency line: one point per block that dispatched; a null breaks it into segments.
  const segments: string[][] = [[]]
  series.forEach((s, i) => {
    if (s.dispatchMs === null) segments.push([])
    else segments[segments.length - 1]!.push(`${round(x(i))},${round(yLeft(s.dispatchMs))}`)
  })
  for (const points of segments.filter((p) => p.length > 0)) {
    out.push(`<polyline class="latency" fill="none" stroke="#1f5fbf" stroke-width="2" points="${points.join(' ')}"/>`)
  }

  // Axis labels and legend.
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">block</text>`)
  out.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#1f5fbf">dispatch latency (ms)</text>`)
  out.push(`<text transform="translate(${width - 14} ${margin.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="#888888">load (txs per block)</text>`)
  out.push(`<line x1="${margin.left}" y1="34" x2="${margin.left + 20}" y2="34" stroke="#1f5fbf" stroke-width="2"/><text x="${margin.left + 24}" y="38">dispatch latency</text>`)
  out.push(`<rect x="${margin.left + 130}" y="29" width="12" height="10" fill="#cccccc"/><text x="${margin.left + 146}" y="38">load txs</text>`)
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/**
 * Round axis ticks from 0 to at least `max`: steps of 1, 2 or 5 x 10^k, about five of them.
 *
 * @example
 * niceTicks(87) // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1]
  const raw = max / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude
  const ticks: number[] = []
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)))
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)))
  return ticks
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)))
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}
