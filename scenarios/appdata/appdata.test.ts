import { expect, test } from 'vitest'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import scenario from './scenario.ts'

test('scenario: appdata (baseline load with realistic appData) meets every bar, appData intact included, judged from ground truth', async () => {
  const { run } = await runAndReport(scenario)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.verdict.bars.find((bar) => bar.name === 'appData intact')).toMatchObject({ status: 'pass' })
  // Every document of the mix was registered, and the judged parts carried them.
  expect(run.load!.appData.map((d) => d.name)).toEqual(['app-code', 'partner-fee-referrer', 'hooks', 'large'])
  expect(run.truth.appData!.checked).toBeGreaterThanOrEqual(run.truth.twap.expected)
  expect(run.truth.appData!.intact).toBe(run.truth.appData!.checked)
  expect(run.truth.ethFlow.placed).toBeGreaterThan(0)
  // EthFlow orders too: the orderbook shows each with the document its OrderPlacement named.
  expect(run.verdict.bars.find((bar) => bar.name === 'EthFlow appData intact')).toMatchObject({ status: 'pass' })
  expect(run.truth.ethFlowAppData!.checked).toBe(run.truth.ethFlow.observed)
})
