import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runChild, withoutVitestEnv } from '../../harness/ci/runChild.ts'
import { diffFolders } from './diffFolders.ts'

// docs/api/ (the API reference from the TSDoc, linked from the README) is committed so it reads on
// the forge; it must be what `npm run docs:api` writes from today's sources. typedoc takes a core
// for ~30-60 s: this runs in the serial project.
const root = process.cwd()
const dir = mkdtempSync(join(tmpdir(), 'shepherd-apidocs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('docs: docs/api is what `npm run docs:api` generates from the current TSDoc', async () => {
  const out = join(dir, 'api')
  const run = await runChild(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', 'typedoc.json', '--out', out], {
    cwd: root,
    env: { ...withoutVitestEnv(), TMPDIR: dir },
    timeoutMs: 240_000,
  })
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
  expect(diffFolders(join(root, 'docs/api'), out), 'docs/api is stale: run `npm run docs:api` and commit docs/api').toEqual([])
}, 300_000)
