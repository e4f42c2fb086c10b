import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runChild } from '../ci/runChild.ts'

// The alerting rules in docs/operations/prometheus, judged by Prometheus' own tool: `promtool check
// rules` (syntax, PromQL, templates) and `promtool test rules` (alerts.test.yml: series that reproduce
// each condition and healthy neighbours that must stay quiet). promtool comes from Debian's
// prometheus package; .ci/run installs it when missing. A machine without it FAILS here: a rule file
// nobody ran is not a tested one.
const dir = join(process.cwd(), 'docs/operations/prometheus')
const scratch = mkdtempSync(join(tmpdir(), 'shepherd-promtool-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const promtool = (args: string[], cwd = dir) => runChild('promtool', args, { cwd, timeoutMs: 60_000 }).catch((error: unknown) => {
  throw new Error(`promtool could not run (${String(error)}): install Debian's prometheus package (apt-get install prometheus), as .ci/run does when it is missing`)
})

describe('Prometheus rules and scrape config', () => {
  test('behavior: promtool accepts alerts.yml and scrape.yml', async () => {
    const rules = await promtool(['check', 'rules', 'alerts.yml'])
    expect(rules.stdout + rules.stderr).toMatch(/SUCCESS: \d+ rules found/)
    expect(rules.code, rules.stdout + rules.stderr).toBe(0)
    const config = await promtool(['check', 'config', 'scrape.yml'])
    expect(config.code, config.stdout + config.stderr).toBe(0)
  })

  test('behavior: every alert passes its promtool unit test (alerts.test.yml), and every alert has one', async () => {
    const run = await promtool(['test', 'rules', 'alerts.test.yml'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain('SUCCESS')
    const alerts = [...readFileSync(join(dir, 'alerts.yml'), 'utf8').matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1])
    const tested = new Set([...readFileSync(join(dir, 'alerts.test.yml'), 'utf8').matchAll(/alertname: (\w+)$/gm)].map((m) => m[1]))
    expect(alerts.length).toBeGreaterThanOrEqual(8)
    expect(alerts.filter((a) => !tested.has(a))).toEqual([])
  })

  test('behavior: the unit tests catch a broken rule (a threshold raised, a for: dropped)', async () => {
    const mutants: Array<[string, string, string]> = [
      ['lag threshold 50 -> 500', 'shepherd_chain_lag_blocks) > 50', 'shepherd_chain_lag_blocks) > 500'],
      ['ShepherdDown without its for: 2m', "up{job=\"shepherd\"} == 0\n        for: 2m", 'up{job="shepherd"} == 0'],
      ['order-level rejections counted as failures', 'outcome=~"transport|http_429|http_5.."', 'outcome!~"accepted"'],
    ]
    const original = readFileSync(join(dir, 'alerts.yml'), 'utf8')
    for (const [name, from, to] of mutants) {
      expect(original, name).toContain(from)
      const work = mkdtempSync(join(scratch, 'mutant-'))
      cpSync(join(dir, 'alerts.test.yml'), join(work, 'alerts.test.yml'))
      writeFileSync(join(work, 'alerts.yml'), original.replace(from, to))
      const run = await promtool(['test', 'rules', 'alerts.test.yml'], work)
      expect(run.code, `${name}: promtool test rules should fail\n${run.stdout}`).not.toBe(0)
    }
  })
})
