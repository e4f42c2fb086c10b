import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, onTestFinished, test } from 'vitest'
import { diffFolders } from './diffFolders.ts'

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-diff-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

test('behavior: equal folders have no difference', () => {
  expect(diffFolders(folder({ 'a.md': 'x', 'sub/b.md': 'y' }), folder({ 'a.md': 'x', 'sub/b.md': 'y' }))).toEqual([])
})

test('bad input: a stale, a missing and an extra file are each named', () => {
  const committed = folder({ 'a.md': 'old', 'gone.md': 'z' })
  const fresh = folder({ 'a.md': 'new', 'sub/new.md': 'y' })
  expect(diffFolders(committed, fresh)).toEqual([
    { file: 'a.md', change: 'changed' },
    { file: 'gone.md', change: 'extra' },
    { file: 'sub/new.md', change: 'missing' },
  ])
})
