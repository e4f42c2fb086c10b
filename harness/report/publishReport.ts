import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { commitStanding } from './readGitState.ts'
import { UncleanReportError, type UncleanReason } from './UncleanReportError.ts'

export type PublishReportOptions = {
  docsDir?: string
  /**
   * Publish a report made from a dirty tree or a commit outside the current history anyway, for
   * this reason. The index row says so. Without it such a report is refused (UncleanReportError).
   */
  allowUnclean?: string | undefined
  /** The repository whose history the report's commit must be in (default: the current directory). */
  repoDir?: string
}

export type PublishReportReturnType = { copied: string[]; index: string; unclean: UncleanReason[] }

/** The part of a report's JSON the index needs (written by writeReport). */
const reportHead = z.object({
  verdict: z.enum(['PASS', 'FAIL', 'NO BARS']),
  keyNumbers: z.string(),
  metadata: z.object({
    scenario: z.string(),
    date: z.string(),
    label: z.string().optional().nullable(),
    gitCommit: z.string(),
    git: z.object({ commit: z.string(), dirty: z.boolean(), changed: z.array(z.string()) }).optional(),
  }),
  attempt: z.object({ earlier: z.array(z.object({ report: z.string().optional() })) }).optional(),
})

const begin = '<!-- reports:begin -->'
const end = '<!-- reports:end -->'
const columns = ['scenario', 'date', 'label', 'verdict', 'key numbers', 'commit', 'report'] as const
const header = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`]

/**
 * Copies a report (its .md, .json and .svg, found beside `reportPath`, and the reports of earlier
 * attempts it links) into `docsDir` and adds or replaces its row in `docsDir/index.md` (scenario,
 * date, label, verdict, key numbers, commit, link). Refuses a report made from a dirty tree, from a
 * commit that is not in the current history, or from no known commit, unless `allowUnclean` gives
 * the reason, which the row then shows. Idempotent: publishing the same report twice leaves one
 * row. Text outside the table is kept.
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
  const problems = sourceProblems(head.metadata, options.repoDir ?? process.cwd())
  const allowUnclean = options.allowUnclean?.trim()
  if (problems.length > 0 && !allowUnclean) throw new UncleanReportError(reportPath, problems)

  mkdirSync(docsDir, { recursive: true })
  const copied: string[] = []
  const earlier = (head.attempt?.earlier ?? []).flatMap((e) => (e.report ? [join(dirname(stem), e.report.replace(/\.md$/, ''))] : []))
  for (const fileStem of [stem, ...earlier])
    for (const source of ['md', 'json', 'svg'].map((ext) => `${fileStem}.${ext}`)) {
      if (!existsSync(source)) continue
      const target = join(docsDir, basename(source))
      if (resolve(source) !== target) copyFileSync(source, target)
      copied.push(target)
    }
  const index = join(docsDir, 'index.md')
  const link = basename(sources.md)
  const m = head.metadata
  const shortCommit = (m.git?.commit ?? m.gitCommit).replace(/-dirty$/, '').slice(0, 7)
  const commit = problems.length > 0 ? `${shortCommit}${problems.some((p) => p.reason === 'dirty tree') ? '-dirty' : ''} **published unclean (${problems.map((p) => p.reason).join(', ')}): ${allowUnclean}**` : shortCommit
  const row = `| ${[m.scenario, m.date.slice(0, 10), m.label ?? '', head.verdict, head.keyNumbers, commit].map(cell).join(' | ')} | [${link}](${link}) |`
  writeFileSync(index, upsertIndexRow(existsSync(index) ? readFileSync(index, 'utf8') : undefined, link, row))
  return { copied, index, unclean: problems.map((p) => p.reason) }
}

/** What makes a report's source uncheckable: a dirty tree, a commit outside HEAD's history, or none at all. */
function sourceProblems(metadata: z.infer<typeof reportHead>['metadata'], repoDir: string): Array<{ reason: UncleanReason; detail: string }> {
  // Reports written before `metadata.git` existed mark a dirty tree with a `-dirty` suffix.
  const commit = metadata.git?.commit ?? metadata.gitCommit.replace(/-dirty$/, '')
  const dirty = metadata.git?.dirty ?? metadata.gitCommit.endsWith('-dirty')
  const problems: Array<{ reason: UncleanReason; detail: string }> = []
  if (dirty) problems.push({ reason: 'dirty tree', detail: metadata.git?.changed.length ? `tracked files changed: ${metadata.git.changed.join(', ')}` : `commit ${metadata.gitCommit}` })
  const standing = commitStanding(commit, repoDir)
  if (standing === 'unknown commit') problems.push({ reason: 'unknown commit', detail: `"${commit}" is not a commit of the repository at ${repoDir}` })
  else if (standing === 'not in history') problems.push({ reason: 'not in history', detail: `commit ${commit} is not HEAD or an ancestor of it (another branch, or rewritten history)` })
  return problems
}

const splitCells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())

/**
 * Returns the index text with `row` in the reports table: replacing the row that links `link`, or
 * added; rows sorted by date (newest first), then scenario. A missing index gets a fresh one. Rows
 * written before the commit column existed get an empty commit cell.
 *
 * @example
 * upsertIndexRow(undefined, 'baseline-2026-11-23.md', '| baseline | 2026-11-23 | | PASS | ... | ac443a6 | [baseline-2026-11-23.md](baseline-2026-11-23.md) |')
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
    .filter((line) => line.startsWith('|') && !line.startsWith('| scenario |') && !line.startsWith('|---') && !line.includes(`](${link})`))
    .map((line) => {
      const cells = splitCells(line)
      return cells.length === columns.length - 1 ? `| ${[...cells.slice(0, -1), '', cells.at(-1)!].join(' | ')} |` : line
    })
  rows.push(row)
  rows.sort((a, b) => {
    const [sa = '', da = ''] = splitCells(a)
    const [sb = '', db = ''] = splitCells(b)
    return db.localeCompare(da) || sa.localeCompare(sb) || a.localeCompare(b)
  })
  return `${text.slice(0, start)}${begin}\n${[...header, ...rows].join('\n')}\n${text.slice(stop)}`
}

function freshIndex(): string {
  return [
    '# Load reports',
    '',
    'Published runs of the load scenarios (baseline, medium, saturation, ...), newest first. Each',
    'report has its markdown, the JSON with every number, and its charts (SVG). Each is made from a',
    'clean commit of this history (the commit column); a row that says "published unclean" was not.',
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
