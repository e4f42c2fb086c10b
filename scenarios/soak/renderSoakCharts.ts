import { escapeXml, niceTicks, panelAxes, panelScale, polylines, type PanelFrame } from '../../harness/report/svgPanel.ts'
import { fitFigure, type SoakVerdict } from './judgeSoak.ts'
import { BLOCKS_PER_DAY, type SoakEvidence, type SoakSample } from './soakEvidence.ts'

const width = 760
const panelHeight = 130
const panelGap = 70
const left = 80

/** One chart of the soak: which figures, in what unit, and whether a fitted line is drawn. */
type Chart = { title: string; yLabel: string; series: Array<{ label: string; color: string; dash?: string; value: (s: SoakSample) => number }>; scale?: number; fit?: 'rssBytes' | 'heapBytes' | 'fds' }

const charts: readonly Chart[] = [
  { title: 'Engine RSS (/proc)', yLabel: 'MB', scale: 2 ** 20, fit: 'rssBytes', series: [{ label: 'RSS', color: '#1f5fbf', value: (s) => s.rssBytes }] },
  { title: 'Engine heap used (main thread)', yLabel: 'MB', scale: 2 ** 20, fit: 'heapBytes', series: [{ label: 'heap used', color: '#2a9d4b', value: (s) => s.heapBytes }] },
  { title: 'Open file descriptors (/proc/<pid>/fd)', yLabel: 'fds', fit: 'fds', series: [{ label: 'fds', color: '#8e44ad', value: (s) => s.fds }] },
  {
    title: 'twap-monitor store: watches, due entries and their bound',
    yLabel: 'keys',
    series: [
      { label: 'bound (live TWAPs)', color: '#cc0000', dash: '4 3', value: (s) => s.watchBound },
      { label: 'watches', color: '#1f5fbf', value: (s) => s.watches },
      { label: 'due', color: '#d9822b', value: (s) => s.due },
    ],
  },
  {
    title: 'twap-monitor store: markers and their bound (retention)',
    yLabel: 'keys',
    series: [
      { label: 'bound (within retention)', color: '#cc0000', dash: '4 3', value: (s) => s.markerBound },
      { label: 'markers', color: '#1f5fbf', value: (s) => s.markers },
    ],
  },
  { title: 'lmdb state on disk', yLabel: 'MB', scale: 2 ** 20, series: [{ label: 'store', color: '#555555', value: (s) => s.storeBytes }] },
  { title: 'Event-loop delay p99', yLabel: 'ms', scale: 1e-3, series: [{ label: 'p99', color: '#d9822b', value: (s) => s.loopP99Seconds }] },
  { title: 'RPC calls per block, orders accepted', yLabel: 'count', series: [{ label: 'RPC per block', color: '#1f5fbf', value: (s) => s.rpcPerBlock }, { label: 'accepted orders (cumulative) / 10', color: '#2a9d4b', value: (s) => s.submissions / 10 }] },
]

/**
 * The soak's trends as one SVG: a panel per figure against the block (12 s each), restarts marked,
 * and for RSS, heap and descriptors the fitted line of each engine life over the judged second
 * half (its slope per simulated day in the legend). A value that could not be read leaves a gap.
 *
 * @example
 * writeFileSync('reports/soak-2026-12-07-ci.svg', renderSoakCharts(evidence, judgeSoak(evidence)))
 */
export function renderSoakCharts(e: SoakEvidence, verdict: Pick<SoakVerdict, 'firstDrift'>): string {
  const out: string[] = []
  let top = 70
  for (const chart of charts) {
    const k = chart.scale ?? 1
    const values = e.samples.flatMap((s) => chart.series.map((series) => series.value(s) / k)).filter(Number.isFinite)
    const frame: PanelFrame = { left, top, width: width - left - 30, height: panelHeight, fromBlock: 0, toBlock: e.blocks, ticks: niceTicks(Math.max(1, ...values)) }
    const trend = chart.fit ? fitFigure(e.samples, chart.fit, '') : undefined
    const slope = trend?.worstSlopePerDay
    out.push(
      ...panelAxes(frame, {
        title: `${chart.title}${slope === undefined ? (chart.fit ? ': no fit (not measured)' : '') : `: fitted ${(slope / k).toFixed(2)} ${chart.yLabel}/day (worst life)`}`,
        yLabel: chart.yLabel,
        legend: [...chart.series.map((s) => ({ label: s.label, color: s.color, kind: s.dash ? ('dash' as const) : ('line' as const) })), ...(chart.fit ? [{ label: 'fitted (second half, per life)', color: '#000000', kind: 'dash' as const }] : [])],
      }),
    )
    const scale = panelScale(frame)
    for (const restart of e.restarts) out.push(`<line x1="${scale.x(restart.block)}" y1="${frame.top}" x2="${scale.x(restart.block)}" y2="${scale.bottom}" stroke="#bbbbbb" stroke-dasharray="2 2"><title>${restart.signal} at block ${restart.block}</title></line>`)
    for (const series of chart.series) {
      const points = e.samples.map((s) => (Number.isFinite(series.value(s)) ? ([s.block, series.value(s) / k] as const) : null))
      out.push(...polylines(points, scale, { color: series.color, ...(series.dash ? { dash: series.dash } : {}) }))
    }
    for (const life of trend?.lives ?? [])
      out.push(...polylines([[life.trend.from.x * BLOCKS_PER_DAY, life.trend.from.y / k], [life.trend.to.x * BLOCKS_PER_DAY, life.trend.to.y / k]], scale, { color: '#000000', dash: '6 3' }))
    top += panelHeight + panelGap
  }
  const height = top
  const title = `soak (${e.scale}): ${e.blocks} blocks of 12 s (${(e.blocks / BLOCKS_PER_DAY).toFixed(2)} simulated days)`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="40" text-anchor="middle">${escapeXml(verdict.firstDrift ? `first drift: ${verdict.firstDrift}` : 'no figure drifts; x axis: blocks; grey dotted lines: restarts')}</text>`,
    ...out,
    '</svg>',
    '',
  ].join('\n')
}
