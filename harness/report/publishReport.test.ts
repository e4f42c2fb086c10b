import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { publishCommand } from './publish.ts'
import { publishReport, upsertIndexRow } from './publishReport.ts'
import { writeReport } from './writeReport.ts'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-publish-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const tableRows = (index: string) => index.split('\n').filter((line) => line.startsWith('| ') && line.includes(']('))

describe('publishReport', () => {
  test('behavior: copies md, json and svg and adds one index row with verdict, key numbers and link', () => {
    const root = tempDir()
    const { markdown } = writeReport(exampleScenarioResult(), { dir: join(root, 'reports') })
    const docsDir = join(root, 'docs/operations/load-reports')
    const { copied, index } = publishReport(markdown, { docsDir })
    expect(copied.map((path) => path.slice(docsDir.length + 1)).sort()).toEqual(['saturation-2026-11-23-ci.json', 'saturation-2026-11-23-ci.md', 'saturation-2026-11-23-ci.svg'])
    for (const path of copied) expect(existsSync(path)).toBe(true)
    const rows = tableRows(readFileSync(index, 'utf8'))
    expect(rows).toEqual([
      '| saturation | 2026-11-23 | ci | FAIL | TWAP parts 997/1000 once; EthFlow 495/495; mined 995/998; dispatch p99 30.2 ms | [saturation-2026-11-23-ci.md](saturation-2026-11-23-ci.md) |',
    ])
  })

  test('behavior: publishing twice keeps one row (updated), other reports keep theirs, newest first', () => {
    const root = tempDir()
    const docsDir = join(root, 'docs')
    const first = exampleScenarioResult()
    publishReport(writeReport(first, { dir: join(root, 'reports') }).markdown, { docsDir })
    const older = exampleScenarioResult()
    older.metadata = { ...older.metadata, scenario: 'baseline', date: '2026-11-01T00:00:00Z', label: undefined }
    publishReport(writeReport(older, { dir: join(root, 'reports') }).markdown, { docsDir })
    first.acceptance = first.acceptance.map((bar) => ({ ...bar, pass: true }))
    const again = publishReport(writeReport(first, { dir: join(root, 'reports') }).markdown, { docsDir })
    const text = readFileSync(again.index, 'utf8')
    const rows = tableRows(text)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toContain('| saturation | 2026-11-23 | ci | PASS |')
    expect(rows[1]).toContain('| baseline | 2026-11-01 |  | FAIL |')
    expect(text.startsWith('# Load reports')).toBe(true)
  })

  test('behavior: prose an editor added around the table survives an update', () => {
    const link = 'a-2026-01-01.md'
    const base = upsertIndexRow(undefined, link, `| a | 2026-01-01 |  | PASS | k | [${link}](${link}) |`)
    const edited = base.replace('# Load reports', '# Load reports\n\nNotes by hand.') + '\nFooter by hand.\n'
    const updated = upsertIndexRow(edited, link, `| a | 2026-01-01 |  | FAIL | k | [${link}](${link}) |`)
    expect(updated).toContain('Notes by hand.')
    expect(updated).toContain('Footer by hand.')
    expect(tableRows(updated)).toEqual([`| a | 2026-01-01 |  | FAIL | k | [${link}](${link}) |`])
  })

  test('behavior: a missing report or a json without verdict is refused with the path', () => {
    const root = tempDir()
    expect(() => publishReport(join(root, 'nope.md'), { docsDir: join(root, 'docs') })).toThrow(/Report file not found[\s\S]*nope\.md/)
    writeFileSync(join(root, 'bad.md'), '# x\n')
    writeFileSync(join(root, 'bad.json'), '{"metadata":{}}')
    expect(() => publishReport(join(root, 'bad.md'), { docsDir: join(root, 'docs') })).toThrow(/lacks what the index needs[\s\S]*verdict/)
  })

  test('behavior: the CLI publishes and exits 0, and exits 2 with usage on bad input', async () => {
    const root = tempDir()
    const { markdown } = writeReport(exampleScenarioResult(), { dir: join(root, 'reports') })
    const out: string[] = []
    const err: string[] = []
    expect(await publishCommand([markdown, '--docs-dir', join(root, 'docs')], (l) => out.push(l), (l) => err.push(l))).toBe(0)
    expect(out.at(-1)).toBe(`updated ${join(root, 'docs', 'index.md')}`)
    expect(await publishCommand([], (l) => out.push(l), (l) => err.push(l))).toBe(2)
    expect(err.at(-1)).toMatch(/expected exactly one report path, got 0[\s\S]*usage:/)
    expect(await publishCommand([join(root, 'missing.md')], (l) => out.push(l), (l) => err.push(l))).toBe(2)
    expect(err.at(-1)).toMatch(/Report file not found/)
  })
})
