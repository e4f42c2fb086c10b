import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { importModuleUrl } from './module/importModuleUrl.ts'
import { packageRoot, packageVersion, runsFromBuild } from './packageInfo.ts'

test('behavior: from the sources, the package root holds package.json and bin/, and its version is package.json\'s', () => {
  expect(runsFromBuild).toBe(false)
  expect(existsSync(join(packageRoot, 'bin/shepherd.js'))).toBe(true)
  expect(packageVersion).toBe((JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version)
})

test('behavior: from the sources, a TypeScript module file is imported by the running transpiler (no tsx registration)', async () => {
  const imported = await importModuleUrl(new URL('./testing/fixtures/throws.ts', import.meta.url).href)
  expect(imported.default).toMatchObject({ name: expect.any(String) })
})
