import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// The layer rules (.dependency-cruiser.mjs) checked through dependency-cruiser's API, as
// `npm run lint:deps` does on the command line: the repository has no violation, and a tree
// with one wrong import of each kind gets each one reported (so the rules can fail).

const ROOT = resolve(import.meta.dirname, '../..')
const SOURCES = ['cli', 'engine', 'harness', 'modules', 'scenarios', 'bin']

async function cruiseTree(root: string, sources: string[]): Promise<ICruiseResult> {
  const options: ICruiseOptions = {
    ...(await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.mjs'))),
    baseDir: root,
    tsConfig: { fileName: join(root, 'tsconfig.json') },
  }
  const { output } = await cruise(sources, options, undefined, { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) })
  if (typeof output === 'string') throw new TypeError('dependency-cruiser returned a report string; expected the result object')
  return output
}

const violationsOf = (result: ICruiseResult) =>
  result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort()

describe('layers', () => {
  test('behavior: the repository follows the layer rules, with every .ts import resolved', { timeout: 60_000 }, async () => {
    const result = await cruiseTree(ROOT, SOURCES)
    expect(violationsOf(result)).toEqual([])
    // A parser that resolved nothing would find no violation either: prove the graph is real.
    expect(result.summary.totalCruised).toBeGreaterThan(400)
    const unresolved = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith('.')).map((d) => `${m.source} -> ${d.module}`),
    )
    expect(unresolved).toEqual([])
    const twap = result.modules.find((m) => m.source === 'modules/twap-monitor/index.ts')
    expect(twap?.dependencies.map((d) => d.resolved)).toContain('modules/sdk/index.ts')
  })

  describe('a tree with wrong imports', () => {
    let root = ''
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, verbatimModuleSyntax: true },
      }),
      'engine/y.ts': 'export const y = 1\nexport type Y = number\n',
      // The SDK reaching up into the engine, by value and by type only.
      'modules/sdk/x.ts': "import { y } from '../../engine/y.ts'\nexport const x = y\n",
      'modules/sdk/t.ts': "import type { Y } from '../../engine/y.ts'\nexport const t: Y = 1\n",
      'modules/sdk/index.ts': 'export const sdk = 1\n',
      'modules/sdk/internal.ts': 'export const internal = 1\n',
      // A module past the SDK's index, and into another module.
      'modules/m/index.ts': "import { sdk } from '../sdk/index.ts'\nimport { internal } from '../sdk/internal.ts'\nimport { own } from './own.ts'\nimport { other } from '../n/index.ts'\nexport default [sdk, internal, own, other]\n",
      'modules/m/own.ts': 'export const own = 1\n',
      'modules/n/index.ts': 'export const other = 1\n',
      // The engine reaching up into the harness and across into a module.
      'engine/z.ts': "import { a } from '../harness/a.ts'\nimport m from '../modules/m/index.ts'\nexport const z = [a, m]\n",
      // Runtime code importing test code.
      'engine/w.ts': "import { fixture } from './testing/fixture.ts'\nexport const w = fixture\n",
      'engine/testing/fixture.ts': 'export const fixture = 1\n',
      // Test code may reach across: not reported.
      'engine/ok.test.ts': "import { a } from '../harness/a.ts'\nimport m from '../modules/m/index.ts'\nexport const ok = [a, m]\n",
      'harness/ok.spec.ts': "import { fixture } from '../engine/testing/fixture.ts'\nimport m from '../modules/m/index.ts'\nexport const ok = [fixture, m]\n",
      // A two-file cycle.
      'harness/a.ts': "import { b } from './b.ts'\nexport const a = 1\nexport const ab = b\n",
      'harness/b.ts': "import { a } from './a.ts'\nexport const b = 2\nexport const ba = a\n",
      // The CLI may import anything.
      'cli/main.ts': "import { a } from '../harness/a.ts'\nimport m from '../modules/m/index.ts'\nexport const main = [a, m]\n",
    }

    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'shepherd-layers-'))
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true })
        writeFileSync(join(root, path), text)
      }
    })
    afterAll(() => rmSync(root, { recursive: true, force: true }))

    test('behavior: each wrong import is reported by its rule, and allowed ones are not', { timeout: 30_000 }, async () => {
      const result = await cruiseTree(root, ['cli', 'engine', 'harness', 'modules'])
      expect(violationsOf(result)).toEqual([
        'engine-imports-only-the-sdk: engine/z.ts -> harness/a.ts',
        'engine-imports-only-the-sdk: engine/z.ts -> modules/m/index.ts',
        'module-imports-only-the-sdk-index: modules/m/index.ts -> modules/n/index.ts',
        'module-imports-only-the-sdk-index: modules/m/index.ts -> modules/sdk/internal.ts',
        'no-cycles: harness/a.ts -> harness/b.ts',
        'runtime-never-imports-test-code: engine/w.ts -> engine/testing/fixture.ts',
        'sdk-imports-nothing-of-ours: modules/sdk/t.ts -> engine/y.ts',
        'sdk-imports-nothing-of-ours: modules/sdk/x.ts -> engine/y.ts',
      ])
    })
  })
})
