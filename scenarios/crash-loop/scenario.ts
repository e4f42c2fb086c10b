import { defineScenario } from '../../harness/scenario/defineScenario.ts'

/** Seconds between kills: 3-20 s at full length (the shape measured in the field), 4-10 s at CI scale. */
export const killIntervalSeconds = { full: [3, 20], ci: [4, 10] } as const

export default defineScenario({
  name: 'crash-loop',
  description:
    'Given a 1 s devnet and 1 sender creating 3 TWAPs (4 parts of 4 s) per block, when the engine process running twap-monitor is SIGKILLed at random intervals (3-20 s; 4-10 s at CI scale) and restarted each time from its state, then no part is posted twice, no part is posted after its validTo (judged by the chain time when the post reached the orderbook), and every part is posted exactly once unless its whole window passed while the engine was down or catching up (then it is not posted at all).',
  devnet: { blockTime: 1 },
  engine: { mode: 'process', modules: [{ name: 'twap-monitor' }] },
  // Strict stub (the real validity: >= 60 s left); blocks every 1 s carry 12 s of chain time (the
  // default devnet.blockSeconds). Parts of 240 s = 20 blocks: the real orderbook refuses a part with
  // under 60 s left, so a part caught up after an outage of up to ~14 blocks can still be posted; the
  // judge still excuses a part whose whole window lay inside an outage (kill to caught up) and still
  // judges every post against the chain time at its arrival. Former parts were 4 s = 4 blocks; parts
  // due per block at steady state stay 3 x 4 (t sets how long a TWAP lives, not the rate).
  load: { senders: 1, twapPerBlock: 3, ethFlowPerBlock: 0, blocks: { full: 600, ci: 90 }, twap: { n: 4, t: 240 } },
  drainBlocks: 10,
  // No EthFlow load: the crash loop is about TWAP parts.
  expectsNone: ['ethFlow'],
  // No fixed delivery, module-error or latency bounds: judgeCrashLoop derives each from the kill
  // schedule (parts whose whole window lay inside an outage may be missed, and recorded as
  // `part_missed`; parts due during an outage wait for the restart) and the report says why.
})
