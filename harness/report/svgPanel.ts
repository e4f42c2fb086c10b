// Small helpers for our own SVG charts: a panel with a block axis and a value axis. No dependency:
// the output is plain text, diffable, and viewable in any browser or on GitHub.

/** Where a panel sits in the SVG and what it spans. */
export type PanelFrame = {
  left: number
  top: number
  width: number
  height: number
  /** First and last block on the x axis (inclusive). */
  fromBlock: number
  toBlock: number
  /** Value axis ticks from `niceTicks` (the last one is the top of the axis). */
  ticks: readonly number[]
}

/** A panel's coordinate mapping: block (centre of its slot) and value to SVG coordinates. */
export type PanelScale = { x: (block: number) => number; y: (value: number) => number; slot: number; bottom: number; right: number }

/** A legend entry: a line, a dashed line, a bar or a dot, in a colour. */
export type LegendEntry = { label: string; color: string; kind: 'line' | 'dash' | 'bar' | 'dot' }

/**
 * The coordinate mapping of a panel.
 *
 * @example
 * const { x, y } = panelScale({ left: 70, top: 40, width: 660, height: 160, fromBlock: 10, toBlock: 29, ticks: [0, 500, 1000] })
 */
export function panelScale(frame: PanelFrame): PanelScale {
  const slot = frame.width / Math.max(1, frame.toBlock - frame.fromBlock + 1)
  const top = frame.ticks[frame.ticks.length - 1] || 1
  const bottom = frame.top + frame.height
  return {
    x: (block) => round(frame.left + (block - frame.fromBlock + 0.5) * slot),
    y: (value) => round(bottom - (Math.max(0, value) / top) * frame.height),
    slot,
    bottom,
    right: frame.left + frame.width,
  }
}

/**
 * A panel's frame: grid lines and value labels, the axes, block labels (about ten) and the
 * title, value-axis label and legend. The caller draws the data on top with `panelScale`.
 *
 * @example
 * out.push(...panelAxes(frame, { title: 'Load per block', yLabel: 'txs', legend: [{ label: 'mined', color: '#999999', kind: 'bar' }] }))
 */
export function panelAxes(frame: PanelFrame, text: { title: string; yLabel: string; legend: readonly LegendEntry[]; formatValue?: (value: number) => string }): string[] {
  const { x, y, bottom, right } = panelScale(frame)
  const format = text.formatValue ?? formatTick
  const out: string[] = [`<text x="${frame.left}" y="${frame.top - 22}" font-size="13" font-weight="bold">${escapeXml(text.title)}</text>`]
  for (const tick of frame.ticks) {
    out.push(`<line x1="${frame.left}" y1="${y(tick)}" x2="${right}" y2="${y(tick)}" stroke="#eeeeee"/>`)
    out.push(`<text x="${frame.left - 6}" y="${y(tick) + 4}" text-anchor="end">${escapeXml(format(tick))}</text>`)
  }
  out.push(`<line x1="${frame.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333333"/>`)
  out.push(`<line x1="${frame.left}" y1="${frame.top}" x2="${frame.left}" y2="${bottom}" stroke="#333333"/>`)
  const count = frame.toBlock - frame.fromBlock + 1
  const every = Math.max(1, Math.ceil(count / 10))
  for (let block = frame.fromBlock; block <= frame.toBlock; block++) {
    const i = block - frame.fromBlock
    if (i % every !== 0 && block !== frame.toBlock) continue
    out.push(`<line x1="${x(block)}" y1="${bottom}" x2="${x(block)}" y2="${bottom + 4}" stroke="#333333"/>`)
    out.push(`<text x="${x(block)}" y="${bottom + 15}" text-anchor="middle">${block}</text>`)
  }
  out.push(`<text transform="translate(${frame.left - 48} ${frame.top + frame.height / 2}) rotate(-90)" text-anchor="middle">${escapeXml(text.yLabel)}</text>`)
  let lx = frame.left
  for (const entry of text.legend) {
    const ly = frame.top - 8
    if (entry.kind === 'bar') out.push(`<rect x="${lx}" y="${ly - 8}" width="12" height="9" fill="${entry.color}"/>`)
    else if (entry.kind === 'dot') out.push(`<circle cx="${lx + 6}" cy="${ly - 4}" r="3" fill="${entry.color}"/>`)
    else out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 18}" y2="${ly - 4}" stroke="${entry.color}" stroke-width="2"${entry.kind === 'dash' ? ' stroke-dasharray="6 3"' : ''}/>`)
    out.push(`<text x="${lx + 22}" y="${ly}">${escapeXml(entry.label)}</text>`)
    lx += 30 + entry.label.length * 6.2
  }
  return out
}

/** How a line is drawn. */
export type LineStyle = { color: string; width?: number; dash?: string }

/**
 * Polylines through `points`, broken where a point is missing (null): a gap in the data is not
 * drawn as a line across it.
 *
 * @example
 * polylines([[10, 5], null, [12, 7]], scale, { color: '#1f5fbf' }) // two one-point segments
 */
export function polylines(points: ReadonlyArray<readonly [number, number] | null>, scale: PanelScale, style: LineStyle): string[] {
  const segments: string[][] = [[]]
  for (const point of points) {
    if (point === null) segments.push([])
    else segments[segments.length - 1]!.push(`${scale.x(point[0])},${scale.y(point[1])}`)
  }
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : ''
  return segments.filter((s) => s.length > 0).map((s) => `<polyline fill="none" stroke="${style.color}" stroke-width="${style.width ?? 2}"${dash} points="${s.join(' ')}"/>`)
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

/**
 * A tick value for people: integers as is, others to three significant digits.
 *
 * @example
 * formatTick(500) // '500'
 * formatTick(0.333333) // '0.333'
 * formatTick(1234.5678) // '1230'
 */
export function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)))
}

/**
 * Text safe inside SVG/XML content and attributes.
 *
 * @example
 * escapeXml('p99 < 1 block & "fast"') // 'p99 &lt; 1 block &amp; &quot;fast&quot;'
 */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
