import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { createLogger } from '../../engine/host/createLogger.ts'
import type { Engine } from '../../engine/startEngine.ts'
import { memoryEngine } from '../../engine/testing/memoryEngine.ts'

// Every metric name the Grafana dashboard and the alerting rules query must exist in a live engine's
// /metrics: a renamed metric would otherwise leave an empty panel or an alert that can never fire.
//
// How names are read out of PromQL (simple on purpose, and checked below on tricky expressions):
// 1. drop string literals ("..."), label matchers ({...}) and ranges/offsets ([...]): what is left
//    are functions, aggregations with their label lists, keywords, numbers and metric names;
// 2. drop label lists: by (...), without (...), on (...), ignoring (...), group_left/right (...);
// 3. every remaining identifier not followed by "(" (a function or aggregation), not a keyword
//    (and, or, unless, bool, offset, ...) and not the unit of a number (the "m" of 5m) is a metric name.
// Grafana's `label_values(metric, label)` template queries name their metric as the first argument.
// `up` is Prometheus' own per-target series (never in an exporter's /metrics) and is exempt.
// A name exists when /metrics declares it (`# TYPE name ...`); `x_bucket`, `x_sum`, `x_count` exist
// when x is declared a histogram (or, for _sum/_count, a summary). prom-client declares every
// metric, labelled or not, from the engine's start, so "declared" does not depend on traffic.
const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'start', 'end'])
const prometheusOwn = new Set(['up'])

/** Metric names a PromQL expression (or a Grafana label_values query) reads, by the steps above. */
function metricNamesOf(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(expr)
  if (labelValues) return [labelValues[1]!]
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
  const names = [...bare.matchAll(/(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)].filter((m) => !m[2] && !keywords.has(m[1]!.toLowerCase())).map((m) => m[1]!)
  return [...new Set(names)]
}

type Declared = Map<string, string>

/** `# TYPE` declarations of a Prometheus text exposition: name -> type. */
function declaredIn(exposition: string): Declared {
  return new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]))
}

/** Whether `name` is a series of a declared metric (histogram and summary suffixes included). */
function exists(name: string, declared: Declared): boolean {
  if (declared.has(name) || prometheusOwn.has(name)) return true
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name)
  if (!suffix) return false
  const type = declared.get(suffix[1]!)
  return type === 'histogram' || (type === 'summary' && suffix[2] !== 'bucket')
}

type Query = { where: string; expr: string }

/** Every expression of the dashboard (panel targets, template queries, annotations). */
function dashboardQueries(dashboard: unknown): Query[] {
  const found: Query[] = []
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${where}[${i}]`))
    if (node === null || typeof node !== 'object') return
    const record = node as Record<string, unknown>
    const title = typeof record.title === 'string' ? ` "${record.title}"` : typeof record.name === 'string' ? ` "${record.name}"` : ''
    for (const [key, value] of Object.entries(record)) {
      if ((key === 'expr' || (key === 'query' && where.includes('templating'))) && typeof value === 'string') found.push({ where: `${where}${title}.${key}`, expr: value })
      else walk(value, `${where}${key === 'panels' || key === 'targets' || key === 'list' || key === 'templating' || key === 'annotations' || key === 'query' ? `.${key}` : ''}`)
    }
  }
  walk(dashboard, 'dashboard')
  // The datasource picker's query is a plugin type, not PromQL.
  return found.filter((q) => q.expr !== 'prometheus')
}

/** Every alerting or recording rule expression of a rules file. */
function ruleQueries(text: string): Query[] {
  const rules = parseAllDocuments(text)[0]!.toJS() as { groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }> }
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yml ${r.alert ?? r.record}`, expr: String(r.expr) })))
}

/** Queries whose names are not all declared, and queries that name no metric at all (the parser missed it). */
function missingNames(queries: Query[], declared: Declared): string[] {
  return queries.flatMap(({ where, expr }) => {
    const names = metricNamesOf(expr)
    if (names.length === 0) return [`${where}: no metric name found in ${expr}`]
    return names.filter((n) => !exists(n, declared)).map((n) => `${where}: ${n} is not in /metrics`)
  })
}

const root = process.cwd()
const dashboard = JSON.parse(readFileSync(join(root, 'docs/operations/grafana/shepherd.json'), 'utf8')) as unknown
const alerts = readFileSync(join(root, 'docs/operations/prometheus/alerts.yml'), 'utf8')

describe('metric names in PromQL', () => {
  test('behavior: names are read from selectors, functions, aggregations with label lists, binary operators and label_values', () => {
    expect(metricNamesOf('histogram_quantile(0.99, sum by (le, module) (rate(shepherd_event_latency_seconds_bucket{instance=~"$instance",module!="x"}[$__rate_interval])))')).toEqual(['shepherd_event_latency_seconds_bucket'])
    expect(metricNamesOf('sum by (instance, chain_id) (rate(a_total{outcome=~"transport|http_5.."}[10m])) / sum by (instance, chain_id) (rate(a_total[10m])) > 0.25')).toEqual(['a_total'])
    expect(metricNamesOf('up{job="shepherd"} == 0 unless on (instance) b_metric offset 5m')).toEqual(['up', 'b_metric'])
    expect(metricNamesOf('count(up == 1) < bool 2 and ignoring(le) c_metric')).toEqual(['up', 'c_metric'])
    expect(metricNamesOf('label_values(shepherd_head_block, chain_id)')).toEqual(['shepherd_head_block'])
    expect(metricNamesOf('vector(1)')).toEqual([])
  })

  test('behavior: the dashboard and the rules yield the queries they hold (nothing skipped by the walk)', () => {
    const queries = dashboardQueries(dashboard)
    const targets = (dashboard as { panels: Array<{ targets?: unknown[] }> }).panels.flatMap((p) => p.targets ?? [])
    // Panel targets + 2 template queries + 1 annotation.
    expect(queries).toHaveLength(targets.length + 3)
    expect(ruleQueries(alerts).length).toBe([...alerts.matchAll(/^\s+- alert: /gm)].length)
  })
})

describe('dashboard and alert rules against a live engine', () => {
  let engine: Engine
  let exposition = ''
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-queried-'))
  beforeAll(async () => {
    const { chain, start } = memoryEngine({ dir, metrics: true, modules: '' })
    engine = await start(createLogger({ level: 'error', write: () => {} }))
    chain.mine(Array.from({ length: 5 }, () => []))
    await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(5n), { timeout: 15_000 })
    exposition = await (await fetch(`${engine.metricsUrl}/metrics`)).text()
  }, 30_000)
  afterAll(async () => {
    await engine?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('behavior: every metric the Grafana dashboard queries is in the engine\'s /metrics', () => {
    const declared = declaredIn(exposition)
    expect(declared.size).toBeGreaterThan(20)
    expect(missingNames(dashboardQueries(dashboard), declared)).toEqual([])
  })

  test('behavior: every metric the alerting rules query is in the engine\'s /metrics', () => {
    expect(missingNames(ruleQueries(alerts), declaredIn(exposition))).toEqual([])
  })

  test('behavior: a query of a metric the engine does not export fails, naming where it is', () => {
    const declared = declaredIn(exposition)
    const broken: Query[] = [
      { where: 'panel "Lag"', expr: 'max by (chain_id) (shepherd_cursor_lag_blocks{chain_id=~"$chain"})' },
      { where: 'panel "Head"', expr: 'histogram_quantile(0.9, rate(shepherd_head_block_bucket[5m]))' },
      { where: 'panel "Empty"', expr: 'sum(rate({__name__=~"shepherd_.*"}[5m]))' },
    ]
    expect(missingNames(broken, declared)).toEqual([
      'panel "Lag": shepherd_cursor_lag_blocks is not in /metrics',
      'panel "Head": shepherd_head_block_bucket is not in /metrics',
      'panel "Empty": no metric name found in sum(rate({__name__=~"shepherd_.*"}[5m]))',
    ])
    // A histogram's series are accepted by their suffixes; a gauge's are not.
    expect(exists('shepherd_event_latency_seconds_bucket', declared)).toBe(true)
    expect(exists('shepherd_event_latency_seconds_count', declared)).toBe(true)
    expect(exists('shepherd_head_block_count', declared)).toBe(false)
  })
})
