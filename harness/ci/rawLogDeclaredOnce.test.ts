import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

// The raw-log shape ({ address, topics, data, blockNumber, logIndex, transactionHash, ... }) is
// declared once, as the SDK's `RawLog` (modules/sdk/module/types.ts); everything else imports it,
// picks from it, or (for the hex-encoded wire form) uses viem's `RpcLog`. A type literal that
// spells out a log again is reported here.

const ROOT = resolve(import.meta.dirname, '../..')
const SOURCES = ['cli', 'engine', 'harness', 'modules', 'scenarios']
const HOME = 'modules/sdk/module/types.ts'
const POSITION = ['blockNumber', 'logIndex', 'transactionHash', 'blockHash', 'transactionIndex']

/** `file:line` of every type literal in `text` with `topics`, `data` and a position field of a log. */
function rawLogShapes(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isTypeLiteralNode(node)) {
      const names = new Set(node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])))
      if (names.has('topics') && names.has('data') && POSITION.some((p) => names.has(p)))
        found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

describe('the raw-log shape', () => {
  test('behavior: a type literal that spells out a log is found', () => {
    const text = 'export type RawLog = { address: Hex; topics: readonly Hex[]; data: Hex; blockNumber: Hex | null }\n' +
      'type Parts = { topics: readonly unknown[]; data: unknown }\n'
    expect(rawLogShapes('harness/x.ts', text)).toEqual(['harness/x.ts:1'])
  })

  test('behavior: the repository declares it once, in the SDK', () => {
    const files = SOURCES.flatMap((folder) => tsFiles(join(ROOT, folder)))
    expect(files.length).toBeGreaterThan(300)
    const shapes = files.flatMap((path) => rawLogShapes(relative(ROOT, path), readFileSync(path, 'utf8')))
    expect(shapes.map((where) => where.replace(/:\d+$/, ''))).toEqual([HOME])
  })
})
