import { expect, test } from 'vitest'
import type { BarResult } from '../../harness/scenario/judge.ts'
import { counterTotals, total } from '../../harness/scenario/runMetrics.ts'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import type { ScenarioContext } from '../../harness/scenario/runScenario.ts'
import { blockSecondsOf, scenarioTwapShape } from '../../harness/scenario/defineScenario.ts'
import scenario from './scenario.ts'
import { fireE2eTriggers, stopLossPosts } from './triggers.ts'

/** Fires the triggers, then waits (bounded) for each module's evidence: the stub's record and the engine's metrics. */
async function triggersAndEvidence({ devnet, orderbook, scrape, log }: ScenarioContext) {
  // TWAP parts 10 blocks of chain time apart (120 s at the default 12 s per block): each posted part
  // has the 60 s the strict stub (the real validity window) asks.
  const partSeconds = scenarioTwapShape(scenario).t!
  const fired = await fireE2eTriggers(devnet, { orderbookUrl: orderbook.baseUrl, partSeconds })
  log(`triggers fired: TWAP at block ${fired.twapCreatedBlock}, EthFlow ${fired.ethFlowUid.slice(0, 18)}..., oracle at ${fired.oracleBlock}, transfer at ${fired.transferBlock}`)
  const evidence = async () => {
    const alerts = counterTotals(await scrape(), 'shepherd_module_alerts_total', ['module'])
    // A missing alerts metric is not 0 alerts: it reads as NaN, which fails both alert bars.
    const alertsOf = (module: string) => {
      const count = total(alerts, { module })
      return 'value' in count ? count.value : Number.NaN
    }
    return {
      stopLoss: stopLossPosts(orderbook.record.entries).filter((e) => e.status === 201).length,
      ethFlow: orderbook.record.entries.some((e) => e.method === 'GET' && e.uid === fired.ethFlowUid.toLowerCase() && e.status === 200),
      priceAlerts: alertsOf('price-alert'),
      balanceAlerts: alertsOf('balance-tracker'),
    }
  }
  // Until the TWAP's 3 parts (2 x partBlocks blocks after the first) have all started, plus 3 blocks,
  // and at most 30 s more for the other modules' evidence.
  const partBlocks = partSeconds / blockSecondsOf(scenario)
  const allStartedMs = (2 * partBlocks + 3) * scenario.devnet.blockTime * 1000
  const started = Date.now()
  let seen = await evidence()
  while (Date.now() - started < allStartedMs + 30_000 && (Date.now() - started < allStartedMs || !(seen.stopLoss && seen.ethFlow && seen.priceAlerts && seen.balanceAlerts))) {
    await new Promise((r) => setTimeout(r, 500))
    seen = await evidence()
  }
  const bars: BarResult[] = [
    { name: 'stop-loss submitted', bar: 'its PreSign order accepted by the orderbook exactly once (submitted:)', measured: `${seen.stopLoss} accepted`, pass: seen.stopLoss === 1 },
    { name: 'ethflow-watcher observed', bar: 'the EthFlow order verified at the orderbook (observed:)', measured: seen.ethFlow ? 'verified' : 'not verified', pass: seen.ethFlow },
    { name: 'price-alert alerted', bar: 'exactly one price-threshold alert', measured: `${seen.priceAlerts} alerts`, pass: seen.priceAlerts === 1 },
    { name: 'balance-tracker alerted', bar: 'at least one balance-change alert', measured: `${seen.balanceAlerts} alerts`, pass: seen.balanceAlerts >= 1 },
  ]
  // The stop-loss order is this scenario's own expected order: it explains one accepted post.
  const explainedOrders = stopLossPosts(orderbook.record.entries)
    .filter((e) => e.status === 201 && e.uid)
    .map((e) => ({ uid: e.uid!, why: 'the e2e stop-loss order (PreSign, from the stop-loss owner)' }))
  return { bars, explainedOrders }
}

test('scenario: e2e, every module reaches its terminal marker and the checklist names each one', async () => {
  const { run } = await runAndReport(scenario, { during: triggersAndEvidence })
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBe(3)
  expect(run.verdict.bars.map((bar) => bar.name)).toEqual(expect.arrayContaining(['TWAP delivery', 'EthFlow observed', 'stop-loss submitted', 'ethflow-watcher observed', 'price-alert alerted', 'balance-tracker alerted', 'appData intact']))
  // The TWAP's parts carried the appData it named (a partner fee and referrer document).
  expect(run.truth.appData).toMatchObject({ checked: 3, intact: 3, violations: [] })
})
