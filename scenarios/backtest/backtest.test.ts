import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { renderBacktestJson, renderBacktestReport } from '../../harness/replay/renderBacktestReport.ts'
import { runBacktest } from '../../harness/replay/replay.ts'
import { readCassetteHeader } from '../../harness/replay/cassette.ts'

const cassettes = readdirSync('fixtures').filter((f) => /\.ndjson(\.gz)?$/.test(f)).map((f) => join('fixtures', f))

describe('backtest: every committed cassette', () => {
  test('behavior: there is at least one committed cassette', () => {
    expect(cassettes.length).toBeGreaterThan(0)
  })

  for (const cassette of cassettes)
    test(`behavior: ${cassette} replays with no network, passes the bar and does not drift`, async () => {
      const run = await runBacktest({ cassette, drift: true })
      const name = cassette.replace(/^fixtures\//, '').replace(/\.ndjson(\.gz)?$/, '')
      mkdirSync('reports', { recursive: true })
      writeFileSync(`reports/backtest-${name}.md`, renderBacktestReport(run.result))
      writeFileSync(`reports/backtest-${name}.json`, renderBacktestJson(run.result))
      console.info(`backtest ${cassette}: ${run.blocks} blocks in ${Math.round(run.durationMs)} ms (${Math.round(run.blocksPerSecond)} blocks/s)`)
      expect(run.result.failures).toEqual([])
      expect(run.result.passed).toBe(true)
      expect(run.result.events.length).toBeGreaterThan(0)
    })
})

describe('backtest: the devnet cassette', () => {
  const cassette = 'fixtures/devnet-sepolia.ndjson.gz'

  test('behavior: two replays of the same cassette give byte-identical reports', async () => {
    const first = await runBacktest({ cassette, drift: true })
    const second = await runBacktest({ cassette, drift: true })
    expect(renderBacktestJson(second.result)).toBe(renderBacktestJson(first.result))
    expect(renderBacktestReport(second.result)).toBe(renderBacktestReport(first.result))
  })

  test('behavior: a changed price-alert threshold makes the drift check fail and names the differences', async () => {
    const header = await readCassetteHeader(cassette)
    const priceAlert = header.modules.find((m) => m.name === 'price-alert')!
    const changed = { ...priceAlert, config: { ...priceAlert.config, threshold: '2300' } }
    const run = await runBacktest({ cassette, modules: [changed], drift: true })
    expect(run.result.passed).toBe(false)
    const differences = run.result.drift!.differences
    expect(differences.length).toBeGreaterThan(0)
    expect(differences.every((d) => d.module === 'price-alert')).toBe(true)
    expect(differences.some((d) => d.change === 'missing' && d.kind === 'alert')).toBe(true)
    expect(renderBacktestReport(run.result)).toContain('## Drift against the recording')
  })

  test('behavior: the cassette covers the required activity', async () => {
    const run = await runBacktest({ cassette })
    const header = await readCassetteHeader(cassette)
    expect(header.recordedOn).toMatch(/local devnet/)
    expect(run.blocks).toBeGreaterThan(1000)
    const count = (module: string, cls: string) => run.result.events.filter((e) => e.module === module && e.class === cls).length
    expect(count('twap-monitor', 'submitted')).toBeGreaterThan(4)
    expect(count('price-alert', 'alert')).toBeGreaterThan(0)
    expect(count('stop-loss', 'alert')).toBeGreaterThan(0)
    expect(count('balance-tracker', 'alert')).toBeGreaterThan(0)
    expect(run.result.totals['rejected-expected']).toBeGreaterThan(0)
  })
})

describe('backtest: what if the orderbook had answered otherwise', () => {
  const cassette = 'fixtures/devnet-sepolia.ndjson.gz'

  test('behavior: with a stub that refuses every post as InsufficientBalance, the bar fails and lists each refused UID and block', async () => {
    const rules = [{ name: 'refuse-all', match: { method: 'POST', path: '/api/v1/orders' }, respond: { status: 400, errorType: 'InsufficientBalance', description: 'order owner must have funds' } }]
    const run = await runBacktest({ cassette, modules: ['stop-loss'], orderbook: { rules } })
    expect(run.result.passed).toBe(false)
    expect(run.result.nonPassing.length).toBeGreaterThan(0)
    for (const event of run.result.nonPassing) {
      expect(event).toMatchObject({ module: 'stop-loss', class: 'rejected-unexpected', reason: 'InsufficientBalance' })
      expect(event.uid).toMatch(/^0x[0-9a-f]{112}$/)
    }
    expect(renderBacktestReport(run.result)).toContain('rejected-unexpected')
  })

  test('behavior: accept-all turns the recorded DuplicatedOrder refusals into submissions', async () => {
    const run = await runBacktest({ cassette, modules: ['twap-monitor'], orderbook: 'accept-all' })
    expect(run.result.totals['rejected-expected']).toBe(0)
    expect(run.result.totals.submitted).toBeGreaterThan(0)
    expect(run.result.passed).toBe(true)
  })
})
