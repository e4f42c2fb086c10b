import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { compressedTimeValidity } from '../../harness/scenario/compressedTimeValidity.ts'

export default defineScenario({
  name: 'baseline',
  description: 'Given a 1 s devnet and 1 sender creating 5 TWAPs and 5 EthFlow orders per block, when twap-monitor and ethflow-watcher run, then every expected TWAP part reaches the orderbook exactly once, every EthFlow order is verified, and p99 block-to-submission stays under one block.',
  devnet: { blockTime: 1 },
  // The engine runs as its own process (as in production), reaching the stub over HTTP.
  engine: { mode: 'process', modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }] },
  // TWAP parts 5 s apart: an expired part is refused, one with under 60 s left is not.
  orderbook: { validity: compressedTimeValidity },
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 20 } },
  comparison: {
    source: 'the Rust original, from its published load reports',
    rows: [{ metric: 'twap dispatch p99', reference: '49 ms' }],
    notes: ['Dispatch: time a module takes to handle one block event (the engine histogram, over the load window). The Rust figure is its own dispatch measure.'],
  },
})
