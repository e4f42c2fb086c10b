import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'

// Each alert names the runbook section that says what to do: its `runbook_url` annotation is a path
// in this repository with an anchor, and the anchor must be a heading of that file (GitHub's slug:
// lower case, punctuation dropped, spaces to hyphens). The handbook's own relative links are held to
// the same rule, so a renamed heading breaks a test, not an operator's night.
const root = process.cwd()

/** GitHub's anchor for a heading text. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The anchors of a markdown file's headings (code blocks skipped; repeats get -1, -2 as on GitHub). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*$/.exec(line)
    if (!heading) continue
    const slug = slugOf(heading[1]!)
    const n = seen.get(slug) ?? 0
    seen.set(slug, n + 1)
    anchors.add(n === 0 ? slug : `${slug}-${n}`)
  }
  return anchors
}

/** Why `link` (relative to `from`, a repository path) does not resolve, or undefined when it does. */
function brokenLink(from: string, link: string): string | undefined {
  if (/^[a-z]+:/i.test(link)) return undefined
  const [path = '', anchor] = link.split('#')
  const target = path === '' ? from : relative(root, join(root, dirname(from), path))
  if (!existsSync(join(root, target))) return `${from}: ${link}: ${target} does not exist`
  if (anchor === undefined) return undefined
  if (!target.endsWith('.md')) return `${from}: ${link}: an anchor into a file that is not markdown`
  return anchorsOf(readFileSync(join(root, target), 'utf8')).has(anchor) ? undefined : `${from}: ${link}: no heading "#${anchor}" in ${target}`
}

type Rule = { alert: string; annotations?: Record<string, string> }
const alertsFile = 'docs/operations/prometheus/alerts.yml'
const rules = (parseAllDocuments(readFileSync(join(root, alertsFile), 'utf8'))[0]!.toJS() as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules)

/** Problems of the alerts' runbook links: missing, not resolving, or not a section named for the alert. */
function runbookProblems(alerts: Rule[]): string[] {
  return alerts.flatMap(({ alert, annotations }) => {
    const url = annotations?.runbook_url
    if (!url) return [`${alert}: no runbook_url annotation`]
    if (!url.includes('#')) return [`${alert}: runbook_url ${url} names a file, not a section`]
    // runbook_url is relative to the repository root (that is how it reads in an alert).
    const broken = brokenLink('README.md', url)
    if (broken) return [`${alert}: ${broken.replace('README.md: ', '')}`]
    return []
  })
}

/** Relative markdown links `[text](target)` of a file, outside code blocks and inline code. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
}

describe('runbook links', () => {
  test('behavior: every alert has a runbook_url naming an existing section, and its section carries a "What to do"', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8)
    expect(runbookProblems(rules)).toEqual([])
    const runbook = readFileSync(join(root, 'docs/operations/alerts-runbook.md'), 'utf8')
    for (const { alert, annotations } of rules) {
      const anchor = annotations!.runbook_url!.split('#')[1]!
      const section = runbook.split(/^## /m).find((s) => slugOf(s.split('\n')[0]!) === anchor)
      expect(section, `${alert}: a section of alerts-runbook.md`).toBeDefined()
      expect(section!, `${alert}: its section says what to do`).toContain('**What to do**')
    }
  })

  test('behavior: an alert without a runbook_url, with a file-only link, a missing file or a missing heading fails, naming it', () => {
    expect(
      runbookProblems([
        { alert: 'A', annotations: {} },
        { alert: 'B', annotations: { runbook_url: 'docs/operations/alerts-runbook.md' } },
        { alert: 'C', annotations: { runbook_url: 'docs/operations/no-such-runbook.md#shepherddown' } },
        { alert: 'D', annotations: { runbook_url: 'docs/operations/alerts-runbook.md#shepherd-down' } },
        { alert: 'E', annotations: { runbook_url: 'docs/operations/alerts-runbook.md#shepherddown' } },
      ]),
    ).toEqual([
      'A: no runbook_url annotation',
      'B: runbook_url docs/operations/alerts-runbook.md names a file, not a section',
      'C: docs/operations/no-such-runbook.md#shepherddown: docs/operations/no-such-runbook.md does not exist',
      'D: docs/operations/alerts-runbook.md#shepherd-down: no heading "#shepherd-down" in docs/operations/alerts-runbook.md',
    ])
  })

  test('behavior: headings become GitHub anchors (punctuation dropped, code spans kept as text, repeats numbered)', () => {
    expect([...anchorsOf('# Logs (JSON lines)\n## Past one machine: shards\n### `shard = "i/n"`\n```\n# not a heading\n```\n## Logs (JSON lines)\n')]).toEqual([
      'logs-json-lines',
      'past-one-machine-shards',
      'shard--in',
      'logs-json-lines-1',
    ])
  })

  test('behavior: the handbook\'s relative links (deployment guide, alerts runbook, capacity) resolve', () => {
    const files = ['docs/operations/deployment.md', 'docs/operations/alerts-runbook.md', 'docs/operations/capacity.md']
    const broken = files.flatMap((file) => linksOf(readFileSync(join(root, file), 'utf8')).map((link) => brokenLink(file, link)).filter((b) => b !== undefined))
    expect(broken).toEqual([])
    expect(linksOf(readFileSync(join(root, files[1]!), 'utf8')).length).toBeGreaterThan(5)
  })
})
