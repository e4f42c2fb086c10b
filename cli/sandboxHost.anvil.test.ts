// `shepherd e2e <repo> --host HOST` against a REAL sshd on 127.0.0.1 (Debian's openssh-server): a
// throwaway sshd with its own host key, config and authorized client key in a temp folder, started
// by this file and stopped by its PID. No mock: ssh, rsync and the remote Shepherd really run. If
// sshd or rsync is missing or sshd does not start, the tests FAIL (`.ci/run` installs both).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findFreePort } from '../harness/devnet/findFreePort.ts'
import schema from '../harness/sandbox/result.schema.json' with { type: 'json' }
import { runRemoteSandbox } from '../harness/sandbox/runRemoteSandbox.ts'
import type { SandboxResult } from '../harness/sandbox/sandboxResult.ts'
import { ConfigError } from '../engine/errors/config.ts'
import { sandboxCommand } from './sandboxCommand.ts'
import { SshAuthError, SshToolMissingError, SshUnreachableError } from '../harness/sandbox/sshErrors.ts'

const bin = new URL('../bin/shepherd.js', import.meta.url).pathname
const fixture = (name: string) => new URL(`../fixtures/sandbox/${name}`, import.meta.url).pathname
const validate = new Ajv({ allErrors: true }).compile(schema)
// The remote Shepherd is this checkout's (the "remote" is this machine).
const remoteCommand = `${process.execPath} ${bin}`

let home = ''
let sshd: ChildProcess | undefined
let sshdLog: string[] = []
const leftovers: string[] = []

/** Starts the throwaway sshd and writes the ssh config the runs use (aliases good, wrong-key, unreachable). */
beforeAll(async () => {
  for (const tool of ['/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'rsync'])
    expect(spawnSync('sh', ['-c', `command -v ${tool}`]).status, `${tool} is required (apt-get install openssh-server rsync; .ci/run installs them)`).toBe(0)
  home = mkdtempSync(join(tmpdir(), 'shepherd-sshd-'))
  for (const key of ['host_key', 'client_key', 'other_key', 'norsync_key']) expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, key)]).status, `ssh-keygen ${key}`).toBe(0)
  // norsync_key logs in to a session whose PATH has no rsync (a forced command sets it, then runs what was asked).
  const noRsync = `command="PATH=/nonexistent; eval \\"$SSH_ORIGINAL_COMMAND\\"" ${readFileSync(join(home, 'norsync_key.pub'), 'utf8')}`
  writeFileSync(join(home, 'authorized_keys'), `${readFileSync(join(home, 'client_key.pub'), 'utf8')}${noRsync}`)
  // sshd refuses to start without its privilege separation folder (root only; harmless otherwise).
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const [port, closedPort] = [await findFreePort(), await findFreePort()]
  writeFileSync(join(home, 'sshd_config'), [`ListenAddress 127.0.0.1`, `Port ${port}`, `HostKey ${home}/host_key`, `AuthorizedKeysFile ${home}/authorized_keys`, `PidFile ${home}/sshd.pid`, 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', ''].join('\n'))
  writeFileSync(join(home, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(home, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`)
  const common = ['HostName 127.0.0.1', `User ${userInfo().username}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${home}/known_hosts`, 'GlobalKnownHostsFile /dev/null', 'StrictHostKeyChecking yes', 'LogLevel ERROR']
  writeFileSync(join(home, 'ssh_config'), [
    'Host sshd-test', `  Port ${port}`, `  IdentityFile ${home}/client_key`, ...common.map((l) => `  ${l}`),
    'Host sshd-wrong-key', `  Port ${port}`, `  IdentityFile ${home}/other_key`, ...common.map((l) => `  ${l}`),
    'Host sshd-no-rsync', `  Port ${port}`, `  IdentityFile ${home}/norsync_key`, ...common.map((l) => `  ${l}`),
    'Host sshd-unreachable', `  Port ${closedPort}`, `  IdentityFile ${home}/client_key`, '  ConnectTimeout 5', ...common.map((l) => `  ${l}`),
    '',
  ].join('\n'))
  sshd = spawn('/usr/sbin/sshd', ['-f', join(home, 'sshd_config'), '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] })
  sshd.stderr!.setEncoding('utf8').on('data', (c: string) => sshdLog.push(...c.split('\n').filter(Boolean)))
  // Readiness by its own line, bounded.
  const deadline = Date.now() + 10_000
  while (!sshdLog.some((l) => l.includes(`Server listening on 127.0.0.1 port ${port}`))) {
    if (Date.now() > deadline || sshd.exitCode !== null) throw new Error(`sshd did not start on 127.0.0.1:${port} (exit ${sshd.exitCode}):\n${sshdLog.join('\n')}`)
    await new Promise((r) => setTimeout(r, 50))
  }
})

afterAll(async () => {
  if (sshd && sshd.exitCode === null) {
    const exited = new Promise((r) => sshd!.once('exit', r))
    process.kill(sshd.pid!, 'SIGTERM')
    await exited
  }
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true })
  if (home) rmSync(home, { recursive: true, force: true })
})

/** `shepherd e2e <fixture> --host <alias> --json --junit` as a person runs it. */
function shepherdOverSsh(name: string, host = 'sshd-test') {
  const out = mkdtempSync(join(tmpdir(), 'shepherd-ssh-out-'))
  leftovers.push(out)
  const started = Date.now()
  const run = spawnSync(process.execPath, [bin, 'e2e', fixture(name), '--host', host, '--json', join(out, 'result.json'), '--junit', join(out, 'junit.xml')], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, SHEPHERD_SSH_OPTIONS: `-F ${home}/ssh_config`, SHEPHERD_REMOTE_COMMAND: remoteCommand },
  })
  const output = `${run.stdout}\n${run.stderr}\nsshd:\n${sshdLog.slice(-10).join('\n')}`
  const read = (file: string) => (existsSync(join(out, file)) ? readFileSync(join(out, file), 'utf8') : undefined)
  const json = read('result.json')
  const result = json === undefined ? undefined : (JSON.parse(json) as SandboxResult)
  if (result) expect(validate(result), `result against result.schema.json: ${JSON.stringify(validate.errors)}`).toBe(true)
  return { status: run.status, output, result, junit: read('junit.xml'), ms: Date.now() - started }
}

describe('shepherd e2e <repo> --host HOST (SSH provider, real sshd on 127.0.0.1)', () => {
  test('behavior: a passing fixture runs on the host, its result and JUnit come back, PASS, and the remote folder is gone (cleanup always)', () => {
    const run = shepherdOverSsh('remote')
    expect(run.status, run.output).toBe(0)
    const result = run.result!
    expect(result.verdict, run.output).toEqual({ pass: true, reason: 'test_command exited 0' })
    expect(result.remote).toMatchObject({ host: 'sshd-test', localRepo: fixture('remote'), removed: true })
    // It really ran in the remote copy, not in the local repository.
    expect(result.repo.path).toBe(`${result.remote!.dir}/repo`)
    expect(result.healthChecks.map((c) => [c.name, c.ready])).toEqual([['api-http', true], ['api-log', true]])
    expect(result.test?.outputTail.join('\n')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health -> 200/)
    expect(result.teardown.steps).toContainEqual({ step: 'remove remote folder', ok: true })
    expect(existsSync(result.remote!.dir), 'remote folder removed').toBe(false)
    expect(existsSync(result.dir), 'remote sandbox folder removed').toBe(false)
    expect(run.junit).toMatch(/<testsuite[^>]*failures="0"/)
    expect(run.junit).toContain('name="node bin/check.mjs"')
    console.info(`ssh passing run: ${run.ms} ms`)
  })

  test('behavior: a failing test command over SSH is FAIL with exit 1, and cleanup on_success keeps the remote folder', () => {
    const run = shepherdOverSsh('remote-failing')
    const result = run.result!
    if (result) leftovers.push(result.dir, result.remote!.dir)
    expect(run.status, run.output).toBe(1)
    expect(result.verdict).toEqual({ pass: false, reason: 'test_command exited 3' })
    expect(result.test?.outputTail.join('\n')).toContain('failing on purpose')
    expect(result.remote).toMatchObject({ host: 'sshd-test', removed: false })
    expect(existsSync(`${result.remote!.dir}/repo/e2e/e2e.yml`), 'remote copy kept').toBe(true)
    expect(run.junit).toMatch(/<failure/)
    expect(run.output).toContain(`remote folder kept: ${result.remote!.dir}`)
  })

  test('behavior: an unreachable host is a clear error naming it (exit 1, no result)', async () => {
    const run = shepherdOverSsh('remote', 'sshd-unreachable')
    expect(run.status).toBe(1)
    expect(run.result).toBeUndefined()
    expect(run.output).toContain('Host sshd-unreachable is unreachable over SSH')
    expect(run.output).toMatch(/Connection refused/)
    expect(run.output).toContain('SHEPHERD_SSH_OPTIONS')
    await expect(runRemoteSandbox({ repo: fixture('remote'), host: 'sshd-unreachable', sshOptions: ['-F', `${home}/ssh_config`], remoteCommand, log: () => {} })).rejects.toBeInstanceOf(SshUnreachableError)
  })

  test('behavior: a login the host refuses is SshAuthError naming the host and what to do', async () => {
    const error = await runRemoteSandbox({ repo: fixture('remote'), host: 'sshd-wrong-key', sshOptions: ['-F', `${home}/ssh_config`], remoteCommand, log: () => {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SshAuthError)
    expect((error as Error).message).toContain('Host sshd-wrong-key refused the SSH login')
    expect((error as Error).message).toContain('Permission denied')
    expect((error as Error).message).toContain('authorized_keys')
  })

  test('behavior: a host without rsync is SshToolMissingError naming rsync, the host and the install', async () => {
    const error = await runRemoteSandbox({ repo: fixture('remote'), host: 'sshd-no-rsync', sshOptions: ['-F', `${home}/ssh_config`], remoteCommand, log: () => {} }).catch((e: unknown) => e)
    expect(error, String(error)).toBeInstanceOf(SshToolMissingError)
    expect((error as SshToolMissingError).where).toBe('sshd-no-rsync')
    expect((error as Error).message).toContain('rsync is not available on host sshd-no-rsync')
    expect((error as Error).message).toContain('apt-get install rsync')
  })

  test('behavior: a --host that is not an ssh destination, or --remote-shepherd without --host, is a usage error before anything runs', async () => {
    const bad = await sandboxCommand([fixture('remote'), '--host=-oProxyCommand=touch'], () => {}).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(ConfigError)
    expect((bad as Error).message).toContain('key: --host')
    await expect(sandboxCommand([fixture('remote'), '--host', 'box; true'], () => {})).rejects.toBeInstanceOf(ConfigError)
    const alone = await sandboxCommand([fixture('remote'), '--remote-shepherd', 'node x.js'], () => {}).catch((e: unknown) => e)
    expect(alone).toBeInstanceOf(ConfigError)
    expect((alone as Error).message).toContain('--remote-shepherd needs --host')
  })

  test('behavior: interrupting the local run (Ctrl-C) ends the remote run in order: its result comes back FAIL (interrupted) and its folders are removed', async () => {
    const controller = new AbortController()
    const lines: string[] = []
    const started = Date.now()
    const { result } = await runRemoteSandbox({
      repo: fixture('remote-long'),
      host: 'sshd-test',
      sshOptions: ['-F', `${home}/ssh_config`],
      remoteCommand,
      signal: controller.signal,
      log: (line) => {
        lines.push(line)
        if (line.includes('| started')) controller.abort('SIGINT')
      },
    })
    expect(result.verdict.pass, lines.join('\n')).toBe(false)
    expect(result.verdict.reason).toMatch(/^interrupted \(SIGTERM\)/)
    expect(result.test?.durationMs).toBeLessThan(30_000)
    expect(Date.now() - started).toBeLessThan(40_000)
    expect(result.remote?.removed).toBe(true)
    expect(existsSync(result.remote!.dir)).toBe(false)
    expect(existsSync(result.dir)).toBe(false)
  })
})
