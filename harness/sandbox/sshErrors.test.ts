import { describe, expect, test } from 'vitest'
import { runSshCommand } from './runSshCommand.ts'
import { classifySshFailure, SshAuthError, SshToolMissingError, SshUnreachableError } from './sshErrors.ts'

describe('SSH provider errors', () => {
  test('behavior: ssh failures are classed by what to do: unreachable, login refused, or the remote command itself', () => {
    expect(classifySshFailure({ host: 'box', exitCode: 255, stderr: 'ssh: connect to host box port 22: Connection refused' })).toBeInstanceOf(SshUnreachableError)
    expect(classifySshFailure({ host: 'box', exitCode: 255, stderr: 'ssh: Could not resolve hostname box: Name or service not known' })).toBeInstanceOf(SshUnreachableError)
    expect(classifySshFailure({ host: 'box', exitCode: 255, stderr: 'ssh: connect to host box port 22: Connection timed out' })).toBeInstanceOf(SshUnreachableError)
    expect(classifySshFailure({ host: 'box', exitCode: 255, stderr: 'ci@box: Permission denied (publickey).' })).toBeInstanceOf(SshAuthError)
    const hostKey = classifySshFailure({ host: 'box', exitCode: 255, stderr: 'Host key verification failed.' })
    expect(hostKey).toBeInstanceOf(SshAuthError)
    expect(hostKey!.message).toContain("Host box's host key is not trusted")
    expect(classifySshFailure({ host: 'box', exitCode: 1, stderr: 'grep: nothing' })).toBeUndefined()
    expect(classifySshFailure({ host: 'box', exitCode: 255, stderr: '' })).toBeInstanceOf(SshUnreachableError)
  })

  test('behavior: a missing local rsync or ssh is SshToolMissingError naming the program and this machine', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      const error = await runSshCommand({ tool: 'rsync', args: ['--version'] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SshToolMissingError)
      expect((error as SshToolMissingError).where).toBe('local')
      expect((error as Error).message).toContain('rsync is not available on this machine')
    } finally {
      process.env.PATH = path
    }
  })
})
