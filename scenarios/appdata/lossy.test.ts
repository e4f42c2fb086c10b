import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { runScenario } from '../../harness/scenario/runScenario.ts'
import appdata from './scenario.ts'

// The bar must be able to fail on a real run: the external bot (fixtures/external-bot) posts every
// part with the empty appData instead of the one its TWAP named. Only ground truth can tell: the
// stub accepts each such order (it knows "{}"), under a UID no expected part has. The real service
// would already refuse such a post at its EIP-1271 check (the part's digest covers its appData, so the
// owner's ForwarderOwner does not sign it): that check is off here, so that the orders reach the
// ground-truth bar behind it, which must catch them on its own.
test('judge: a watcher that posts the empty appData fails "appData intact", naming the hash it should have carried', async () => {
  const bot = resolve('fixtures/external-bot/bot.mjs')
  const lossy = defineScenario({
    ...appdata,
    name: 'appdata-empty-appdata',
    subject: { command: process.execPath, args: [bot, '--empty-appdata'], ready: { logLine: 'bot: watching' }, stop: 'SIGTERM' },
    load: { ...appdata.load!, blocks: { full: 6, ci: 6 } },
    orderbook: { ...appdata.orderbook, checks: { eip1271: false } },
  })
  const run = await runScenario(lossy, { scale: 'ci', log: () => {} })
  const bar = run.verdict.bars.find((b) => b.name === 'appData intact')
  expect(run.verdict.pass).toBe(false)
  expect(bar).toMatchObject({ status: 'fail' })
  expect(run.truth.appData!.checked).toBeGreaterThan(0)
  expect(run.truth.appData!.intact).toBe(0)
  expect(run.truth.appData!.violations.every((v) => v.found === '0xb48d38f93eaa084033fc5970bf96e559c33c4cdc07d889ab00b4d63f9590739d' && v.expected !== v.found)).toBe(true)
  expect(bar!.measured).toMatch(/^0\/\d+ intact; \d+ not: .*carries another appData than its creation named/)
})
