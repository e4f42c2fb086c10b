import { describe, expect, test } from 'vitest'
import { composeCommands, DockerUnavailableError, startCompose } from './startCompose.ts'

describe('the compose provider', () => {
  test('behavior: up waits for the services under the run\'s unique project; down removes its volumes', () => {
    expect(composeCommands({ file: '/repo/e2e/compose.yml', project: 'shepherd-bot-1a2b3c4d' })).toEqual({
      up: 'docker compose -p shepherd-bot-1a2b3c4d -f /repo/e2e/compose.yml up -d --wait',
      down: 'docker compose -p shepherd-bot-1a2b3c4d -f /repo/e2e/compose.yml down -v --remove-orphans',
    })
    expect(composeCommands({ file: "/a b/c'd.yml", project: 'p' }).up).toBe('docker compose -p p -f "/a b/c\'d.yml" up -d --wait')
  })

  test('behavior: without docker the run stops with DockerUnavailableError naming the command and why', async () => {
    const attempt = startCompose({ file: 'compose.yml', project: 'p', cwd: process.cwd(), env: process.env, log: () => {}, docker: '/nonexistent/docker' })
    await expect(attempt).rejects.toBeInstanceOf(DockerUnavailableError)
    await expect(attempt).rejects.toThrow(/stack.compose_file needs docker[\s\S]*command: \/nonexistent\/docker info[\s\S]*found: spawnSync \/nonexistent\/docker ENOENT/)
  })

  test('behavior: a docker client whose daemon does not answer is the same clear error (what this machine has)', async () => {
    // A stand-in client that fails like `docker info` without a daemon; the real one may or may not run here.
    const attempt = startCompose({ file: 'compose.yml', project: 'p', cwd: process.cwd(), env: process.env, log: () => {}, docker: new URL('../../fixtures/sandbox/bin/no-daemon-docker.sh', import.meta.url).pathname })
    await expect(attempt).rejects.toThrow(/found: exit 1: Cannot connect to the Docker daemon/)
  })
})
