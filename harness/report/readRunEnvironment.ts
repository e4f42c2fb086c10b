import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, totalmem } from 'node:os'
import { packageVersion } from '../../engine/packageInfo.ts'
import { readGitState } from './readGitState.ts'
import type { GitState, RunMetadata } from './types.ts'

/** Where a run was made: the part of every report's metadata that does not depend on the run. */
export type RunEnvironment = {
  /** HEAD's commit, 7 characters, with `-dirty` when a tracked file differs from it ('unknown' outside a git work tree). */
  gitCommit: string
  git: GitState
  versions: { node: string; viem: string; anvil: string; shepherd: string }
  machine: RunMetadata['machine']
}

export type ReadRunEnvironmentParameters = {
  /** The working tree, when already read (default: `readGitState()` of the current directory). */
  git?: GitState
}

const require = createRequire(import.meta.url)

/** A dependency's installed version, or 'unknown' when it is not installed. */
const versionOf = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/**
 * The commit, the versions (node, viem, anvil, shepherd) and the machine a report is made on: one
 * implementation for the scenario reports and the multi-chain report, so they say the same.
 *
 * @example
 * const { gitCommit, git, versions, machine } = readRunEnvironment()
 * // gitCommit '0c63952-dirty', versions { node: 'v20.20.2', viem: '2.57.20', anvil: '1.7.1', shepherd: '0.2.0' }
 */
export function readRunEnvironment(parameters: ReadRunEnvironmentParameters = {}): RunEnvironment {
  const git = parameters.git ?? readGitState()
  return {
    gitCommit: `${git.commit.slice(0, 7)}${git.dirty ? '-dirty' : ''}`,
    git,
    versions: { node: process.version, viem: versionOf('viem'), anvil: versionOf('@foundry-rs/anvil'), shepherd: packageVersion },
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), cpuModel: cpus()[0]?.model },
  }
}
