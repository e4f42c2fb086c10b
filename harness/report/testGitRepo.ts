import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/**
 * For tests: a fresh git repository with one commit of `tracked.txt` on `main`, removed when the
 * current test finishes. Returns its folder and a git runner (output trimmed).
 *
 * @example
 * const { dir, git } = testGitRepo()
 * writeFileSync(join(dir, 'tracked.txt'), 'changed')
 */
export function testGitRepo(prefix = 'shepherd-git-'): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q', '-b', 'main')
  writeFileSync(join(dir, 'tracked.txt'), 'one\n')
  git('add', 'tracked.txt')
  git('commit', '-q', '-m', 'first')
  return { dir, git }
}
