import { ShepherdError } from '../../modules/sdk/errors/base.ts'

const lastLines = (stderr: string) => stderr.trim().split('\n').filter(Boolean).slice(-5)

/**
 * `ssh` could not reach the host (refused, no route, unknown name, timed out). Names the host and
 * what ssh said.
 *
 * @example
 * throw new SshUnreachableError('build-box', 'ssh: connect to host build-box port 22: Connection refused')
 */
export class SshUnreachableError extends ShepherdError {
  override name = 'SshUnreachableError'
  readonly host: string
  constructor(host: string, stderr: string) {
    super(`Host ${host} is unreachable over SSH`, {
      details: [`host: ${host}`, ...lastLines(stderr).map((l) => `ssh: ${l}`)],
      hint: `Check the name and port (try \`ssh ${host} true\`), that sshd runs there and that no firewall is in the way; ssh options (port, key, config file) go in SHEPHERD_SSH_OPTIONS, e.g. "-F ~/.ssh/e2e_config".`,
    })
    this.host = host
  }
}

/**
 * The host answered but refused the login (no key it accepts, or its host key is unknown or changed).
 *
 * @example
 * throw new SshAuthError('build-box', 'ci@build-box: Permission denied (publickey).')
 */
export class SshAuthError extends ShepherdError {
  override name = 'SshAuthError'
  readonly host: string
  constructor(host: string, stderr: string) {
    const hostKey = /host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)
    super(hostKey ? `Host ${host}'s host key is not trusted` : `Host ${host} refused the SSH login`, {
      details: [`host: ${host}`, ...lastLines(stderr).map((l) => `ssh: ${l}`)],
      hint: hostKey
        ? `Add the host's key to known_hosts (\`ssh ${host} true\` once, interactively, after checking its fingerprint). Shepherd runs ssh with BatchMode=yes: it never prompts.`
        : `Shepherd logs in with keys only (BatchMode=yes, no password prompt): load a key in ssh-agent, or name one with SHEPHERD_SSH_OPTIONS="-i ~/.ssh/key" or an ssh config (-F FILE), and put its public half in the host's authorized_keys.`,
    })
    this.host = host
  }
}

/**
 * A program the SSH provider needs is missing: `ssh` or `rsync` here, or `rsync` / the remote
 * Shepherd command on the host.
 *
 * @example
 * throw new SshToolMissingError('rsync', 'build-box', 'apt-get install rsync on build-box')
 */
export class SshToolMissingError extends ShepherdError {
  override name = 'SshToolMissingError'
  readonly tool: string
  readonly where: string
  constructor(tool: string, where: string, hint: string, output: readonly string[] = []) {
    super(`${tool} is not available ${where === 'local' ? 'on this machine' : `on host ${where}`}`, {
      details: [`tool: ${tool}`, `where: ${where === 'local' ? 'this machine' : where}`, ...output.map((l) => `output: ${l}`)],
      hint,
    })
    this.tool = tool
    this.where = where
  }
}

/**
 * The remote `shepherd e2e` ended without writing its result (it crashed, or was not Shepherd).
 *
 * @example
 * throw new RemoteSandboxError('build-box', 'npx --no-install shepherd', 1, ['Error: ...'])
 */
export class RemoteSandboxError extends ShepherdError {
  override name = 'RemoteSandboxError'
  readonly host: string
  constructor(host: string, command: string, exitCode: number | null, output: readonly string[]) {
    super(`The sandbox on ${host} ended (exit ${exitCode ?? 'by signal'}) without writing its result`, {
      details: [`host: ${host}`, `remote command: ${command}`, 'last output:', ...(output.length ? output.map((l) => `  ${l.slice(0, 500)}`) : ['  none'])],
      hint: 'The host needs Node and Shepherd: by default the repository\'s own (`npx --no-install shepherd`, so its node_modules must be there); name another with --remote-shepherd or SHEPHERD_REMOTE_COMMAND.',
    })
    this.host = host
  }
}

export type ClassifySshFailureParameters = { host: string; exitCode: number | null; stderr: string }

/**
 * Turns a failed `ssh`/`rsync` call into a typed error when the failure is ssh's own (exit 255, or
 * rsync's 255/12 "connection unexpectedly closed"): unreachable, or login refused. Returns
 * undefined when the remote command itself failed.
 *
 * @example
 * const error = classifySshFailure({ host: 'box', exitCode: 255, stderr: 'Permission denied (publickey).' })
 * // error instanceof SshAuthError
 */
export function classifySshFailure({ host, exitCode, stderr }: ClassifySshFailureParameters): ShepherdError | undefined {
  if (/permission denied|host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|too many authentication failures/i.test(stderr)) return new SshAuthError(host, stderr)
  if (/connection refused|could not resolve|no route to host|timed out|network is unreachable|connection closed by|connection reset|name or service not known/i.test(stderr)) return new SshUnreachableError(host, stderr)
  if (exitCode === 255) return new SshUnreachableError(host, stderr)
  return undefined
}
