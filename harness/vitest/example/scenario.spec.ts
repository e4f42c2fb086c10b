// The user's module in a scenario on CI, judged from ground truth with the matchers
// (in your repository: from 'shepherd/harness'; the matchers come with shepherdVitest()).
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { defineScenario } from '../../scenario/defineScenario.ts'
import { runScenario } from '../../scenario/runScenario.ts'

const scenario = defineScenario({
  name: 'twap-ledger-baseline',
  description: 'Given a 1 s devnet and 5 TWAPs + 5 EthFlow orders per block, when twap-ledger runs beside twap-monitor and ethflow-watcher, then every part reaches the orderbook once and no module reports an error.',
  devnet: { blockTime: 1 },
  // The stub is strict (the real orderbook's validity: >= 60 s left at the post): each block carries
  // 12 s of chain time (devnet.blockSeconds' default) and the load's TWAP parts are 120 s apart.
  engine: { modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }, { name: 'twap-ledger', path: fileURLToPath(new URL('./twapLedger.ts', import.meta.url)) }] },
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 60, ci: 10 } },
})

test('scenario: twap-ledger beside the built-in watchers passes every bar', async () => {
  const run = await runScenario(scenario, { scale: 'ci' })
  expect(run).toPass()
  expect(run).toDeliverEveryPart()
  expect(run).toHaveNoDuplicates()
  expect(run).toHaveBar('Module errors', 'PASS')
})
