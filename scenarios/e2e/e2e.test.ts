import { expect, test } from 'vitest'
import type { BarResult } from '../../harness/scenario/judge.ts'
import { sumOf } from '../../harness/scenario/prometheus.ts'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import type { ScenarioContext } from '../../harness/scenario/runScenario.ts'
import scenario from './scenario.ts'
import { fireE2eTriggers, stopLossPosts } from './triggers.ts'

/** Fires the triggers, then waits (bounded) for each module's evidence: the stub's record and the engine's metrics. */
async function triggersAndEvidence({ devnet, orderbook, scrape, log }: ScenarioContext) {
  const fired = await fireE2eTriggers(devnet)
  log(`triggers fired: TWAP at block ${fired.twapCreatedBlock}, EthFlow ${fired.ethFlowUid.slice(0, 18)}..., oracle at ${fired.oracleBlock}, transfer at ${fired.transferBlock}`)
  const evidence = async () => {
    const metrics = await scrape()
    return {
      stopLoss: stopLossPosts(orderbook.record.entries).filter((e) => e.status === 201).length,
      ethFlow: orderbook.record.entries.some((e) => e.method === 'GET' && e.uid === fired.ethFlowUid.toLowerCase() && e.status === 200),
      priceAlerts: sumOf(metrics, 'shepherd_module_alerts_total', { module: 'price-alert' }),
      balanceAlerts: sumOf(metrics, 'shepherd_module_alerts_total', { module: 'balance-tracker' }),
    }
  }
  // Up to 40 s, and at least until the TWAP's 3 parts (4 s apart) have all started.
  const started = Date.now()
  let seen = await evidence()
  while (Date.now() - started < 40_000 && (Date.now() - started < 12_000 || !(seen.stopLoss && seen.ethFlow && seen.priceAlerts && seen.balanceAlerts))) {
    await new Promise((r) => setTimeout(r, 500))
    seen = await evidence()
  }
  const bars: BarResult[] = [
    { name: 'stop-loss submitted', bar: 'its PreSign order accepted by the orderbook exactly once (submitted:)', measured: `${seen.stopLoss} accepted`, pass: seen.stopLoss === 1 },
    { name: 'ethflow-watcher observed', bar: 'the EthFlow order verified at the orderbook (observed:)', measured: seen.ethFlow ? 'verified' : 'not verified', pass: seen.ethFlow },
    { name: 'price-alert alerted', bar: 'exactly one price-threshold alert', measured: `${seen.priceAlerts} alerts`, pass: seen.priceAlerts === 1 },
    { name: 'balance-tracker alerted', bar: 'at least one balance-change alert', measured: `${seen.balanceAlerts} alerts`, pass: seen.balanceAlerts >= 1 },
  ]
  return { bars }
}

test('scenario: e2e, every module reaches its terminal marker and the checklist names each one', async () => {
  const { run } = await runAndReport(scenario, { during: triggersAndEvidence })
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBe(3)
  expect(run.verdict.bars.map((bar) => bar.name)).toEqual(expect.arrayContaining(['TWAP delivery', 'EthFlow observed', 'stop-loss submitted', 'ethflow-watcher observed', 'price-alert alerted', 'balance-tracker alerted']))
})
