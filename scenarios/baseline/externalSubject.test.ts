import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runScenario, type ScenarioRun } from '../../harness/scenario/runScenario.ts'
import { defineScenario, type ScenarioDefinition } from '../../harness/scenario/defineScenario.ts'
import { toReportResult } from '../../harness/scenario/toReportResult.ts'
import { renderReport } from '../../harness/report/renderReport.ts'
import baseline from './scenario.ts'

// A bot that is not Shepherd (fixtures/external-bot/bot.mjs: viem + fetch, no import of ours) as
// the subject of the baseline scenario. The judges read only ground truth (the chain and what the
// stub received), so the honest bot passes and each lossy variant fails on its own bar.
const bot = resolve('fixtures/external-bot/bot.mjs')
const withBot = (name: string, args: string[] = [], change: Partial<ScenarioDefinition> = {}) =>
  defineScenario({ ...baseline, name, subject: { command: process.execPath, args: [bot, ...args], ready: { logLine: 'bot: watching' }, stop: 'SIGTERM' }, ...change })
const failing = (run: ScenarioRun) => run.verdict.bars.filter((b) => !b.pass).map((b) => b.name)
const statusOf = (run: ScenarioRun, name: string) => run.verdict.bars.find((b) => b.name === name)?.status
const short = (blocks: number) => ({ load: { ...baseline.load!, blocks: { full: blocks, ci: blocks } } })
const logs: string[] = []
const log = (line: string) => logs.push(line)

describe('baseline with an external subject', () => {
  test('scenario: the honest external bot passes every ground-truth bar; the engine-only bars are not measured for this subject', async () => {
    const run = await runScenario(withBot('baseline-external-bot'), { scale: 'ci', log })
    expect(run.truth.twap.expected).toBeGreaterThan(0)
    expect(run.truth.ethFlow.placed).toBeGreaterThan(0)
    expect(failing(run)).toEqual([])
    for (const name of ['TWAP delivery', 'EthFlow observed', 'EthFlow never posted', 'Duplicates', 'Unexplained orders', 'p99 block-to-submission']) expect(statusOf(run, name)).toBe('pass')
    for (const name of ['Module errors', 'Traps', 'Poisoned modules']) {
      expect(statusOf(run, name)).toBe('not applicable')
      expect(run.verdict.bars.find((b) => b.name === name)!.measured).toMatch(/^not measured for this subject \(external command: .*bot\.mjs\)/)
    }
    expect(run.notes.join('\n')).toMatch(/subject: external command: .*bot\.mjs; it serves no Shepherd metrics/)
    // The report names the subject and shows its block-to-submission (ground truth), not our modules.
    const result = toReportResult(run)
    expect(result.metadata.parameters.modules).toEqual([expect.stringMatching(/^external command: .*bot\.mjs$/)])
    expect(result.latency).toEqual([expect.objectContaining({ module: result.metadata.parameters.modules[0], blockToSubmission: expect.objectContaining({ count: run.truth.twap.delivered }) })])
    const markdown = renderReport(result)
    expect(markdown).toMatch(/\*\*Verdict: PASS\*\*/)
    expect(markdown).toMatch(/\| n\/a \| Traps \| .* \| not measured for this subject \(external command: /)
  })

  test('scenario: the bot that drops every tenth part fails TWAP delivery (and only that bar)', async () => {
    const run = await runScenario(withBot('baseline-bot-drops', ['--drop-every-tenth'], short(10)), { scale: 'ci', log })
    expect(failing(run)).toEqual(['TWAP delivery'])
    // About one part in ten is missing (parts dropped in the drain are not required).
    expect(run.truth.twap.missing.length).toBeGreaterThan(0)
    expect(run.truth.twap.missing.length).toBeLessThanOrEqual(Math.ceil(run.truth.twap.expected / 10) + 1)
  })

  test('scenario: the bot that posts one part twice fails Duplicates (and only that bar)', async () => {
    const run = await runScenario(withBot('baseline-bot-duplicates', ['--duplicate-one'], short(10)), { scale: 'ci', log })
    expect(failing(run)).toEqual(['Duplicates'])
    expect(run.truth.twap.duplicates).toBe(1)
  })

  // Parts of 600 s (50 blocks of 12 s chain time) stay tradeable through the stall (30 blocks, 360 s)
  // with 240 s left, more than the strict stub's 60 s, so a late post is still a delivery: only the
  // latency bar can see the 30 blocks the bot lost. (Parts of 120 s, 10 blocks, expired in the stall.)
  test('scenario: the bot that stalls for 30 blocks fails p99 block-to-submission (and only that bar)', async () => {
    const stall = { ...short(10), load: { ...baseline.load!, blocks: { full: 10, ci: 10 }, twap: { t: 600, n: 2 } }, drainBlocks: 25 }
    const run = await runScenario(withBot('baseline-bot-stalls', ['--stall-blocks=30'], stall), { scale: 'ci', log })
    expect(failing(run)).toEqual(['p99 block-to-submission'])
    expect(run.submissionLatencyMs.max).toBeGreaterThan(20_000)
  })
})
