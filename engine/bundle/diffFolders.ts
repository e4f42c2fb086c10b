import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

function filesUnder(dir: string, root = dir, found: string[] = []): string[] {
  if (!existsSync(dir)) return found
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) filesUnder(path, root, found)
    else found.push(relative(root, path))
  }
  return found
}

/** One difference between two folders: a file only in one of them, or in both with other content. */
export type FolderDifference = { file: string; change: 'missing' | 'extra' | 'changed' }

/**
 * How folder `actual` differs from folder `expected`, file by file (sorted): what a "generated files
 * are current" check reports.
 *
 * @example
 * diffFolders('docs/api', '/tmp/fresh-docs') // [{ file: 'shepherd.md', change: 'changed' }]
 */
export function diffFolders(actual: string, expected: string): FolderDifference[] {
  const have = new Set(filesUnder(actual))
  const want = new Set(filesUnder(expected))
  const differences: FolderDifference[] = []
  for (const file of want) {
    if (!have.has(file)) differences.push({ file, change: 'missing' })
    else if (!readFileSync(join(actual, file)).equals(readFileSync(join(expected, file)))) differences.push({ file, change: 'changed' })
  }
  for (const file of have) if (!want.has(file)) differences.push({ file, change: 'extra' })
  return differences.sort((a, b) => (a.file < b.file ? -1 : 1))
}
