/** One 1 s block of a steady window: what the engine spent and did on it. */
export type SteadyBlock = {
  block: number
  /** Engine CPU (user + system, all threads) from this block's mining to the next one's, ms. */
  cpuMs: number
  rssBytes: number
  /** Due watches twap-monitor polled at this block (its own per-block count). */
  polled: number
}

/** One growth step: N watches created, ingested, then followed for a fixed number of blocks. */
export type GrowthPhase = {
  /** Active watches after this phase. */
  n: number
  /** TWAPs created in this phase, as planned. */
  created: number
  /** ConditionalOrderCreated logs in the phase's creation blocks (chain ground truth). */
  createdLogs: number
  transactions: number
  creationBlocks: number
  /** Wall time to send every createMany and mine the blocks holding them, ms. */
  creationMs: number
  /** From the first creation block mined to the engine having polled each new watch once, its cursor at the head, ms. */
  ingestMs: number
  /** Parts due per steady block (fixed across phases). */
  duePerBlock: number
  steady: readonly SteadyBlock[]
  /** Engine JSON-RPC requests per steady block, by method (`shepherd_chain_request_total`). */
  rpcPerBlock: Readonly<Record<string, number>>
  /** Anvil's CPU per steady block, ms (where the rest of the machine went). */
  anvilCpuMsPerBlock: number
  /** The engine's RSS at the end of the steady window. */
  rssBytes: number
  /** The engine main thread's V8 heap in use at the end of the steady window (`shepherd_heap_used_bytes`). */
  heapBytes: number
  /** The engine's lmdb state_dir on disk at the end of the steady window. */
  storeBytes: number
}

/** One block of a burst: cumulative polls and posts, and the worst cursor lag sampled during it. */
export type BurstBlock = { offset: number; block: number; polled: number; posted: number; cursorLag: number }

/** A burst of parts due in one block, judged from the stub's record and the chain's logs. */
export type BurstEvidence = {
  transport: 'ws' | 'http'
  watches: number
  parts: number
  dueBlock: number
  timeline: readonly BurstBlock[]
  /** Burst parts computed from the ConditionalOrderCreated logs (t0 at the burst). */
  expected: number
  /** Expected parts the stub accepted. */
  posted: number
  /** Posts of an expected part beyond its first (any answer). */
  duplicates: number
  /** Polls twap-monitor made at the due block and the next. */
  polledByNextBlock: number
  /** Blocks from the due block (1) to the block during which the last part reached the stub; undefined if some never did. */
  blocksToPost: number | undefined
  secondsToPost: number | undefined
  /** Cursor samples taken (head - cursor, every ~100 ms). */
  lagSamples: number
  maxCursorLag: number
  /** CPU over the burst (due block to last block), ms: the engine, Anvil, and the harness (stub + sampling). */
  cpuMs: { engine: number; anvil: number; harness: number }
}

/** Steady-state parts (due during the steady windows) checked against the stub. */
export type DueParts = { expected: number; posted: number; duplicates: number; unexpectedPosts: number }

/** Everything one scale run collected: what `judgeScale` judges and the report renders. */
export type ScaleEvidence = {
  scale: 'ci' | 'full'
  growth: readonly GrowthPhase[]
  dueParts: DueParts | undefined
  bursts: readonly BurstEvidence[]
  /** Blocks within which every burst part must be at the stub. */
  burstBlocks: number
  notes: readonly string[]
}
