import { cpus } from 'node:os'
import type { GitState } from './types.ts'

/**
 * The lines a report's "run" section starts with: the commit (and whether the tree was dirty), the
 * machine, and the command that reproduces the run.
 *
 * @example
 * runHeaderLines(readGitState(), 'SHEPHERD_SCALE=full npx vitest run scenarios/soak/soak.test.ts')
 * // ['commit 6e25d38...', '2 cores (AMD EPYC ...), Node v20.20.2', 'command: SHEPHERD_SCALE=full npx vitest ...']
 */
export function runHeaderLines(git: GitState, command: string): string[] {
  return [
    `commit ${git.commit}${git.dirty ? ' (dirty tree)' : ''}`,
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}`,
    `command: ${command}`,
  ]
}
