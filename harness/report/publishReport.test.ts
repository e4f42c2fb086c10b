import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { publishCommand } from './publish.ts'
import { publishReport, upsertIndexRow } from './publishReport.ts'
import { testGitRepo } from './testGitRepo.ts'
import type { ScenarioResult } from './types.ts'
import { UncleanReportError } from './UncleanReportError.ts'
import { writeReport } from './writeReport.ts'

const tableRows = (index: string) => index.split('\n').filter((line) => line.startsWith('| ') && line.includes(']('))

/** A repository with one commit, and the example result made from its clean HEAD. */
function repoWithReport(change: (result: ScenarioResult) => void = () => {}) {
  const repo = testGitRepo('shepherd-publish-')
  const head = repo.git('rev-parse', 'HEAD')
  const result = exampleScenarioResult()
  result.metadata = { ...result.metadata, gitCommit: head.slice(0, 7), git: { commit: head, dirty: false, changed: [] } }
  change(result)
  const write = (r: ScenarioResult = result) => writeReport(r, { dir: join(repo.dir, 'reports') }).markdown
  return { ...repo, head, result, write, docsDir: join(repo.dir, 'docs/operations/load-reports') }
}

describe('publishReport', () => {
  test('behavior: copies md, json and svg and adds one index row with verdict, key numbers, commit and link', () => {
    const { write, docsDir, dir, head } = repoWithReport()
    const { copied, index } = publishReport(write(), { docsDir, repoDir: dir })
    expect(copied.map((path) => path.slice(docsDir.length + 1)).sort()).toEqual(['saturation-2026-11-23-ci.json', 'saturation-2026-11-23-ci.md', 'saturation-2026-11-23-ci.svg'])
    for (const path of copied) expect(existsSync(path)).toBe(true)
    expect(tableRows(readFileSync(index, 'utf8'))).toEqual([
      `| saturation | 2026-11-23 | ci | FAIL | TWAP parts 997/1000 once; EthFlow 495/495 verified; 1 duplicate post; 1 unexplained order; p99 block-to-submission 1.5 s (bar < 500 ms) | ${head.slice(0, 7)} | [saturation-2026-11-23-ci.md](saturation-2026-11-23-ci.md) |`,
    ])
  })

  test('behavior: a report made from a dirty tree is refused, naming the changed files', () => {
    const { write, docsDir, dir } = repoWithReport((r) => {
      r.metadata.git = { ...r.metadata.git!, dirty: true, changed: ['package-lock.json'] }
    })
    const report = write()
    const refused = (() => {
      try {
        publishReport(report, { docsDir, repoDir: dir })
      } catch (error) {
        return error
      }
    })()
    expect(refused).toBeInstanceOf(UncleanReportError)
    expect((refused as UncleanReportError).reasons).toEqual(['dirty tree'])
    expect((refused as Error).message).toMatch(/not made from a clean commit[\s\S]*dirty tree: tracked files changed: package-lock.json[\s\S]*--allow-unclean/)
    expect(existsSync(join(docsDir, 'index.md'))).toBe(false)
  })

  test('behavior: a report from a commit outside the current history, or from no known commit, is refused', () => {
    const { write, docsDir, dir, git, result } = repoWithReport()
    git('checkout', '-q', '-b', 'side')
    writeFileSync(join(dir, 'tracked.txt'), 'side\n')
    git('commit', '-q', '-am', 'side')
    const side = git('rev-parse', 'HEAD')
    git('checkout', '-q', 'main')
    const fromSide = write({ ...result, metadata: { ...result.metadata, gitCommit: side.slice(0, 7), git: { commit: side, dirty: false, changed: [] } } })
    expect(() => publishReport(fromSide, { docsDir, repoDir: dir })).toThrow(/not in history: commit [0-9a-f]{40} is not HEAD or an ancestor/)
    const fromNowhere = write({ ...result, metadata: { ...result.metadata, gitCommit: 'unknown', git: { commit: 'unknown', dirty: false, changed: [] } } })
    expect(() => publishReport(fromNowhere, { docsDir, repoDir: dir })).toThrow(/unknown commit: "unknown" is not a commit/)
  })

  test('behavior: a report written before metadata.git existed is judged by its commit and -dirty suffix', () => {
    const { write, docsDir, dir, head, result } = repoWithReport()
    const legacy = (gitCommit: string) => write({ ...result, metadata: { ...result.metadata, gitCommit, git: undefined } })
    expect(() => publishReport(legacy(`${head.slice(0, 7)}-dirty`), { docsDir, repoDir: dir })).toThrow(/dirty tree: commit [0-9a-f]{7}-dirty/)
    expect(publishReport(legacy(head.slice(0, 7)), { docsDir, repoDir: dir }).unclean).toEqual([])
  })

  test('behavior: --allow-unclean publishes anyway and the index row says so with the reason', () => {
    const { write, docsDir, dir, head } = repoWithReport((r) => {
      r.metadata.git = { ...r.metadata.git!, dirty: true, changed: ['README.md'] }
    })
    const { index, unclean } = publishReport(write(), { docsDir, repoDir: dir, allowUnclean: 'README typo fixed after the run' })
    expect(unclean).toEqual(['dirty tree'])
    expect(tableRows(readFileSync(index, 'utf8'))[0]).toContain(`| ${head.slice(0, 7)}-dirty **published unclean (dirty tree): README typo fixed after the run** |`)
  })

  test('behavior: the final report of a retried test brings the earlier attempts\' reports it links', () => {
    const { write, docsDir, dir, result } = repoWithReport()
    write({ ...result, attempt: { number: 1, earlier: [], supersededBy: 'saturation-2026-11-23-ci.md' } })
    const final = write({ ...result, attempt: { number: 2, earlier: [{ number: 1, report: 'saturation-2026-11-23-ci-attempt1.md', verdict: 'FAIL', failedBars: [] }] } })
    const { copied } = publishReport(final, { docsDir, repoDir: dir })
    expect(copied.map((path) => path.slice(docsDir.length + 1)).sort()).toEqual([
      'saturation-2026-11-23-ci-attempt1.json',
      'saturation-2026-11-23-ci-attempt1.md',
      'saturation-2026-11-23-ci-attempt1.svg',
      'saturation-2026-11-23-ci.json',
      'saturation-2026-11-23-ci.md',
      'saturation-2026-11-23-ci.svg',
    ])
  })

  test('behavior: publishing twice keeps one row (updated), other reports keep theirs, newest first', () => {
    const { write, docsDir, dir, result } = repoWithReport()
    publishReport(write(), { docsDir, repoDir: dir })
    const older = structuredClone(result)
    older.metadata = { ...older.metadata, scenario: 'baseline', date: '2026-11-01T00:00:00Z', label: undefined }
    publishReport(write(older), { docsDir, repoDir: dir })
    result.acceptance = result.acceptance.map((bar) => ({ ...bar, pass: true }))
    const again = publishReport(write(), { docsDir, repoDir: dir })
    const text = readFileSync(again.index, 'utf8')
    const rows = tableRows(text)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toContain('| saturation | 2026-11-23 | ci | PASS |')
    expect(rows[1]).toContain('| baseline | 2026-11-01 |  | FAIL |')
    expect(text.startsWith('# Load reports')).toBe(true)
  })

  test('behavior: rows published before the commit column get an empty commit cell; prose around the table survives', () => {
    const link = 'a-2026-01-01.md'
    const before = [
      '# Load reports',
      '',
      'Notes by hand.',
      '',
      '<!-- reports:begin -->',
      '| scenario | date | label | verdict | key numbers | report |',
      '|---|---|---|---|---|---|',
      '| b | 2026-01-02 |  | PASS | x \\| y | [b-2026-01-02.md](b-2026-01-02.md) |',
      '<!-- reports:end -->',
      'Footer by hand.',
      '',
    ].join('\n')
    const updated = upsertIndexRow(before, link, `| a | 2026-01-01 |  | FAIL | k | abc1234 | [${link}](${link}) |`)
    expect(updated).toContain('Notes by hand.')
    expect(updated).toContain('Footer by hand.')
    expect(updated).toContain('| scenario | date | label | verdict | key numbers | commit | report |\n|---|---|---|---|---|---|---|\n')
    expect(tableRows(updated)).toEqual(['| b | 2026-01-02 |  | PASS | x \\| y |  | [b-2026-01-02.md](b-2026-01-02.md) |', `| a | 2026-01-01 |  | FAIL | k | abc1234 | [${link}](${link}) |`])
  })

  test('behavior: a missing report or a json without verdict is refused with the path', () => {
    const { dir } = testGitRepo('shepherd-publish-')
    expect(() => publishReport(join(dir, 'nope.md'), { docsDir: join(dir, 'docs'), repoDir: dir })).toThrow(/Report file not found[\s\S]*nope\.md/)
    writeFileSync(join(dir, 'bad.md'), '# x\n')
    writeFileSync(join(dir, 'bad.json'), '{"metadata":{}}')
    expect(() => publishReport(join(dir, 'bad.md'), { docsDir: join(dir, 'docs'), repoDir: dir })).toThrow(/lacks what the index needs[\s\S]*verdict/)
  })

  test('behavior: the CLI publishes and exits 0; refuses an unclean report or bad input with exit 2', async () => {
    const { write, docsDir, head, result } = repoWithReport()
    const out: string[] = []
    const err: string[] = []
    const run = (...argv: string[]) => publishCommand(argv, (l) => out.push(l), (l) => err.push(l))
    // The CLI checks the history of the current directory: this repository's, not the report's.
    const clean = write({ ...result, metadata: { ...result.metadata, git: { commit: head, dirty: false, changed: [] } } })
    expect(await run(clean, '--docs-dir', docsDir)).toBe(2)
    expect(err.at(-1)).toMatch(/unknown commit|not in history/)
    expect(await run(clean, '--docs-dir', docsDir, '--allow-unclean', 'test fixture from another repository')).toBe(0)
    expect(out.at(-1)).toBe(`updated ${join(docsDir, 'index.md')}`)
    expect(err.at(-1)).toMatch(/^warning: published a report with an unclean source \((unknown commit|not in history)\), because: test fixture from another repository/)
    expect(await run(clean, '--allow-unclean', ' ')).toBe(2)
    expect(err.at(-1)).toMatch(/--allow-unclean needs the reason/)
    expect(await run()).toBe(2)
    expect(err.at(-1)).toMatch(/expected exactly one report path, got 0[\s\S]*usage:/)
    expect(await run(join(docsDir, 'missing.md'))).toBe(2)
    expect(err.at(-1)).toMatch(/Report file not found/)
  })
})
