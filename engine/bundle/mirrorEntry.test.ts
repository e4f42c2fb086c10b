import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { packageRoot, prepareMirror } from './mirrorEntry.mjs'
import { installMirrorImport } from './mirrorImport.mjs'

// Sources outside the repo (like a user's module given by path); the mirror under node_modules/.cache,
// where the real one lives, so bare package imports resolve.
const sources = mkdtempSync(join(tmpdir(), 'shepherd-mirror-src-'))
mkdirSync(join(packageRoot, 'node_modules', '.cache'), { recursive: true })
const root = mkdtempSync(join(packageRoot, 'node_modules', '.cache', 'shepherd-mirror-test-'))
afterAll(() => {
  rmSync(sources, { recursive: true, force: true })
  rmSync(root, { recursive: true, force: true })
})

function write(name: string, text: string): string {
  const file = join(sources, name)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
  return file
}

/** Imports a mirrored URL in a fresh Node process (this one's ESM cache keeps the first version). */
function evaluateInChild(url: string, expression: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); console.log(${expression})`], { encoding: 'utf8' }).trim()
}

describe('prepareMirror', () => {
  test('behavior: the first call builds, the next one is a cache hit, and the mirror runs without any loader', async () => {
    write('hit/value.ts', 'export const value: number = 41\n')
    const entry = write('hit/entry.ts', "import { value } from './value.ts'\nimport { z } from 'zod'\nexport const answer = z.number().parse(value + 1)\n")
    const first = await prepareMirror(entry, { root })
    const second = await prepareMirror(entry, { root })
    expect(first.built).toBe(true)
    expect(second).toEqual({ url: first.url, built: false })
    expect(evaluateInChild(first.url, 'm.answer')).toBe('42')
  })

  test('behavior: changing a file the entry imports rebuilds, and the mirror runs the new code', async () => {
    const dependency = write('change/dependency.ts', "export const word = 'before'\n")
    const entry = write('change/entry.ts', "export { word } from './dependency.ts'\n")
    expect((await prepareMirror(entry, { root })).built).toBe(true)
    expect((await prepareMirror(entry, { root })).built).toBe(false)
    writeFileSync(dependency, "export const word = 'after'\n")
    const rebuilt = await prepareMirror(entry, { root })
    expect(rebuilt.built).toBe(true)
    expect(evaluateInChild(rebuilt.url, 'm.word')).toBe('after')
  })

  test('behavior: two entries that share a file share one module instance (instanceof holds across them)', async () => {
    write('shared/errors.ts', 'export class ProbeError extends Error {}\n')
    const thrower = write('shared/thrower.ts', "import { ProbeError } from './errors.ts'\nexport const fail = () => { throw new ProbeError('x') }\n")
    const checker = write('shared/checker.ts', "import { ProbeError } from './errors.ts'\nexport const isProbe = (e: unknown) => e instanceof ProbeError\n")
    const a = (await import((await prepareMirror(thrower, { root })).url)) as { fail(): never }
    const b = (await import((await prepareMirror(checker, { root })).url)) as { isProbe(e: unknown): boolean }
    let caught: unknown
    try {
      a.fail()
    } catch (error) {
      caught = error
    }
    expect(b.isProbe(caught)).toBe(true)
  })

  test('behavior: import.meta.url is the source file, and a computed import of a .ts file loads through the mirror', async () => {
    write('meta/target.ts', 'export const typed: string = "loaded"\n')
    const entry = write('meta/entry.ts', "export const here = import.meta.url\nexport const load = (url: string) => import(url)\n")
    const mirrored = (await import((await prepareMirror(entry, { root })).url)) as { here: string; load(url: string): Promise<{ typed: string }> }
    expect(mirrored.here).toBe(pathToFileURL(entry).href)
    installMirrorImport()
    const target = await mirrored.load(pathToFileURL(join(sources, 'meta/target.ts')).href)
    expect(target.typed).toBe('loaded')
  })

  test('behavior: a missing entry is rejected naming the file', async () => {
    const missing = join(sources, 'nope/missing.ts')
    await expect(prepareMirror(missing, { root })).rejects.toThrow(`Cannot bundle ${missing}: no such file`)
  })

  test('behavior: a missing import and a syntax error are rejected with file, line and what is wrong', async () => {
    const broken = write('broken/entry.ts', "import { x } from './absent.ts'\nexport const y = x\n")
    await expect(prepareMirror(broken, { root })).rejects.toThrow(/broken\/entry\.ts:1:\d+: Could not resolve "\.\/absent\.ts"/)
    const syntax = write('syntax/entry.ts', 'export const = 1\n')
    await expect(prepareMirror(syntax, { root })).rejects.toThrow(/syntax\/entry\.ts:1:\d+: Expected identifier/)
    await expect(prepareMirror(join(packageRoot, 'node_modules/zod/package.json'), { root })).rejects.toThrow('not a .ts/.mts/.tsx/.js/.mjs file outside node_modules')
  })

  test('behavior: the mirror keeps its files under the given root only', async () => {
    const entry = write('layout/entry.ts', 'export const one = 1\n')
    const { url } = await prepareMirror(entry, { root })
    expect(fileURLToPath(url).startsWith(root)).toBe(true)
    expect(readFileSync(fileURLToPath(url), 'utf8')).toContain('one = 1')
  })
})
