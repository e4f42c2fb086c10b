import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, onTestFinished, test } from 'vitest'
import { staticPackageImports } from './staticPackageImports.ts'

// Test helpers never sit in runtime entry points: importing `shepherd`, `shepherd/sdk` or
// `shepherd/harness` must not load vitest or fast-check (optional peers: a production install of
// Shepherd has neither). `shepherd/sdk/testing` and `shepherd/vitest` are the places for them.
const root = process.cwd()
const runtimeEntries = ['engine/index.ts', 'modules/sdk/index.ts', 'harness/index.ts', 'cli/main.ts'].map((file) => join(root, file))

test('behavior: the runtime entry points load neither vitest nor fast-check', () => {
  const packages = staticPackageImports(runtimeEntries)
  expect(packages.size).toBeGreaterThan(3) // it did follow the imports (viem, zod, lmdb, ...)
  expect(packages.get('vitest')).toBeUndefined()
  expect(packages.get('fast-check')).toBeUndefined()
})

test('bad input: a test helper reached through a re-export is found, a type-only or dynamic import is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-imports-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'index.ts'), "export { arb } from './helper.ts'\nimport type { Suite } from 'vitest'\nexport const later = () => import('tinybench')\n")
  writeFileSync(join(dir, 'helper.ts'), "import fc from 'fast-check'\nexport const arb = fc.nat()\n")
  const packages = staticPackageImports([join(dir, 'index.ts')])
  expect([...packages.keys()]).toEqual(['fast-check'])
  expect(packages.get('fast-check')).toEqual([join(dir, 'helper.ts')])
})
