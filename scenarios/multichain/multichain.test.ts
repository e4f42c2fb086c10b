import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { currentScale } from '../../harness/scenario/defineScenario.ts'
import { runMultichain } from '../../harness/scenario/multichain/runMultichain.ts'
import { writeMultichainReport } from '../../harness/scenario/multichain/writeMultichainReport.ts'
import { whyFailed } from '../../harness/scenario/whyFailed.ts'
import scenario, { plan } from './scenario.ts'

test('scenario: one engine on two chains; chain 100 RPC down for its outage blocks: chain 11155111 cursor, deliveries and latency unaffected, chain 100 backfills with nothing lost; EthFlow verified on both', async () => {
  const run = await runMultichain(scenario, plan, { scale: currentScale() })
  const paths = writeMultichainReport(run)
  expect(paths.markdown).toMatch(/reports\/multichain-\d{4}-\d{2}-\d{2}/)
  // The report is overwritten by a retry: the message keeps the first attempt's failed bars (Module errors names module, kind and chain).
  expect(run.verdict.bars.filter((bar) => !bar.pass).map((bar) => bar.name), whyFailed(run)).toEqual([])
  expect(run.evidence.steady.expected).toBeGreaterThan(0)
  expect(run.evidence.faulted.expected).toBeGreaterThan(0)
  expect(run.verdict.figures.outageParts).toBeGreaterThan(0)
  // EthFlow load on both chains, each order verified at its own chain's stub.
  for (const chain of [run.evidence.steady, run.evidence.faulted]) {
    expect(chain.ethFlow.placed).toBeGreaterThan(0)
    expect(chain.ethFlow.observed).toBe(chain.ethFlow.placed)
  }
  expect(readFileSync(paths.markdown, 'utf8')).toContain('## Errors, traps and poison')
})
