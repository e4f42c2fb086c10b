import { escapeXml, niceTicks, panelAxes, panelScale, polylines, type PanelFrame } from '../../harness/report/svgPanel.ts'
import type { BurstEvidence, ScaleEvidence } from './scaleEvidence.ts'

const width = 760
const panelHeight = 150
const panelGap = 70

/** Two panels of one burst: parts polled and at the stub (cumulative) per block; the worst sampled cursor lag per block. */
function burstPanels(burst: BurstEvidence, top: number, burstBlocks: number): string[] {
  const fromBlock = 0
  const toBlock = Math.max(burstBlocks, burst.timeline.length) - 1
  const out: string[] = []
  const partsFrame: PanelFrame = { left: 80, top, width: width - 110, height: panelHeight, fromBlock, toBlock, ticks: niceTicks(Math.max(burst.parts, 1)) }
  out.push(
    ...panelAxes(partsFrame, {
      title: `Burst over ${burst.transport}: ${burst.parts} parts due at block ${burst.dueBlock} (${burst.watches} watches), blocks after the due block`,
      yLabel: 'parts',
      legend: [
        { label: 'polled (twap-monitor)', color: '#999999', kind: 'dash' },
        { label: 'at the stub', color: '#1f5fbf', kind: 'line' },
      ],
    }),
  )
  const parts = panelScale(partsFrame)
  out.push(...polylines(burst.timeline.map((b) => [b.offset, b.polled] as const), parts, { color: '#999999', dash: '6 3' }))
  out.push(...polylines(burst.timeline.map((b) => [b.offset, b.posted] as const), parts, { color: '#1f5fbf' }))
  const lagTop = top + panelHeight + panelGap
  const lagFrame: PanelFrame = { left: 80, top: lagTop, width: width - 110, height: 80, fromBlock, toBlock, ticks: niceTicks(Math.max(3, ...burst.timeline.map((b) => b.cursorLag))) }
  out.push(...panelAxes(lagFrame, { title: `Cursor lag during the burst over ${burst.transport} (bar: at most 2)`, yLabel: 'blocks behind', legend: [{ label: 'worst sample in the block', color: '#d9822b', kind: 'bar' }] }))
  const lag = panelScale(lagFrame)
  for (const b of burst.timeline) out.push(`<rect x="${lag.x(b.offset) - lag.slot * 0.3}" y="${lag.y(b.cursorLag)}" width="${lag.slot * 0.6}" height="${lag.bottom - lag.y(b.cursorLag)}" fill="#d9822b"/>`)
  out.push(`<line x1="80" y1="${lag.y(2)}" x2="${lag.right}" y2="${lag.y(2)}" stroke="#cc0000" stroke-dasharray="4 3"/>`)
  return out
}

/**
 * The scale report's charts as one SVG: the engine's CPU per steady block at each N (same number
 * due per block), then for each burst its timeline (parts polled and at the stub per block, and the
 * worst cursor lag sampled in each block).
 *
 * @example
 * writeFileSync('reports/scale-2026-12-07.svg', renderScaleCharts(evidence))
 */
export function renderScaleCharts(e: ScaleEvidence): string {
  const out: string[] = []
  let top = 60
  const colors = ['#1f5fbf', '#2a9d4b', '#d9822b', '#8e44ad']
  const steadyLength = Math.max(1, ...e.growth.map((p) => p.steady.length))
  if (e.growth.some((p) => p.steady.length > 0)) {
    const frame: PanelFrame = { left: 80, top, width: width - 110, height: panelHeight, fromBlock: 1, toBlock: steadyLength, ticks: niceTicks(Math.max(10, ...e.growth.flatMap((p) => p.steady.map((b) => b.cpuMs)))) }
    out.push(
      ...panelAxes(frame, {
        title: `Engine CPU per steady 1 s block at each N (${e.growth[0]?.duePerBlock ?? 0} due per block)`,
        yLabel: 'CPU ms',
        legend: e.growth.map((p, i) => ({ label: `N=${p.n}`, color: colors[i % colors.length]!, kind: 'line' as const })),
      }),
    )
    const scale = panelScale(frame)
    e.growth.forEach((p, i) => out.push(...polylines(p.steady.map((b, k) => [k + 1, b.cpuMs] as const), scale, { color: colors[i % colors.length]! })))
    top += panelHeight + panelGap
  }
  for (const burst of e.bursts) {
    out.push(...burstPanels(burst, top, e.burstBlocks))
    top += panelHeight + panelGap + 80 + panelGap
  }
  const height = top
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(`scale (${e.scale}): cost follows what is due`)}</text>`,
    ...out,
    '</svg>',
    '',
  ].join('\n')
}
