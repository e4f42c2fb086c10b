/** Seconds of block timestamp per block: Sepolia's (and mainnet's) slot. */
export const SOAK_BLOCK_SECONDS = 12
/** Blocks in one simulated day at 12 s per block. */
export const BLOCKS_PER_DAY = 7_200

/**
 * One sample of the engine during a soak, taken every `sampleEvery` blocks once the engine's cursor
 * reached the head. A figure that could not be read is `NaN` (the judge reads it as "not measured").
 */
export type SoakSample = {
  /** Blocks mined since the run's first load block. */
  block: number
  /** `block` in simulated days (12 s per block): the x axis of every trend. */
  chainDays: number
  /** Wall time since the run started, ms. */
  wallMs: number
  /** The engine process sampled (a restart changes it: one life per PID). */
  pid: number
  /** VmRSS of /proc/<pid>/status. */
  rssBytes: number
  /** The engine's V8 heap in use (`nodejs_heap_size_used_bytes`, else `shepherd_heap_used_bytes`). */
  heapBytes: number
  /** `nodejs_eventloop_lag_p99_seconds` at the sample. */
  loopP99Seconds: number
  /** Entries of /proc/<pid>/fd: the open file descriptors, counted by the kernel. */
  fds: number
  /** Bytes of the lmdb state directory on disk. */
  storeBytes: number
  /** twap-monitor's `watch:` keys, read from lmdb by the harness (not the engine's word). */
  watches: number
  /** twap-monitor's due-schedule keys (`due:b:` and `due:t:`). */
  due: number
  /** twap-monitor's finished-work markers (`submitted:`, `dropped:`, `missed:`). */
  markers: number
  /** TWAPs on chain at this block that may still be watched (created, not finished or cancelled long enough ago). */
  watchBound: number
  /** Parts the stub has seen whose marker may still be kept (validTo + retention not yet passed). */
  markerBound: number
  /** `shepherd_chain_request_total` per block since the previous sample of the same life; NaN across a restart. */
  rpcPerBlock: number
  /** Orders the stub accepted so far (ground truth, all lives). */
  submissions: number
}

/** An engine restart the harness made, at a block. */
export type SoakRestart = { block: number; signal: 'SIGTERM' | 'SIGKILL'; downMs: number }

/** Delivery as the chain and the stub record tell it (collectGroundTruth), cancellations excused. */
export type SoakDelivery = {
  expectedParts: number
  deliveredParts: number
  /** Expected parts not accepted (not counting parts of TWAPs cancelled before the part started). */
  missing: readonly string[]
  /** Posts of an accepted UID after its acceptance. */
  duplicates: number
  /** Accepted orders nothing explains (not a TWAP part, EthFlow order or the stop-loss order). */
  unexplained: number
  ethFlowPlaced: number
  ethFlowObserved: number
}

/** What the triggers should have caused, and what the engine's log lines show it did. */
export type SoakTriggers = {
  oracleDrops: number
  priceAlerts: number
  transfers: number
  balanceAlerts: number
  /** PreSign posts of the stop-loss owner accepted by the stub: exactly one (no re-arm). */
  stopLossPosts: number
}

/** Everything a soak run leaves for the judge and the report. */
export type SoakEvidence = {
  scale: 'ci' | 'full' | 'leak'
  blocks: number
  sampleEvery: number
  wallMs: number
  retainFinishedBlocks: number
  samples: readonly SoakSample[]
  restarts: readonly SoakRestart[]
  wsDrops: number
  load: { twaps: number; cancelled: number; completing: number; ethFlowOrders: number }
  delivery: SoakDelivery | undefined
  triggers: SoakTriggers | undefined
}
