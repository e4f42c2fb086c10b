import { spawnSync } from 'node:child_process'
import { quote } from 'shell-quote'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/**
 * `compose_file` was declared but docker (or its compose plugin) cannot run here.
 *
 * @example
 * try { await startCompose(parameters) } catch (error) { if (error instanceof DockerUnavailableError) console.error(error.message) }
 */
export class DockerUnavailableError extends ShepherdError {
  override name = 'DockerUnavailableError'
}

export type StartComposeParameters = {
  file: string
  /** Unique per run: two sandboxes never share containers, networks or volumes. */
  project: string
  cwd: string
  env: Record<string, string | undefined>
  log: (line: string) => void
  /** The docker binary. Default `docker`. */
  docker?: string
}

/**
 * The commands the compose provider runs, as shell lines (`up` waits for the services' own health
 * checks; `down -v` removes the project's containers, networks and volumes).
 *
 * @example
 * composeCommands({ file: 'e2e/compose.yml', project: 'shepherd-x-1a2b' }).down
 * // "docker compose -p shepherd-x-1a2b -f e2e/compose.yml down -v --remove-orphans"
 */
export function composeCommands({ file, project, docker = 'docker' }: { file: string; project: string; docker?: string }): { up: string; down: string } {
  const base = quote([docker, 'compose', '-p', project, '-f', file])
  return { up: `${base} up -d --wait`, down: `${base} down -v --remove-orphans` }
}

/**
 * Starts a compose file's services under a unique project name, after checking that `docker info`
 * answers (a clear `DockerUnavailableError` when it does not). Resolves with `down()`.
 *
 * @example
 * const compose = await startCompose({ file, project, cwd: repo, env: process.env, log: console.info })
 * await compose.down()
 */
export async function startCompose({ file, project, cwd, env, log, docker = 'docker' }: StartComposeParameters): Promise<{ downCommand: string; down(): Promise<void> }> {
  const info = spawnSync(docker, ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 15_000 })
  if (info.error || info.status !== 0)
    throw new DockerUnavailableError('stack.compose_file needs docker, and docker is not available here', {
      details: [`command: ${docker} info`, `found: ${info.error ? info.error.message : `exit ${info.status}: ${(info.stderr || info.stdout).trim().split('\n').slice(-3).join(' | ')}`}`],
      hint: 'Install Docker with the compose plugin and start its daemon, or remove compose_file from e2e/e2e.yml.',
    })
  const commands = composeCommands({ file, project, docker })
  log(`compose: ${commands.up}`)
  const up = spawnSync('/bin/sh', ['-c', commands.up], { cwd, env, encoding: 'utf8', timeout: 600_000 })
  const down = async () => {
    const result = spawnSync('/bin/sh', ['-c', commands.down], { cwd, env, encoding: 'utf8', timeout: 120_000 })
    if (result.status !== 0) throw new Error(`${commands.down} exited ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`)
  }
  if (up.status !== 0) {
    await down().catch(() => {})
    throw new ShepherdError('docker compose up failed', { details: [`command: ${commands.up}`, `exit: ${up.status}`, ...up.stderr.trim().split('\n').slice(-10)] })
  }
  return { downCommand: `cd ${quote([cwd])} && ${commands.down}`, down }
}
