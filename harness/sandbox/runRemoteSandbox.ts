import { resolve } from 'node:path'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ConfigError } from '../../engine/errors/config.ts'
import type { SandboxResult } from './sandboxResult.ts'
import { runSshCommand } from './runSshCommand.ts'
import { classifySshFailure, RemoteSandboxError, SshToolMissingError } from './sshErrors.ts'

export type RunRemoteSandboxParameters = {
  /** The local repository holding `e2e/e2e.yml`; it is copied to the host as it is (rsync -a). */
  repo: string
  /** What `ssh` connects to: `host`, `user@host` or an alias of your ssh config. */
  host: string
  /** Keep the sandbox folder and the remote copy whatever `cleanup` says (`--keep`). */
  keep?: boolean
  /** Extra ssh options, before Shepherd's own (BatchMode=yes, ConnectTimeout=10), e.g. ['-F', 'cfg']. */
  sshOptions?: readonly string[]
  /** The Shepherd command on the host, run in the copied repository. Default `npx --no-install shepherd`. */
  remoteCommand?: string
  log?: (line: string) => void
  signal?: AbortSignal
}

export type RunRemoteSandboxReturnType = { result: SandboxResult; junit: string }

/** The remote Shepherd command when neither --remote-shepherd nor SHEPHERD_REMOTE_COMMAND names one. */
export const defaultRemoteCommand = 'npx --no-install shepherd'

/** Single-quotes a word for the remote POSIX shell. */
const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`
const tail = (text: string, n = 20) => text.trim().split('\n').filter(Boolean).slice(-n)

/**
 * Runs a repository's sandbox contract on another machine over SSH, with the system `ssh` and
 * `rsync`: makes a unique folder on the host (`mktemp -d`), copies the repository there, runs
 * `<remoteCommand> e2e . --json ... --junit ...` in the copy (so provisioning, health checks and
 * teardown all happen on the host, by the same Shepherd contract), copies the result JSON and JUnit
 * back, and removes the remote folder according to the result's `cleanup` (`keep` overrides; a run
 * that wrote no result is removed unless `keep`). SSH failures are typed: `SshUnreachableError`,
 * `SshAuthError`, `SshToolMissingError` (ssh or rsync here, rsync there), `RemoteSandboxError` (the
 * remote run wrote no result); a bad `e2e.yml` on the host is a `ConfigError`.
 *
 * @example
 * const { result } = await runRemoteSandbox({ repo: '.', host: 'ci@build-box', sshOptions: ['-i', '/keys/e2e'] })
 * result.verdict.pass // true
 * result.remote // { host: 'ci@build-box', dir: '/tmp/shepherd-remote-Ab12Cd', removed: true, ... }
 */
export async function runRemoteSandbox({ repo, host, keep = false, sshOptions = [], remoteCommand = defaultRemoteCommand, log = (line) => console.info(`[sandbox] ${line}`), signal }: RunRemoteSandboxParameters): Promise<RunRemoteSandboxReturnType> {
  const localRepo = resolve(repo)
  // The caller's options first: for ssh the first value of an option wins, so they can override ours.
  const ssh = [...sshOptions, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10']
  const onHost = async (script: string, onLine?: (line: string) => void, timeoutMs?: number) => {
    const out = await runSshCommand({ tool: 'ssh', args: [...ssh, host, '--', script], onLine, timeoutMs, signal })
    if (out.exitCode === 255) throw classifySshFailure({ host, exitCode: 255, stderr: out.stderr })!
    return out
  }

  // Fetching the result and cleaning up still happen after an abort (the remote run ended in order).
  const onHostAfterRun = async (script: string) => {
    const out = await runSshCommand({ tool: 'ssh', args: [...ssh, host, '--', script], timeoutMs: 60_000 })
    if (out.exitCode === 255) throw classifySshFailure({ host, exitCode: 255, stderr: out.stderr })!
    return out
  }

  const made = await onHost(`command -v rsync >/dev/null 2>&1 || { echo 'rsync: not found on this host' >&2; exit 127; }; mktemp -d "\${TMPDIR:-/tmp}/shepherd-remote-XXXXXX"`, undefined, 60_000)
  if (made.exitCode === 127) throw new SshToolMissingError('rsync', host, `Install rsync on ${host} (Debian: apt-get install rsync): the repository is copied with it.`, tail(made.stderr, 3))
  const dir = made.stdout.trim()
  if (made.exitCode !== 0 || !dir.startsWith('/')) throw new ShepherdError(`Could not make a folder on ${host}`, { details: [`host: ${host}`, `exit: ${made.exitCode}`, ...tail(made.stderr, 5)], hint: 'The host needs a POSIX shell and mktemp, and a writable $TMPDIR or /tmp.' })
  log(`${host}: remote folder ${dir}`)

  let result: SandboxResult | undefined
  let junit = ''
  let failure: unknown
  try {
    const started = Date.now()
    const sshCommand = ['ssh', ...ssh].map((w) => (/[\s'"\\]/.test(w) ? quote(w) : w)).join(' ')
    const copy = await runSshCommand({ tool: 'rsync', args: ['-a', '--delete', '-e', sshCommand, `${localRepo}/`, `${host}:${dir}/repo/`], signal })
    if (copy.exitCode !== 0) {
      throw classifySshFailure({ host, exitCode: copy.exitCode === 12 || copy.exitCode === 255 ? 255 : copy.exitCode, stderr: copy.stderr })
        ?? (/rsync:? (command )?not found/i.test(copy.stderr) ? new SshToolMissingError('rsync', host, `Install rsync on ${host} (Debian: apt-get install rsync).`, tail(copy.stderr, 3)) : new ShepherdError(`Copying ${localRepo} to ${host}:${dir} failed (rsync exit ${copy.exitCode})`, { details: tail(copy.stderr, 10), hint: 'Check free space and permissions on the host.' }))
    }
    log(`${host}: copied ${localRepo} in ${Date.now() - started} ms; running ${remoteCommand} e2e there`)

    const files = { json: `${dir}/result.json`, junit: `${dir}/junit.xml` }
    // No tty reaches the remote run, so no signal does: a watcher reads this ssh's stdin, and when it
    // closes (Ctrl-C here, or the connection drops) it sends the remote Shepherd SIGTERM, which ends
    // the run in order (teardown, result) as a local Ctrl-C does.
    const e2e = `${remoteCommand} e2e . --json ${quote(files.json)} --junit ${quote(files.junit)}${keep ? ' --keep' : ''}`
    const script = `cd ${quote(`${dir}/repo`)} || exit 1; exec 3<&0; ${e2e} </dev/null & p=$!; { cat <&3 >/dev/null 2>&1; kill -TERM $p 2>/dev/null; } >/dev/null 2>&1 & w=$!; exec 3<&-; wait $p; rc=$?; kill $w 2>/dev/null; exit $rc`
    const runOut = await runSshCommand({ tool: 'ssh', args: [...ssh, host, '--', script], onLine: (line) => log(`${host}| ${line}`), timeoutMs: 24 * 3600_000, signal, onAbort: 'close-stdin' })
    if (runOut.exitCode === 255) throw classifySshFailure({ host, exitCode: 255, stderr: runOut.stderr })!
    const run = runOut
    const output = tail(`${run.stdout}\n${run.stderr}`)
    if (run.exitCode === 2) throw new ConfigError(`The sandbox on ${host} refused its input`, { file: `${host}:${dir}/repo/e2e/e2e.yml`, expected: 'a valid e2e/e2e.yml and command line (the remote Shepherd exits 2 otherwise)', found: output.join(' / ') || 'no output' })
    if (run.exitCode === 127) throw new SshToolMissingError(remoteCommand, host, `The host needs Node and Shepherd: install the repository's dependencies there, or name the command with --remote-shepherd / SHEPHERD_REMOTE_COMMAND (e.g. "node /opt/shepherd/bin/shepherd.js").`, output.slice(-3))
    const fetched = await onHostAfterRun(`cat ${quote(files.json)} && printf '\\000' && cat ${quote(files.junit)}`)
    const [json, xml] = fetched.stdout.split('\0')
    if (fetched.exitCode !== 0 || !json || xml === undefined) throw new RemoteSandboxError(host, remoteCommand, run.exitCode, output)
    try {
      result = JSON.parse(json) as SandboxResult
    } catch (error) {
      throw new RemoteSandboxError(host, remoteCommand, run.exitCode, [`result.json is not JSON: ${errorMessage(error)}`, ...output.slice(-5)])
    }
    junit = xml
  } catch (error) {
    failure = error
  } finally {
    // Interrupted with no result back: the remote run may still be going on in that folder, so it is
    // not pulled from under it; the output names it.
    const removeDir = !keep && !(signal?.aborted && result === undefined) && (result === undefined || result.teardown.policy === 'always' || (result.teardown.policy === 'on_success' && result.verdict.pass))
    let removed = false
    let removeError: string | undefined
    if (removeDir) {
      try {
        const rm = await runSshCommand({ tool: 'ssh', args: [...ssh, host, '--', `rm -rf ${quote(dir)}`], timeoutMs: 60_000 })
        if (rm.exitCode === 0) removed = true
        else removeError = `rm -rf exited ${rm.exitCode}: ${tail(rm.stderr, 2).join(' / ')}`
      } catch (error) {
        removeError = errorMessage(error)
      }
      log(removed ? `${host}: removed ${dir}` : `${host}: could NOT remove ${dir}: ${removeError}`)
    } else log(`${host}: remote folder kept: ${dir}${signal?.aborted ? ' (interrupted: the remote run may still be going on)' : result ? ` (cleanup ${result.teardown.policy}${keep ? ', --keep' : ''})` : ''}`)
    if (result) {
      result.remote = { host, dir, localRepo, removed }
      result.teardown.steps.push(removeDir ? { step: 'remove remote folder', ok: removed, ...(removeError ? { error: removeError } : {}) } : { step: 'keep remote folder', ok: true })
      result.teardown.ok = result.teardown.steps.every((s) => s.ok)
      if (!result.teardown.ok && result.verdict.pass) result.verdict = { pass: false, reason: `teardown failed: remove remote folder: ${removeError}` }
    }
  }
  if (failure !== undefined || result === undefined) throw failure
  return { result, junit }
}
