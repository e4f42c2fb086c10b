import { execFileSync } from 'node:child_process'
import type { GitState } from './types.ts'

const git = (args: readonly string[], cwd: string) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })

/**
 * The working tree a report is made from: HEAD's full hash and the tracked files that differ from
 * it. Untracked files do not count (reports/ and node_modules/ are not part of the source).
 * Outside a git work tree the commit is 'unknown'.
 *
 * @example
 * readGitState() // { commit: '6e25d38...', dirty: true, changed: ['package-lock.json'] }
 */
export function readGitState(cwd: string = process.cwd()): GitState {
  let commit: string
  try {
    commit = git(['rev-parse', 'HEAD'], cwd).trim()
  } catch {
    return { commit: 'unknown', dirty: false, changed: [] }
  }
  // -z: paths as git stores them (no quoting); a rename's entry is followed by its old path. Not
  // trimmed: each entry starts with its two status columns, the first often a space.
  const entries = git(['status', '--porcelain=v1', '-z', '--untracked-files=no'], cwd).split('\0').filter(Boolean)
  const changed: string[] = []
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    changed.push(entry.slice(3))
    if (entry[0] === 'R' || entry[0] === 'C') i++
  }
  return { commit, dirty: changed.length > 0, changed: changed.slice(0, 20) }
}

/** Where a commit stands relative to HEAD: in its history, not in it, or unknown to this repository. */
export type CommitStanding = 'in history' | 'not in history' | 'unknown commit'

/**
 * Whether `commit` (full or abbreviated) is HEAD or one of its ancestors in the repository at `cwd`.
 *
 * @example
 * commitStanding('ac443a6') // 'in history'
 */
export function commitStanding(commit: string, cwd: string = process.cwd()): CommitStanding {
  if (!/^[0-9a-f]{4,64}$/i.test(commit)) return 'unknown commit'
  try {
    git(['cat-file', '-e', `${commit}^{commit}`], cwd)
  } catch {
    return 'unknown commit'
  }
  try {
    git(['merge-base', '--is-ancestor', commit, 'HEAD'], cwd)
    return 'in history'
  } catch {
    return 'not in history'
  }
}
