import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { compressedTimeValidity } from '../../harness/scenario/compressedTimeValidity.ts'

export default defineScenario({
  name: 'appdata',
  description:
    'Given a 1 s devnet and 1 sender creating 5 TWAPs and 5 EthFlow orders per block whose appData are realistic documents (an app code; a partner fee and a referrer; hooks; a 7.9 kB document), each registered at the orderbook with PUT /api/v1/app_data/{hash} before the first order, when twap-monitor and ethflow-watcher run, then every expected TWAP part reaches the orderbook exactly once carrying the appData hash its TWAP named with its document at the orderbook, every EthFlow order is verified, and p99 block-to-submission stays under one block.',
  devnet: { blockTime: 1 },
  // TWAP parts seconds apart: an expired part is refused, one with under 60 s left is not.
  orderbook: { validity: compressedTimeValidity },
  // As baseline: the engine as its own process, reaching the stub over HTTP.
  engine: { mode: 'process', modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }] },
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 15 }, appData: 'mix' },
})
