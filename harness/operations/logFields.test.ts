import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test, vi } from 'vitest'
import { createLogger } from '../../engine/host/createLogger.ts'
import { memoryEngine } from '../../engine/testing/memoryEngine.ts'

// The deployment guide's table of log fields ("Logs (JSON lines)") against what a live engine
// writes: every line one JSON object with time, level and msg; `component` only with a value the
// guide lists; the reorg line with the fields the guide names, block numbers as strings.
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const guide = readFileSync(join(process.cwd(), 'docs/operations/deployment.md'), 'utf8')
/** The code spans of the guide's table row for `field`, e.g. the components it lists. */
function documented(field: string): string[] {
  const row = guide.split('\n').find((line) => line.startsWith(`| \`${field}\` |`))
  expect(row, `the guide's log table has a row for ${field}`).toBeDefined()
  return [...row!.split('|')[3]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)
}

test('behavior: a live engine\'s log lines carry the fields the deployment guide documents', async () => {
  const lines: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-logfields-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const { chain, start } = memoryEngine({ dir, metrics: true, modules: '' })
  const engine = await start(createLogger({ level: 'debug', write: (line) => lines.push(line) }))
  let stopped = false
  cleanups.push(() => (stopped ? undefined : engine.stop()))
  chain.mine(Array.from({ length: 6 }, () => []))
  await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(6n), { timeout: 10_000 })
  chain.reorg(3, [[], [], [], []])
  await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(7n), { timeout: 10_000 })
  await engine.stop()
  stopped = true

  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  expect(parsed.length).toBeGreaterThan(2)
  const levels = documented('level')
  expect(levels).toEqual(['debug', 'info', 'warn', 'error'])
  const components = documented('component')
  for (const line of parsed) {
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(levels).toContain(line.level)
    expect(typeof line.msg).toBe('string')
    if ('component' in line) expect(components, `component of "${String(line.msg)}"`).toContain(line.component)
  }
  expect(components.filter((c) => ['ingest', 'dispatch', 'store', 'metrics'].includes(c))).toHaveLength(4)
  // The top-level lines have no component, as the guide says.
  expect(parsed.find((l) => l.msg === 'engine started')).not.toHaveProperty('component')
  expect(parsed.at(-1)).toMatchObject({ msg: 'graceful shutdown complete', level: 'info' })
  // The reorg line: the fields the guide names, block numbers as strings.
  const reorg = parsed.find((l) => l.msg === 'reorg detected')
  expect(reorg).toMatchObject({ level: 'warn', component: 'ingest', chainId: 11155111, fromBlock: '4', depth: 3, removedLogs: 0 })
  for (const field of ['fromBlock', 'depth', 'removedLogs']) expect(guide).toContain(`\`${field}\``)
})
