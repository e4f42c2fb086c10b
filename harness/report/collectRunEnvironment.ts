import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { resolveAnvilBinary } from '../devnet/resolveAnvilBinary.ts'
import type { RunMetadata } from './types.ts'

/** The parts of the run metadata that describe the machine and the code, not the scenario. */
export type RunEnvironment = Pick<RunMetadata, 'gitCommit' | 'versions' | 'machine'>

/**
 * Reads the git commit (from `.git` files, no git process), the versions of Node, viem, Anvil and
 * Shepherd, and the machine's cores and memory. Anything unreadable is reported as "unknown".
 *
 * @example
 * const metadata: RunMetadata = { ...collectRunEnvironment(), scenario: 'baseline', date: new Date().toISOString(), parameters }
 */
export function collectRunEnvironment(root = process.cwd()): RunEnvironment {
  return {
    gitCommit: readGitCommit(root),
    versions: {
      node: process.versions.node,
      viem: packageVersion(join(root, 'node_modules/viem/package.json')),
      anvil: anvilVersion(),
      shepherd: packageVersion(join(root, 'package.json')),
    },
    machine: { cores: cpus().length, memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, cpuModel: cpus()[0]?.model.trim() },
  }
}

/** HEAD's commit hash, following one symbolic ref (loose or packed). */
export function readGitCommit(root: string): string {
  try {
    const gitDir = join(root, '.git')
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()
    if (!head.startsWith('ref: ')) return head
    const ref = head.slice(5)
    if (existsSync(join(gitDir, ref))) return readFileSync(join(gitDir, ref), 'utf8').trim()
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8')
    return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function packageVersion(path: string): string {
  try {
    const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }
    return typeof version === 'string' ? version : 'unknown'
  } catch {
    return 'unknown'
  }
}

function anvilVersion(): string {
  try {
    const out = spawnSync(resolveAnvilBinary(), ['--version'], { encoding: 'utf8', timeout: 5_000 })
    return /anvil(?:\s+Version:)?\s+([\w.+-]+)/i.exec(out.stdout)?.[1] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
