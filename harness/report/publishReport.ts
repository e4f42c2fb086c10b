import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { z } from 'zod'
import { ShepherdError } from '../../engine/errors/base.ts'

export type PublishReportOptions = { docsDir?: string }

export type PublishReportReturnType = { copied: string[]; index: string }

/** The part of a report's JSON the index needs (written by writeReport). */
const reportHead = z.object({
  verdict: z.enum(['PASS', 'FAIL', 'NO BARS']),
  keyNumbers: z.string(),
  metadata: z.object({ scenario: z.string(), date: z.string(), label: z.string().optional().nullable() }),
})

const begin = '<!-- reports:begin -->'
const end = '<!-- reports:end -->'
const header = ['| scenario | date | label | verdict | key numbers | report |', '|---|---|---|---|---|---|']

/**
 * Copies a report (its .md, .json and .svg, found beside `reportPath`) into `docsDir` and adds or
 * replaces its row in `docsDir/index.md` (scenario, date, label, verdict, key numbers, link).
 * Idempotent: publishing the same report twice leaves one row. Text outside the table is kept.
 *
 * @example
 * import { publishReport } from './publishReport.ts'
 * publishReport('reports/saturation-2026-11-23.md')
 */
export function publishReport(reportPath: string, options: PublishReportOptions = {}): PublishReportReturnType {
  const docsDir = resolve(options.docsDir ?? 'docs/operations/load-reports')
  const stem = resolve(reportPath).replace(/\.(md|json|svg)$/, '')
  const sources = { md: `${stem}.md`, json: `${stem}.json`, svg: `${stem}.svg` }
  for (const required of [sources.md, sources.json])
    if (!existsSync(required))
      throw new ShepherdError('Report file not found', { details: [`missing: ${required}`, `from: ${reportPath}`], hint: 'Pass the .md written by writeReport; its .json must sit beside it.' })
  const head = parseHead(sources.json)
  mkdirSync(docsDir, { recursive: true })
  const copied: string[] = []
  for (const source of Object.values(sources)) {
    if (!existsSync(source)) continue
    const target = join(docsDir, basename(source))
    if (resolve(source) !== target) copyFileSync(source, target)
    copied.push(target)
  }
  const index = join(docsDir, 'index.md')
  const link = basename(sources.md)
  const row = `| ${cell(head.metadata.scenario)} | ${cell(head.metadata.date.slice(0, 10))} | ${cell(head.metadata.label ?? '')} | ${head.verdict} | ${cell(head.keyNumbers)} | [${link}](${link}) |`
  writeFileSync(index, upsertIndexRow(existsSync(index) ? readFileSync(index, 'utf8') : undefined, link, row))
  return { copied, index }
}

/**
 * Returns the index text with `row` in the reports table: replacing the row that links `link`, or
 * added; rows sorted by date (newest first), then scenario. A missing index gets a fresh one.
 *
 * @example
 * upsertIndexRow(undefined, 'baseline-2026-11-23.md', '| baseline | 2026-11-23 | | PASS | ... | [baseline-2026-11-23.md](baseline-2026-11-23.md) |')
 */
export function upsertIndexRow(existing: string | undefined, link: string, row: string): string {
  const text = existing ?? freshIndex()
  const start = text.indexOf(begin)
  const stop = text.indexOf(end)
  if (start === -1 || stop === -1 || stop < start) {
    // An index written by hand without our markers: append the table rather than lose its text.
    return `${text.trimEnd()}\n\n${begin}\n${[...header, row].join('\n')}\n${end}\n`
  }
  const rows = text
    .slice(start + begin.length, stop)
    .split('\n')
    .filter((line) => line.startsWith('|') && !header.includes(line) && !line.includes(`](${link})`))
  rows.push(row)
  rows.sort((a, b) => {
    const [, sa = '', da = ''] = a.split('|').map((c) => c.trim())
    const [, sb = '', db = ''] = b.split('|').map((c) => c.trim())
    return db.localeCompare(da) || sa.localeCompare(sb) || a.localeCompare(b)
  })
  return `${text.slice(0, start)}${begin}\n${[...header, ...rows].join('\n')}\n${text.slice(stop)}`
}

function freshIndex(): string {
  return [
    '# Load reports',
    '',
    'Published runs of the load scenarios (baseline, medium, saturation, ...), newest first. Each',
    'report has its markdown, the JSON with every number, and the latency chart (SVG).',
    'Publish one with `npm run reports:publish -- reports/<report>.md`.',
    '',
    begin,
    ...header,
    end,
    '',
  ].join('\n')
}

function parseHead(path: string): z.infer<typeof reportHead> {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    throw new ShepherdError('Report JSON is not readable', { cause, details: [`file: ${path}`] })
  }
  const parsed = reportHead.safeParse(json)
  if (!parsed.success)
    throw new ShepherdError('Report JSON lacks what the index needs', {
      details: [`file: ${path}`, ...parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)],
      hint: 'Write reports with writeReport: it adds verdict and keyNumbers to the JSON.',
    })
  return parsed.data
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
