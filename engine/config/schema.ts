import { z } from 'zod'
import { zAddress } from '../../modules/sdk/config/zodTypes.ts'

const logLevel = z.enum(['debug', 'info', 'warn', 'error'])

const bind = z
  .string()
  .regex(/^[0-9a-zA-Z.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9100')

const rpcUrl = z.string().regex(/^(https?|wss?):\/\/.+/, 'expected an http(s):// or ws(s):// URL')
const httpUrl = z.string().regex(/^https?:\/\/.+/, 'expected an http(s):// URL')

/** `[chains.<id>] max_lag_blocks` default: see the README's reliability section for why. */
export const defaultMaxLagBlocks = 50

export const chainSchema = z.strictObject({
  rpc_url: rpcUrl,
  /** Overrides the orderbook base URL (default: the public CoW API for the chain). */
  orderbook_url: httpUrl.optional(),
  confirmations: z.number().int().min(0).max(1000).default(0),
  poll_interval_ms: z.number().int().min(10).max(600_000).default(1000),
  max_lookback_blocks: z.number().int().min(1).default(10_000),
  /** Blocks the cursor may trail the confirmed head before /healthz answers 503 (unset: `defaultMaxLagBlocks`). */
  max_lag_blocks: z.number().int().min(1).optional(),
  /**
   * A cursor older than max_lookback_blocks at start: "halt" stops the chain (503, nothing
   * skipped), "skip" resumes max_lookback_blocks behind the head and counts what it skipped.
   * Unset: "halt" when any module is subscribed to the chain, "skip" when none is.
   */
  on_gap: z.enum(['skip', 'halt']).optional(),
  /** Where a chain with no cursor starts: a block number, or "latest". */
  start_block: z.union([z.number().int().min(0), z.literal('latest')]).default('latest'),
  /** Largest block range per eth_getLogs / dispatch batch. */
  max_block_range: z.number().int().min(1).max(100_000).default(500),
  multicall_address: zAddress.default('0xcA11bde05977b3631167028862bE2a173976CA11'),
  /** Inner calls per Multicall3 aggregate3 request. */
  multicall_batch_size: z.number().int().min(1).max(10_000).default(500),
  /**
   * Largest JSON-RPC request body (HTTP) or message (WebSocket), bytes. Batches and aggregate3 calls
   * are split to fit; a "too large" answer halves it for the rest of the run. Default 1.5 MiB: a
   * quarter below Anvil's 2 MiB limit, the strictest common node (geth: 5 MB over HTTP).
   */
  max_request_bytes: z.number().int().min(65_536).max(1_073_741_824).default(1_572_864),
  /**
   * Over http: the largest `eth_getLogs` answer read for ONE block, bytes. Other answers stop at
   * 10 MiB (as viem's) and a range is split; one block cannot be, and its logs must be read to
   * follow the chain (10,000 TWAP creations in a block answer ~12 MB). Default 256 MiB.
   */
  max_block_logs_bytes: z.number().int().min(1_048_576).max(2_147_483_647).default(268_435_456),
})

export const moduleEntrySchema = z.strictObject({
  /** A built-in module name (modules/<name>) or the name declared by `path`. */
  name: z.string().min(1),
  /** A module file, relative to the config file; its default export is a defineModule(...) value. */
  path: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  /** "worker": its own thread with a memory limit and a deadline (default); "in-process": same thread (tests, replays). */
  isolation: z.enum(['worker', 'in-process']).default('worker'),
  /** Heap limit of the module's worker, MiB. */
  memory_mb: z.number().int().min(16).max(16_384).default(256),
  /** Longest one event (block or logs) may take before it counts as a trap. */
  deadline_ms: z.number().int().min(10).max(3_600_000).default(30_000),
  /** Longest a worker may take to load the module (its top-level code) and validate its config before it counts as a trap. */
  start_timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
  /**
   * JSON-RPC methods `host.chain.request` may send beyond the default read-only list
   * (`defaultChainReadMethods`), e.g. ["debug_traceCall"] or ["anvil_*"] (a trailing * allows a namespace).
   */
  allow_methods: z
    .array(z.string().regex(/^[A-Za-z0-9]+_(?:[A-Za-z0-9_]+|\*)$/, 'expected a JSON-RPC method name such as "debug_traceCall", or a namespace such as "anvil_*"'))
    .default([]),
  config: z.record(z.string(), z.unknown()).default({}),
  /**
   * Run this module on these chains, one instance per chain, each with `chainId` set in its config
   * (the built-in modules read it). Unset: one instance per configured chain, each given only the
   * events of its chain (an instance whose module subscribes to nothing there is not kept).
   */
  chains: z.array(z.number().int().positive()).min(1).optional(),
})

export const supervisorSchema = z.strictObject({
  /** First restart delay after a trap; doubles each time. */
  backoff_initial_ms: z.number().int().min(0).default(1_000),
  backoff_max_ms: z.number().int().min(0).default(300_000),
  /** Park (poison) a module after this many traps within `poison_window_s`. */
  poison_after: z.number().int().min(1).default(5),
  poison_window_s: z.number().int().min(1).default(600),
  /**
   * Events a parked module keeps (in the engine's lmdb database, oldest first; they survive a
   * restart) to process after its release; past this, further events are counted as lost for it
   * and the release answer says how many.
   */
  replay_limit: z.number().int().min(0).default(10_000),
})

export const adminSchema = z.strictObject({
  /**
   * Bearer token for the admin routes (`/admin/...` on the metrics port). Unset: they answer
   * loopback clients only. Set: every admin request needs `Authorization: Bearer <token>`.
   */
  token: z.string().min(16, 'expected a token of at least 16 characters (leave the key out for loopback-only admin)').optional(),
})

export const engineConfigSchema = z.strictObject({
  engine: z
    .strictObject({
      state_dir: z.string().min(1).default('.state'),
      log_level: logLevel.default('info'),
      metrics: z
        .strictObject({ enabled: z.boolean().default(false), bind: bind.default('127.0.0.1:9100') })
        .default({ enabled: false, bind: '127.0.0.1:9100' }),
      admin: adminSchema.default({}),
      supervisor: supervisorSchema.default({ backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000 }),
    })
    .default({
      state_dir: '.state',
      log_level: 'info',
      metrics: { enabled: false, bind: '127.0.0.1:9100' },
      admin: {},
      supervisor: { backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000 },
    }),
  chains: z.record(z.string().regex(/^\d+$/, 'expected a numeric chain id as the table name, e.g. [chains.11155111]'), chainSchema),
  modules: z.array(moduleEntrySchema).default([]),
})

export type EngineConfigInput = z.input<typeof engineConfigSchema>
export type ChainConfig = z.output<typeof chainSchema>
export type ModuleEntry = z.output<typeof moduleEntrySchema>
export type SupervisorConfig = z.output<typeof supervisorSchema>
export type AdminConfig = z.output<typeof adminSchema>
/** The validated configuration, with chain ids as numbers and every default filled in. */
export type EngineConfig = Omit<z.output<typeof engineConfigSchema>, 'chains'> & {
  chains: Map<number, ChainConfig>
  /** Absolute path of the config file (or a label), for messages and relative paths. */
  file: string
}
