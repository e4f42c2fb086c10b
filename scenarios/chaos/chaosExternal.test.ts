import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { runScenario, type ScenarioRun } from '../../harness/scenario/runScenario.ts'
import type { ExternalSubject } from '../../harness/scenario/subject/subjectTypes.ts'
import { whyFailed } from '../../harness/scenario/whyFailed.ts'
import { chaosDuring } from './runChaos.ts'
import chaos from './scenario.ts'

// The chaos scenario with a bot that is not Shepherd (fixtures/external-bot/bot.mjs) as its subject:
// the same faults (RPC failures and WebSocket drops through the fault proxy, 5xx and 429 on posts, a
// depth-3 reorg, a SIGKILL of its process group and a restart of the same command), judged on the
// ground-truth chaos bars and the standard delivery and duplicates bars. The honest bot keeps the
// block it started from in its run folder and, after a restart, reads the logs again from there and
// asks the orderbook before posting a part of a rebuilt watch; the lossy variant that skips the
// question posts again parts accepted before the kill, and Duplicates catches it.
const bot = resolve('fixtures/external-bot/bot.mjs')
const withBot = (name: string, args: string[] = []) => {
  const subject: ExternalSubject = { command: process.execPath, args: [bot, ...args], ready: { logLine: 'bot: watching' }, stop: 'SIGTERM' }
  return defineScenario({ ...chaos, name, subject })
}
const failing = (run: ScenarioRun) => run.verdict.bars.filter((b) => !b.pass).map((b) => b.name)
// On a failure, the assertion's message (whyFailed) carries every failed bar with what it measured
// and the run's notes (the kill's timing among them): a flaky first attempt then names its cause.
const statusOf = (run: ScenarioRun, name: string) => run.verdict.bars.find((b) => b.name === name)?.status
const logs: string[] = []
const log = (line: string) => logs.push(line)
const runWith = (definition: ReturnType<typeof withBot>) =>
  runScenario(definition, {
    scale: 'ci',
    log,
    during: chaosDuring(),
  })

describe('chaos with an external subject', () => {
  test('scenario: the honest external bot passes every ground-truth chaos bar; the engine-only ones are not measured for this subject', async () => {
    const run = await runWith(withBot('chaos-external-bot'))
    expect(run.truth.twap.expected).toBeGreaterThan(0)
    expect(failing(run), whyFailed(run)).toEqual([])
    for (const name of ['TWAP delivery', 'Duplicates', 'Reorg removed the order', 'Nothing posted for the removed order', 'Control order posted', 'Subject killed', 'Subject resumed', 'Faults reached the subject', 'p99 block-to-submission'])
      expect([name, statusOf(run, name)]).toEqual([name, 'pass'])
    for (const name of ['Reorg visible', 'No block skipped', 'Every module got every block', 'Injected traps counted', 'RPC failures visible', 'WebSocket drops visible', 'Traps', 'Module errors'])
      expect([name, run.verdict.bars.find((b) => b.name === name)?.measured]).toEqual([name, expect.stringMatching(/^not measured for this subject \(external command: .*bot\.mjs/)])
    expect(run.verdict.bars.find((b) => b.name === 'Subject killed')?.measured).toMatch(/^pid \d+ exited by SIGKILL, pid gone$/)
    expect(run.notes.join('\n')).toMatch(/chaos bound p99LatencyMs = \d+: outage \d+ ms \(SIGKILL to the new process ready\)/)
    // The restarted bot rebuilt its watches from its state file (its own output says so).
    expect(logs.join('\n')).toMatch(/subject restarted \(pid \d+\)/)
  })

  test('scenario: the bot that posts again after a restart without asking the orderbook fails Duplicates', async () => {
    const run = await runWith(withBot('chaos-external-bot-reposts', ['--repost-on-restart']))
    expect(failing(run), whyFailed(run)).toContain('Duplicates')
    expect(run.truth.twap.duplicates).toBeGreaterThan(0)
    // Everything else it did is judged as for the honest bot. Its reposts of parts accepted long
    // before the kill have under 60 s left: the strict stub refuses them (InsufficientValidTo), as the
    // real orderbook would, and "No validity refusals" fails with Duplicates: both are its fault.
    expect(failing(run).filter((name) => name !== 'Duplicates' && name !== 'No validity refusals' && name !== 'p99 block-to-submission'), whyFailed(run)).toEqual([])
  })

  // What the bot did before it kept state: after the restart it watches from the head only, so the
  // later parts of every TWAP created before the kill are never posted, and neither is anything whose
  // creation fell into the outage: the EthFlow orders placed while it was down are never looked up,
  // and the control TWAP (created before the kill, first part due after it at CI scale) is lost too.
  // Nothing it did post is posted twice.
  test('scenario: the bot that forgets its watches on a restart fails TWAP delivery', async () => {
    const run = await runWith(withBot('chaos-external-bot-forgets', ['--forget-on-restart']))
    expect(failing(run), whyFailed(run)).toContain('TWAP delivery')
    expect(run.truth.twap.missing.length).toBeGreaterThan(0)
    const lostWithItsMemory = ['TWAP delivery', 'EthFlow observed', 'Control order posted', 'p99 block-to-submission']
    expect(failing(run).filter((name) => !lostWithItsMemory.includes(name)), whyFailed(run)).toEqual([])
  })
})
