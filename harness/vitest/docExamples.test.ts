// docs/use-in-your-repository.md quotes the example files the vitest-integration project runs; only
// their import lines and leading comments differ (public entry points there, sources here). This
// test fails when the page and the files drift apart, so the page never shows code that was not run.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const doc = readFileSync(new URL('../../docs/use-in-your-repository.md', import.meta.url), 'utf8')
const code = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('import ') && !line.startsWith('//'))
    .join('\n')
    .trim()

function quoted(docName: string): string {
  const block = new RegExp('```ts\\n// watchers/' + docName.replace('.', '\\.') + '\\n([\\s\\S]*?)```').exec(doc)
  if (!block) throw new Error(`docs/use-in-your-repository.md has no ts block starting with "// watchers/${docName}"`)
  return block[1]!
}

test.each([
  ['twapLedger.ts', 'twapLedger.ts'],
  ['twapLedger.test.ts', 'twapLedger.spec.ts'],
  ['scenario.test.ts', 'scenario.spec.ts'],
])('behavior: the page quotes %s as harness/vitest/example/%s runs it', (docName, file) => {
  const source = readFileSync(new URL(`./example/${file}`, import.meta.url), 'utf8')
  expect(code(quoted(docName))).toBe(code(source))
  // The quoted imports use the public entry points only.
  for (const line of quoted(docName).split('\n').filter((l) => l.startsWith('import ')))
    expect(line).toMatch(/from '(shepherd(\/[a-z/]+)?|vitest|fast-check|node:[a-z]+|\.\/[A-Za-z]+\.ts)'$/)
})
