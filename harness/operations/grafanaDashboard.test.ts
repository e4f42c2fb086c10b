import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

// The Grafana dashboard's own consistency, offline (its metric names are checked against a live
// engine in queriedMetrics.test.ts): unique panel ids, panels inside the 24-column grid and not
// overlapping, every query on the Prometheus data-source variable, every $variable it uses defined.
type Panel = { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid?: string }; targets?: Array<{ refId?: string; expr?: string }> }
type Dashboard = { uid: string; panels: Panel[]; templating: { list: Array<{ name: string }> }; annotations?: { list: Array<{ expr?: string }> } }

const builtIn = new Set(['__rate_interval', '__interval', '__range', '__all'])

/** What is wrong with a dashboard, one line per finding. */
function dashboardProblems(dashboard: Dashboard): string[] {
  const problems: string[] = []
  const ids = new Set<number>()
  const defined = new Set(dashboard.templating.list.map((v) => v.name))
  const cells = new Map<string, string>()
  for (const panel of dashboard.panels) {
    if (ids.has(panel.id)) problems.push(`panel "${panel.title}": id ${panel.id} is used twice`)
    ids.add(panel.id)
    const { x, y, w, h } = panel.gridPos
    if (x < 0 || w < 1 || x + w > 24) problems.push(`panel "${panel.title}": gridPos x=${x} w=${w} leaves the 24-column grid`)
    for (let row = y; row < y + h; row++)
      for (let col = x; col < x + w; col++) {
        const other = cells.get(`${row},${col}`)
        if (other && other !== panel.title) {
          problems.push(`panel "${panel.title}" overlaps "${other}"`)
          row = y + h
          break
        }
        cells.set(`${row},${col}`, panel.title)
      }
    if (panel.type === 'row') continue
    if (panel.datasource?.uid !== '${datasource}') problems.push(`panel "${panel.title}": not on the \${datasource} variable`)
    if (!panel.targets?.length) problems.push(`panel "${panel.title}": no query`)
    const refIds = new Set<string>()
    for (const target of panel.targets ?? []) {
      if (!target.refId || refIds.has(target.refId)) problems.push(`panel "${panel.title}": a query without a unique refId`)
      refIds.add(target.refId ?? '')
    }
  }
  const text = JSON.stringify(dashboard)
  for (const [, name] of text.matchAll(/\$\{?(\w+)/g)) if (!builtIn.has(name!) && !defined.has(name!)) problems.push(`$${name} is used but not a templating variable`)
  return [...new Set(problems)]
}

const dashboard = JSON.parse(readFileSync(join(process.cwd(), 'docs/operations/grafana/shepherd.json'), 'utf8')) as Dashboard

describe('Grafana dashboard (docs/operations/grafana/shepherd.json)', () => {
  test('behavior: panels have unique ids, fit the grid without overlapping, query through ${datasource}, use only defined variables', () => {
    expect(dashboard.uid).toBe('shepherd-engine')
    expect(dashboard.panels.filter((p) => p.type !== 'row').length).toBeGreaterThanOrEqual(20)
    expect(dashboardProblems(dashboard)).toEqual([])
    // The rows the issue asks for.
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['Chains: heads and cursor', 'Modules: latency and errors', 'Orderbook and RPC', 'Process and store'])
  })

  test('behavior: a broken dashboard fails, naming the panel', () => {
    const copy = () => JSON.parse(JSON.stringify(dashboard)) as Dashboard
    const duplicateId = copy()
    duplicateId.panels[2]!.id = duplicateId.panels[1]!.id
    const overlap = copy()
    overlap.panels[2]!.gridPos = { ...overlap.panels[1]!.gridPos }
    const wide = copy()
    wide.panels[1]!.gridPos.w = 30
    const unknownVariable = copy()
    unknownVariable.panels[1]!.targets![0]!.expr = 'shepherd_head_block{chain_id=~"$chian"}'
    const noQuery = copy()
    noQuery.panels[1]!.targets = []
    const title = dashboard.panels[1]!.title
    expect(dashboardProblems(duplicateId).join('\n')).toMatch(/id \d+ is used twice/)
    expect(dashboardProblems(overlap).join('\n')).toMatch(/overlaps/)
    expect(dashboardProblems(wide).join('\n')).toContain(`panel "${title}": gridPos x=0 w=30 leaves the 24-column grid`)
    expect(dashboardProblems(unknownVariable)).toEqual(['$chian is used but not a templating variable'])
    expect(dashboardProblems(noQuery)).toEqual([`panel "${title}": no query`])
  })
})
