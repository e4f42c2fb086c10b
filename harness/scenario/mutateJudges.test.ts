import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { judgeTargets, listMutants } from './mutateJudges.ts'

const source = `
const bar = '<= 3 posts' // a < b in a comment
export function j(a: number, b: number) {
  const bars = []
  if (a <= b) bars.push({ name: 'x', pass: a === b })
  add('delivery', 'TWAP delivery', \`>= \${b}\`, () => [String(a), a >= b ? 'pass' : 'fail'])
  bounds.maxTraps = { max: a, why: 'x' }
  other.push(a)
  return bars
}`

describe('mutateJudges', () => {
  test('behavior: every comparison is inverted and every bar dropped, never text in strings or comments', () => {
    const mutants = listMutants('x.ts', source)
    expect(mutants.filter((m) => m.kind === 'inverted comparison').map((m) => m.description.split(': ').at(-1))).toEqual(['<= -> >', '=== -> !==', '>= -> <'])
    expect(mutants.filter((m) => m.kind === 'dropped bar').map((m) => m.description.slice(0, 12))).toEqual(['bars.push({ ', "add('deliver", 'bounds.maxTr'])
    for (const mutant of mutants) {
      expect(mutant.text).toContain("const bar = '<= 3 posts' // a < b in a comment")
      expect(mutant.text).toContain('other.push(a)')
    }
    expect(mutants.find((m) => m.kind === 'dropped bar')!.text).toContain('if (a <= b) void 0')
  })

  test('behavior: each judge file yields mutants, and its tests exist', () => {
    for (const target of judgeTargets) {
      const mutants = listMutants(target.file, readFileSync(target.file, 'utf8'))
      expect(mutants.filter((m) => m.kind === 'inverted comparison').length, target.file).toBeGreaterThan(0)
      for (const test of target.tests) expect(() => readFileSync(test), test).not.toThrow()
    }
  })
})
