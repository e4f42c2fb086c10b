import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const module = fileURLToPath(new URL('./stdoutLines.ts', import.meta.url))
const run = (body: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { writeStdoutLine } from ${JSON.stringify(module)}\n${body}`], { encoding: 'utf8', timeout: 20_000 })

describe('writeStdoutLine', () => {
  test('behavior: lines come out in order, across turns', () => {
    const result = run(`for (let i = 0; i < 3; i++) writeStdoutLine('a' + i)\nsetTimeout(() => writeStdoutLine('b'), 5)`)
    expect(result.stdout).toBe('a0\na1\na2\nb\n')
  })

  test('behavior: lines queued right before process.exit or an uncaught throw are not lost', () => {
    expect(run(`writeStdoutLine('one'); writeStdoutLine('two'); process.exit(3)`)).toMatchObject({ stdout: 'one\ntwo\n', status: 3 })
    const thrown = run(`writeStdoutLine('before'); throw new Error('boom')`)
    expect(thrown.stdout).toBe('before\n')
    expect(thrown.status).not.toBe(0)
  })

  test('behavior: a burst larger than the buffer is written without waiting and keeps its order', () => {
    const result = run(`for (let i = 0; i < 10000; i++) writeStdoutLine(String(i)); process.exit(0)`)
    expect(result.stdout.split('\n').slice(0, -1)).toEqual(Array.from({ length: 10000 }, (_, i) => String(i)))
  })
})
