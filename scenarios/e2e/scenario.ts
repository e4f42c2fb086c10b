import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { e2eModules } from './triggers.ts'

export default defineScenario({
  name: 'e2e',
  description:
    'Given a 1 s devnet and all five modules, when a TWAP is created, an EthFlow order is placed, the oracle falls below the stop-loss trigger and the price-alert threshold, and ETH is sent to a tracked address, then every module reaches its terminal marker: TWAP parts and the stop-loss order at the orderbook, the EthFlow order verified, and one price and one balance alert.',
  // Strict stub (the real validity: >= 60 s left): blocks every 1 s carry 12 s of chain time (the
  // default devnet.blockSeconds) and the TWAP's parts are 120 s = 10 blocks apart (e2e.test.ts).
  devnet: { blockTime: 1 },
  engine: { mode: 'process', modules: e2eModules },
  warmupBlocks: 3,
  drainBlocks: 3,
})
