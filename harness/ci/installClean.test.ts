import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { testGitRepo } from '../report/testGitRepo.ts'

// `.ci/install-clean <command>`: what `.ci/run` wraps `npm install` in. Judged here against a
// stand-in install (a shell command) in a throwaway repository.
const script = join(process.cwd(), '.ci/install-clean')
const installIn = (dir: string, command: string) => {
  const run = spawnSync(script, ['sh', '-c', command], { cwd: dir, encoding: 'utf8' })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

describe('.ci/install-clean', () => {
  test('behavior: an install that rewrites a tracked file fails the check (exit 3: the tests still run), naming the file', () => {
    const { dir } = testGitRepo('shepherd-install-')
    const run = installIn(dir, 'echo rewritten >> tracked.txt')
    expect(run.status).toBe(3)
    expect(run.out).toMatch(/changed tracked files[\s\S]*\n  tracked.txt\n/)
  })

  test('behavior: an install that only adds untracked or ignored files passes', () => {
    const { dir, git } = testGitRepo('shepherd-install-')
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n')
    git('add', '.gitignore')
    git('commit', '-q', '-m', 'ignore')
    const run = installIn(dir, 'mkdir -p node_modules/x && echo y > node_modules/x/y && echo z > new-untracked.txt')
    expect(run.status).toBe(0)
    expect(run.out).toContain('left every tracked file as it was')
  })

  test('behavior: a tree dirty before the install is judged only by what the install changes', () => {
    const { dir } = testGitRepo('shepherd-install-')
    writeFileSync(join(dir, 'tracked.txt'), 'my own edit\n')
    expect(installIn(dir, 'true').status).toBe(0)
    const again = installIn(dir, 'echo more >> tracked.txt')
    expect(again.status).toBe(3)
    expect(again.out).toContain('  tracked.txt')
  })

  test('behavior: a failing install fails with its own exit code', () => {
    const { dir } = testGitRepo('shepherd-install-')
    const run = installIn(dir, 'exit 7')
    expect(run.status).toBe(7)
    expect(run.out).toContain("failed (exit 7)")
  })

  test('bad input: outside a git work tree it fails instead of passing on nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-install-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const run = spawnSync(script, ['true'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() } })
    expect(run.status).toBe(3)
    expect(run.stderr).toContain('is not a git work tree')
  })
})
