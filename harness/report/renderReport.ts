import { plural, source, table } from './markdown.ts'
import { comparisonSection, deliverySection, errorsSection, latencySection, loadSection, metadataSection, rpcSection } from './renderSections.ts'
import { judgedFigures, reportVerdict, type AcceptanceBar, type AttemptInfo, type ScenarioResult } from './types.ts'

export type RenderReportOptions = {
  /** File name of the charts SVG beside the markdown; the report shows it. Omit: no chart. */
  chartFile?: string | undefined
  /** How many UIDs / senders a list shows before "... and N more". Default 20. */
  listLimit?: number | undefined
}

/**
 * Renders a scenario result as a markdown report a person reads in one pass: a header that says
 * when the source tree was dirty or the run was a retry; the verdict with the judged figures;
 * the anomalies (sources that disagree, evidence that went missing); the acceptance checklist; the
 * charts of what the bars judge; then delivery (every accepted order accounted for), latency,
 * load, errors, RPC calls, notes, the comparison with the reference and the run's metadata. Each
 * table says where its numbers come from. Pure: same result, same text (no clock, no file system).
 *
 * @example
 * import { renderReport } from './renderReport.ts'
 * const markdown = renderReport(result, { chartFile: 'saturation-2026-11-23.svg' })
 */
export function renderReport(result: ScenarioResult, options: RenderReportOptions = {}): string {
  const limit = options.listLimit ?? 20
  const { metadata: m } = result
  const lines: string[] = [
    `# ${m.scenario} load report: ${m.date.slice(0, 10)}${m.label ? ` (${m.label})` : ''}`,
    '',
    ...sourceCallout(result),
    ...attemptCallout(result.attempt, reportVerdict(result)),
    headline(result),
    '',
    ...anomaliesSection(result),
    ...acceptanceSection(result.acceptance),
    ...(options.chartFile ? [`![What the bars judge, per block: block to submission, parts expected against delivered, load sent against mined](${options.chartFile})`, ''] : []),
    ...deliverySection(result, limit),
    ...latencySection(result),
    ...loadSection(result, limit),
    ...errorsSection(result),
    ...rpcSection(result),
    ...notesSection(result),
    ...comparisonSection(result),
    ...metadataSection(result),
  ]
  return `${lines.join('\n').trimEnd()}\n`
}

/** The verdict and the judged figures, in one paragraph. */
function headline(result: ScenarioResult): string {
  const bars = result.acceptance
  const na = bars.filter((b) => b.status === 'not applicable').length
  const notMeasured = bars.filter((b) => b.status === 'not measured').length
  const judged = bars.length - na
  const passed = bars.filter((b) => b.pass && b.status !== 'not applicable').length
  const counts = bars.length === 0 ? 'no bars set' : [`${passed} of ${plural(judged, 'bar')} pass`, ...(notMeasured ? [`**${notMeasured} not measured**`] : []), ...(na ? [`${na} not applicable`] : [])].join(', ')
  return `**Verdict: ${reportVerdict(result)}** (${counts}). ${judgedFigures(result).join(' · ')}.`
}

/** A report made from a dirty tree says so first: its numbers cannot be tied to a commit. */
function sourceCallout({ metadata: m }: ScenarioResult): string[] {
  const dirty = m.git?.dirty ?? m.gitCommit.endsWith('-dirty')
  if (!dirty) return []
  const commit = (m.git?.commit ?? m.gitCommit).replace(/-dirty$/, '').slice(0, 12)
  const files = m.git?.changed.length ? `: ${m.git.changed.join(', ')}` : ''
  return [`> **Made from a dirty tree**: commit ${commit} with uncommitted changes to tracked files${files}. No commit reproduces these numbers; \`npm run reports:publish\` refuses this report.`, '']
}

/** A retried test's report says which attempt it is and carries what the earlier attempts found. */
function attemptCallout(attempt: AttemptInfo | undefined, verdict: string): string[] {
  if (!attempt) return []
  if (attempt.supersededBy)
    return [`> **Attempt ${attempt.number}, superseded.** The test failed this attempt and ran again: the report of the next attempt is [${attempt.supersededBy}](${attempt.supersededBy}). This one is kept so its failure stays on record.`, '']
  if (attempt.number <= 1) return []
  const retry = attempt.number - 1
  const lines = [verdict === 'PASS' ? `> **Passed on retry ${retry}** (attempt ${attempt.number}). The earlier attempts failed:` : `> **Attempt ${attempt.number} (retry ${retry})**, and the earlier attempts failed too:`]
  for (const earlier of attempt.earlier) {
    const report = earlier.report ? `; its report: [${earlier.report}](${earlier.report})` : '; it wrote no report'
    lines.push(`> - attempt ${earlier.number}: ${earlier.verdict ?? 'no verdict'}${report}${earlier.error ? `; the test failed with: ${earlier.error}` : ''}`)
    for (const bar of earlier.failedBars) lines.push(`>   - ${barResult(bar)} ${bar.bar}: ${bar.measured} (bar: ${bar.target})`)
  }
  return [...lines, '']
}

/** Anomalies come right after the headline: a reader must see them before trusting a number. */
function anomaliesSection({ anomalies }: ScenarioResult): string[] {
  if (anomalies.length === 0) return ['## Anomalies', '', 'None: the sources agree and no evidence is missing.', '']
  return [`## Anomalies (${anomalies.length}): read these first`, '', 'Where two sources disagree (both figures are given), evidence went missing, or something no bar judges went wrong:', '', ...anomalies.map((a) => `- ${a}`), '']
}

function barResult(bar: AcceptanceBar): string {
  if (bar.status === 'not measured') return '**NOT MEASURED**'
  if (bar.status === 'not applicable') return 'n/a'
  return bar.pass ? 'PASS' : '**FAIL**'
}

function acceptanceSection(acceptance: readonly AcceptanceBar[]): string[] {
  const head = [
    '## Acceptance checklist',
    '',
    ...source(
      'each bar is judged from the chain, the orderbook\'s record and the engine\'s metrics (README, "Scenarios and reports", says which for each bar). NOT MEASURED: the bar\'s evidence is missing, and the run fails; n/a: the scenario says the bar cannot apply',
    ),
  ]
  if (acceptance.length === 0) return [...head, 'No acceptance bars were set for this run.', '']
  return [...head, ...table(['result', 'bar', 'target', 'measured'], acceptance.map((b) => [barResult(b), b.bar, b.target, b.measured]))]
}

function notesSection({ notes }: ScenarioResult): string[] {
  if (!notes?.length) return []
  return ['## Notes', '', ...notes.map((n) => `- ${n}`), '']
}
