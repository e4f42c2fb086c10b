import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import { chaosJournal } from './chaosEvidence.ts'
import { chaosDuring } from './runChaos.ts'

/** Posts to the orderbook: what the 5xx and 429 faults hit. */
const orderPosts = { method: 'POST', path: '/api/v1/orders' } as const

export default defineScenario({
  name: 'chaos',
  description:
    'Given a 1 s devnet and the baseline load (1 sender, 5 TWAPs + 5 EthFlow orders per block), when the engine runs twap-monitor, ethflow-watcher and a module that traps now and then, behind a proxy that drops its WebSocket every ~10 s and fails 10% of its RPC requests, with 20% of order posts answered 5xx and some 429, one depth-3 reorg that removes a ConditionalOrderCreated, and one SIGKILL and restart of the engine process, then every TWAP part on the final chain reaches the orderbook, no accepted order is posted twice, nothing is posted for the removed order, only the trapping module restarts, and every fault shows in the metrics.',
  devnet: { blockTime: 1 },
  orderbook: {
    knobs: {
      failRate: { rate: 0.2, status: 500, errorType: 'InternalServerError', description: 'injected by the chaos scenario', match: orderPosts },
      rules: [{ name: 'rate-limit', match: orderPosts, respond: { status: 429, errorType: 'TooManyRequests', description: 'injected by the chaos scenario', retryAfter: 1 }, times: 6 }],
    },
  },
  faults: { rpc: { failRate: 0.1, dropWsEveryMs: 10_000, maxWsDrops: 15 }, seed: 6 },
  engine: {
    mode: 'process',
    modules: [
      { name: 'twap-monitor' },
      { name: 'ethflow-watcher' },
      // Traps on its 1st block, then every 45th: restarted by the supervisor, under its poison threshold
      // (5 in 600 s): a full-length run sees ~150 blocks, so 4 traps (every 35th gave 5 and parked it). Its journal (in the run's folder) is the evidence of the traps it injected and of
      // every block it received, across the engine's SIGKILL and restart.
      { name: 'traps-every-k', path: 'engine/testing/fixtures/trapsEveryK.ts', config: { n: 45, journal: `{runDir}/${chaosJournal}` } },
    ],
  },
  // Strict stub (the real validity: >= 60 s left); blocks every 1 s carry 12 s of chain time (the
  // default devnet.blockSeconds). TWAP parts of 180 s = 15 blocks (baseline: 10 blocks), as long in
  // blocks as the former 15 s parts: a part whose whole window falls inside the engine's restart cannot
  // be posted by anyone (it has expired); 15 blocks outlive the restart, so loss would be ours. Parts
  // due per block at steady state stay 5 x 4, as before (t sets how long a TWAP lives, not the rate).
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 20 }, twap: { t: 180 } },
  drainBlocks: 15,
  // No fixed Traps, Module errors or p99 bounds: judgeChaos derives each from what the run injected
  // (the fixture's journal, the failures that reached modules and the stub's injected answers, the
  // outage) and the report says why each bound is what it is.
  comparison: {
    source: 'the Rust original, from its published load reports',
    rows: [{ metric: 'delivery', reference: '38-43% of events (it lost 57-62% when its WebSocket dropped under load, and never backfilled)' }],
  },
})

/**
 * The timeline that makes this run chaos (a reorg, a SIGKILL and restart, the evidence for the chaos
 * bars): `shepherd scenario chaos` and the tests run it beside the load.
 */
export const during = chaosDuring()
