import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { commitStanding, readGitState } from './readGitState.ts'
import { testGitRepo as gitRepo } from './testGitRepo.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('readGitState', () => {
  test('behavior: a clean tree gives the full commit and dirty false; untracked files do not count', () => {
    const { dir, git } = gitRepo()
    writeFileSync(join(dir, 'untracked.txt'), 'x')
    expect(readGitState(dir)).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: false, changed: [] })
  })

  test('behavior: a changed, staged or deleted tracked file makes the tree dirty and is named', () => {
    const { dir, git } = gitRepo()
    writeFileSync(join(dir, 'tracked.txt'), 'two\n')
    expect(readGitState(dir)).toMatchObject({ dirty: true, changed: ['tracked.txt'] })
    writeFileSync(join(dir, 'new file.txt'), 'n')
    git('add', 'new file.txt')
    expect(readGitState(dir).changed.sort()).toEqual(['new file.txt', 'tracked.txt'])
  })

  test('behavior: outside a git work tree the commit is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-nogit-'))
    dirs.push(dir)
    expect(readGitState(dir)).toEqual({ commit: 'unknown', dirty: false, changed: [] })
  })
})

describe('commitStanding', () => {
  test('behavior: HEAD and its ancestors are in history; a commit of another branch is not; garbage is unknown', () => {
    const { dir, git } = gitRepo()
    const first = git('rev-parse', 'HEAD')
    git('checkout', '-q', '-b', 'side')
    writeFileSync(join(dir, 'tracked.txt'), 'side\n')
    git('commit', '-q', '-am', 'side')
    const side = git('rev-parse', 'HEAD')
    git('checkout', '-q', 'main')
    expect(commitStanding(first, dir)).toBe('in history')
    expect(commitStanding(first.slice(0, 7), dir)).toBe('in history')
    expect(commitStanding(side, dir)).toBe('not in history')
    expect(commitStanding('deadbeefdeadbeef', dir)).toBe('unknown commit')
    expect(commitStanding('unknown', dir)).toBe('unknown commit')
    expect(commitStanding('--help', dir)).toBe('unknown commit')
  })
})
