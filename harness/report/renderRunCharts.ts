import { formatMs, type RunCharts } from './types.ts'
import { escapeXml, niceTicks, panelAxes, panelScale, polylines, type PanelFrame } from './svgPanel.ts'

export type RenderRunChartsOptions = { title?: string; width?: number }

const colors = { p99: '#1f5fbf', p50: '#8fb3e8', bar: '#c62828', expected: '#555555', delivered: '#2e7d32', mined: '#bbbbbb', sent: '#e07b00', drain: '#f3f3f3' }
const modulePalette = ['#1f5fbf', '#6a1b9a', '#00838f', '#ad1457']
const layout = { left: 80, right: 30, titleHeight: 64, panelHeight: 150, panelGap: 84 }

/**
 * One standalone SVG with three small charts over the same block axis, each showing what a bar
 * judges: block-to-submission per module (p50 and p99 of the parts that became tradeable in each
 * block, with the p99 bar as a dashed line), TWAP parts expected against delivered (cumulative),
 * and load sent against mined per block. The drain blocks after the load are shaded. Each panel
 * names its source under its axis. Our own writer, no dependency.
 *
 * @example
 * import { renderRunCharts } from './renderRunCharts.ts'
 * writeFileSync('run.svg', renderRunCharts(result.charts, { title: 'baseline, 1 s blocks' }))
 */
export function renderRunCharts(charts: RunCharts | undefined, options: RenderRunChartsOptions = {}): string {
  const width = options.width ?? 820
  const title = options.title ?? 'What the bars judge, per block'
  const { window } = charts ?? { window: { from: 0, to: -1, drainedTo: -1 } }
  const height = layout.titleHeight + 3 * (layout.panelHeight + layout.panelGap)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ]
  if (!charts || window.drainedTo < window.from) {
    out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666666">no blocks recorded</text>`, '</svg>')
    return `${out.join('\n')}\n`
  }
  out.push(`<text x="${width / 2}" y="40" text-anchor="middle" fill="#666666">blocks ${window.from}-${window.to} carry the load; ${window.to + 1}-${window.drainedTo} (shaded) are the drain</text>`)
  const frame = (index: number, ticks: number[]): PanelFrame => ({
    left: layout.left,
    top: layout.titleHeight + 24 + index * (layout.panelHeight + layout.panelGap),
    width: width - layout.left - layout.right,
    height: layout.panelHeight,
    fromBlock: window.from,
    toBlock: window.drainedTo,
    ticks,
  })
  out.push(...submissionPanel(charts, (ticks) => frame(0, ticks)))
  out.push(...deliveryPanel(charts, (ticks) => frame(1, ticks)))
  out.push(...loadPanel(charts, (ticks) => frame(2, ticks)))
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/** The drain shading and the source line under the axis, common to every panel. */
function around(f: PanelFrame, window: RunCharts['window'], source: string): string[] {
  const { x, slot, right, bottom } = panelScale(f)
  const drainStart = x(window.to + 1) - slot / 2
  const shade = window.drainedTo > window.to ? [`<rect x="${drainStart}" y="${f.top}" width="${Math.max(0, right - drainStart)}" height="${f.height}" fill="${colors.drain}"/>`] : []
  return [...shade, `<text x="${f.left + f.width / 2}" y="${bottom + 30}" text-anchor="middle" fill="#666666">block · ${escapeXml(source)}</text>`]
}

function submissionPanel(charts: RunCharts, frameOf: (ticks: number[]) => PanelFrame): string[] {
  const { submission, window } = charts
  const measured = submission.modules.filter((m) => m.perBlock && m.perBlock.length > 0)
  const top = Math.max(submission.limitMs ?? 0, ...measured.flatMap((m) => m.perBlock!.map((p) => p.p99)))
  const f = frameOf(niceTicks(top * 1.1))
  const scale = panelScale(f)
  const legend = measured.flatMap((m, i) => {
    const color = measured.length === 1 ? colors.p99 : modulePalette[i % modulePalette.length]!
    return [
      { label: `${m.module} p99`, color, kind: 'line' as const },
      { label: `${m.module} p50`, color: measured.length === 1 ? colors.p50 : color, kind: 'dash' as const },
    ]
  })
  if (submission.limitMs !== undefined) legend.push({ label: `bar: p99 < ${Math.round(submission.limitMs)} ms`, color: colors.bar, kind: 'dash' })
  const out = [...around(f, window, submission.source), ...panelAxes(f, { title: 'Block to submission per module (p50 and p99 of the parts due in each block)', yLabel: 'ms', legend })]
  measured.forEach((m, i) => {
    const color = measured.length === 1 ? colors.p99 : modulePalette[i % modulePalette.length]!
    const points = m.perBlock!
    out.push(...polylines(points.map((p) => [p.block, p.p50] as const), scale, { color: measured.length === 1 ? colors.p50 : color, width: 1.5, dash: '5 3' }))
    out.push(...polylines(points.map((p) => [p.block, p.p99] as const), scale, { color }))
    for (const p of points) out.push(`<circle cx="${scale.x(p.block)}" cy="${scale.y(p.p99)}" r="2.5" fill="${color}"><title>block ${p.block}: p50 ${formatMs(p.p50)}, p99 ${formatMs(p.p99)}, max ${formatMs(p.max)} over ${p.count} parts</title></circle>`)
  })
  if (submission.limitMs !== undefined) {
    const y = scale.y(submission.limitMs)
    out.push(`<line class="bar" x1="${f.left}" y1="${y}" x2="${scale.right}" y2="${y}" stroke="${colors.bar}" stroke-width="1.5" stroke-dasharray="6 3"/>`)
  }
  const quiet = submission.modules.filter((m) => !m.perBlock || m.perBlock.length === 0)
  quiet.forEach((m, i) => out.push(`<text x="${f.left + 8}" y="${f.top + 14 + i * 14}" fill="#666666">${escapeXml(`${m.module}: ${m.noneBecause ?? 'no block-to-submission measured'}`)}</text>`))
  return out
}

function deliveryPanel(charts: RunCharts, frameOf: (ticks: number[]) => PanelFrame): string[] {
  const { delivery, window } = charts
  const byBlock = new Map(delivery.perBlock.map((d) => [d.block, d]))
  const expected: Array<[number, number]> = []
  const delivered: Array<[number, number]> = []
  let e = 0
  let d = 0
  for (let block = window.from; block <= window.drainedTo; block++) {
    e += byBlock.get(block)?.expected ?? 0
    d += byBlock.get(block)?.delivered ?? 0
    expected.push([block, e])
    delivered.push([block, d])
  }
  const f = frameOf(niceTicks(Math.max(e, d) * 1.05, 6))
  const scale = panelScale(f)
  const short = e - d > 0 ? [`<text x="${scale.right - 4}" y="${scale.y(d) + 14}" text-anchor="end" fill="${colors.bar}">${e - d} expected parts not delivered</text>`] : []
  const legend = [
    { label: `expected (${e})`, color: colors.expected, kind: 'dash' as const },
    { label: `delivered once or more (${d})`, color: colors.delivered, kind: 'line' as const },
  ]
  const source = delivery.leftOut > 0 ? `${delivery.source}; ${delivery.leftOut} parts with no block to place them at are left out` : delivery.source
  return [
    ...around(f, window, source),
    ...panelAxes(f, { title: 'TWAP parts expected against delivered (cumulative)', yLabel: 'parts', legend }),
    // Expected on top, dashed: where every part arrived, the two lines coincide and both stay visible.
    ...polylines(delivered, scale, { color: colors.delivered, width: 3 }),
    ...polylines(expected, scale, { color: colors.expected, dash: '6 3' }),
    ...short,
  ]
}

function loadPanel(charts: RunCharts, frameOf: (ticks: number[]) => PanelFrame): string[] {
  const { load, window } = charts
  const inRange = load.perBlock.filter((p) => p.block >= window.from && p.block <= window.drainedTo)
  const f = frameOf(niceTicks(Math.max(0, ...inRange.flatMap((p) => [p.sent, p.mined])) * 1.05, 6))
  const scale = panelScale(f)
  const out = [
    ...around(f, window, load.source),
    ...panelAxes(f, {
      title: 'Load sent against mined per block',
      yLabel: 'transactions',
      legend: [
        { label: 'mined (in the block)', color: colors.mined, kind: 'bar' },
        { label: 'sent for the block', color: colors.sent, kind: 'line' },
      ],
    }),
  ]
  for (const p of inRange) {
    const y = scale.y(p.mined)
    out.push(`<rect x="${Math.round((scale.x(p.block) - scale.slot * 0.35) * 10) / 10}" y="${y}" width="${Math.round(scale.slot * 7) / 10}" height="${Math.round((scale.bottom - y) * 10) / 10}" fill="${colors.mined}"><title>block ${p.block}: ${p.mined} mined, ${p.sent} sent</title></rect>`)
  }
  const sent = new Map(inRange.map((p) => [p.block, p.sent]))
  const points: Array<[number, number]> = []
  for (let block = window.from; block <= window.to; block++) points.push([block, sent.get(block) ?? 0])
  out.push(...polylines(points, scale, { color: colors.sent, width: 1.5 }))
  return out
}
