import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { runTempDirVariable } from './isolateTempDir.ts'

// Runs after every other project (the `leftovers` project, last in sequence.groupOrder): whatever
// is still in the run's own temporary folder was created by a test, or a process a test started,
// and never removed. tsx keeps a compile cache there on purpose.
const kept = /^tsx-\d+$/

test('behavior: the tests of this run left nothing in the temporary directory', () => {
  const dir = process.env[runTempDirVariable]
  expect(dir, `${runTempDirVariable} is unset: harness/ci/isolateTempDir.ts did not run as globalSetup`).toBeTruthy()
  const left = readdirSync(dir!).filter((name) => !kept.test(name))
  const described = left.map((name) => {
    let inside: string[] = []
    try {
      inside = readdirSync(join(dir!, name)).slice(0, 5)
    } catch {}
    return `${name}${inside.length ? ` (${inside.join(', ')})` : ''}`
  })
  expect(described, 'remove each temporary directory a test creates (afterEach, afterAll or onTestFinished); its name prefix says which test made it').toEqual([])
})
