import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { ConfigError } from '../../engine/errors/config.ts'
import { loadSandboxFile } from './loadSandboxFile.ts'

type BadCase = { what: string; yaml: string; key: string | null; expected: string; found: string }
const { cases } = parse(readFileSync(new URL('../../fixtures/sandbox/bad-files.yml', import.meta.url), 'utf8')) as { cases: BadCase[] }
const root = mkdtempSync(join(tmpdir(), 'shepherd-sandbox-bad-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function repoWith(yaml: string, name: string): string {
  const repo = join(root, name.replaceAll(' ', '-'))
  mkdirSync(join(repo, 'e2e'), { recursive: true })
  writeFileSync(join(repo, 'e2e', 'e2e.yml'), yaml)
  return repo
}

describe('loadSandboxFile', () => {
  test.each(cases)('behavior: a bad e2e.yml ($what) is a ConfigError naming the file, key, expected and found', ({ what, yaml, key, expected, found }) => {
    const repo = repoWith(yaml, what)
    let caught: unknown
    try {
      loadSandboxFile({ repo, env: {} })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    const error = caught as ConfigError
    expect(error.file).toContain(join(what.replaceAll(' ', '-'), 'e2e', 'e2e.yml'))
    if (key !== null) expect(error.key).toBe(key)
    expect(error.details.find((d) => d.startsWith('expected: '))).toContain(expected)
    expect(error.details.find((d) => d.startsWith('found: '))).toContain(found)
  })

  test('behavior: a missing e2e.yml names the path it looked for', () => {
    expect(() => loadSandboxFile({ repo: join(root, 'nothing-here') })).toThrow(/No e2e\/e2e\.yml in .*nothing-here/)
  })

  test('behavior: ${VAR:-default} is expanded from the environment, numbers included, and defaults apply', () => {
    const repo = repoWith('name: a\ntest_command: run ${WHAT:-tests}\ntimeout: ${T:-30}\ncleanup: ${C:-never}\nstack: { devnet: { fork: { url: "${FORK_URL:-}" } } }', 'expand')
    const withDefaults = loadSandboxFile({ repo, env: {} }).spec
    expect(withDefaults).toMatchObject({ test_command: 'run tests', timeout: 30, cleanup: 'never', stack: { devnet: { block_time: 1, fork: { url: '' } } } })
    const set = loadSandboxFile({ repo, env: { WHAT: 'e2e', T: '5', C: 'on_success', FORK_URL: 'http://fork' } }).spec
    expect(set).toMatchObject({ test_command: 'run e2e', timeout: 5, cleanup: 'on_success', stack: { devnet: { fork: { url: 'http://fork' } } } })
  })

  test('behavior: service references are kept for later, and may name any declared service', () => {
    const repo = repoWith('name: a\ntest_command: x\nstack: { orderbook: stub, processes: [ { name: my-bot, command: "node b.js --port ${PORT}" } ] }\nhealth_checks: [ { name: h, url: "${services.my-bot.url}/h" }, { name: p, port: "${services.orderbook.port}" } ]', 'refs')
    const { spec } = loadSandboxFile({ repo, env: {} })
    expect(spec.stack.processes?.[0]?.command).toBe('node b.js --port ${PORT}')
    expect(spec.health_checks).toEqual([{ name: 'h', url: '${services.my-bot.url}/h' }, { name: 'p', port: '${services.orderbook.port}' }])
  })
})
