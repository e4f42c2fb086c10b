import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'

// "The short message of an unknown error" has one helper, the SDK's `errorMessage`
// (modules/sdk/errors/errorMessage.ts). Runtime code that writes it again by hand is reported here.
// Tests are left alone: they assert on whole messages on purpose.

const ROOT = resolve(import.meta.dirname, '../..')
const SOURCES = ['cli', 'engine', 'harness', 'modules', 'scenarios']
const HAND_WRITTEN = [
  /instanceof Error \? \w+\.message/,
  /instanceof ShepherdError \? \w+\.shortMessage/,
  /\(\w+ as Error\)\.message/,
  /\.message \?\? String\(/,
]

/** `file:line` of every hand-written short message in `text`. */
function handWritten(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, index) => (HAND_WRITTEN.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}`] : []))
}

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : runtimeFiles(path)
    return entry.name.endsWith('.ts') && !/\.(test|spec|bench)\.ts$/.test(entry.name) ? [path] : []
  })
}

describe('errorMessage is the one helper', () => {
  test('behavior: each hand-written variant is found', () => {
    const text = [
      "log.warn('x', { error: error instanceof Error ? error.message : String(error) })",
      "const reason = cause instanceof Error ? cause.message.split('\\n')[0] : String(cause)",
      'o.log(`failed (${error instanceof ShepherdError ? error.shortMessage : String(error)})`)',
      'return { error: (error as Error).message }',
      'errors.map((e) => e.message ?? String(e))',
      'log.warn("x", { error: errorMessage(error) })',
    ].join('\n')
    expect(handWritten('x.ts', text)).toEqual(['x.ts:1', 'x.ts:2', 'x.ts:3', 'x.ts:4', 'x.ts:5'])
  })

  test('behavior: runtime code calls errorMessage instead of writing it again', () => {
    const files = SOURCES.flatMap((folder) => runtimeFiles(join(ROOT, folder)))
    expect(files.length).toBeGreaterThan(300)
    const found = files.flatMap((path) => handWritten(relative(ROOT, path), readFileSync(path, 'utf8')))
    expect(found).toEqual([])
  })
})
