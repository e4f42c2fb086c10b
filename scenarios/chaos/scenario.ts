import { defineScenario } from '../../harness/scenario/defineScenario.ts'

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
      // Traps on its 1st block, then every 35th: restarted by the supervisor, under its poison threshold (5 in 600 s).
      { name: 'traps-every-k', path: 'engine/testing/fixtures/trapsEveryK.ts', config: { n: 35 } },
    ],
  },
  // TWAP parts of 15 s (baseline: 5 s): a part whose whole window falls inside the engine's restart
  // cannot be posted by anyone (it has expired); 15 s outlives the restart, so loss would be ours.
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 20 }, twap: { t: 15 } },
  drainBlocks: 15,
  bars: {
    // Faults cost time, not orders: delivery and duplicates keep their strict bars.
    maxTraps: 10,
    // 10% of RPC requests fail: a module's read that fails is an error it retries, counted here and reported.
    maxModuleErrors: 100_000,
    // The SIGKILL window dominates the tail: the parts that came due while the engine was down wait
    // for its restart (10-30 s on a busy 2-core machine: TypeScript is compiled at start) and backfill.
    p99LatencyBlocks: 60,
  },
  comparison: ['Rust original: lost 57-62% of events when its WebSocket dropped under load, and never backfilled'],
})
