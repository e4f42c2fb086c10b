import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { compressedTimeValidity } from '../../harness/scenario/compressedTimeValidity.ts'

/** Seconds between kills: 3-20 s at full length (the shape measured in the field), 4-10 s at CI scale. */
export const killIntervalSeconds = { full: [3, 20], ci: [4, 10] } as const

export default defineScenario({
  name: 'crash-loop',
  description:
    'Given a 1 s devnet and 1 sender creating 3 TWAPs (4 parts of 4 s) per block, when the engine process running twap-monitor is SIGKILLed at random intervals (3-20 s; 4-10 s at CI scale) and restarted each time from its state, then no part is posted twice, no part is posted after its validTo (judged by the chain time when the post reached the orderbook), and every part is posted exactly once unless its whole window passed while the engine was down or catching up (then it is not posted at all).',
  devnet: { blockTime: 1 },
  // TWAP parts seconds apart: an expired part is refused, one with under 60 s left is not.
  orderbook: { validity: compressedTimeValidity },
  engine: { mode: 'process', modules: [{ name: 'twap-monitor' }] },
  // Short parts, so some windows fall wholly inside an outage: a catching-up engine then meets parts
  // that are still valid at the block it handles and already expired at the head.
  load: { senders: 1, twapPerBlock: 3, ethFlowPerBlock: 0, blocks: { full: 600, ci: 90 }, twap: { n: 4, t: 4 } },
  drainBlocks: 10,
  // No EthFlow load: the crash loop is about TWAP parts.
  expectsNone: ['ethFlow'],
  // No fixed delivery, module-error or latency bounds: judgeCrashLoop derives each from the kill
  // schedule (parts whose whole window lay inside an outage may be missed, and recorded as
  // `part_missed`; parts due during an outage wait for the restart) and the report says why.
})
