import { z } from 'zod'
import { zAddress } from './zodTypes.ts'

const logLevel = z.enum(['debug', 'info', 'warn', 'error'])

const bind = z
  .string()
  .regex(/^[0-9a-zA-Z.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9100')

const rpcUrl = z.string().regex(/^(https?|wss?):\/\/.+/, 'expected an http(s):// or ws(s):// URL')
const httpUrl = z.string().regex(/^https?:\/\/.+/, 'expected an http(s):// URL')

export const chainSchema = z.strictObject({
  rpc_url: rpcUrl,
  /** Overrides the orderbook base URL (default: the public CoW API for the chain). */
  orderbook_url: httpUrl.optional(),
  confirmations: z.number().int().min(0).max(1000).default(0),
  poll_interval_ms: z.number().int().min(10).max(600_000).default(1000),
  max_lookback_blocks: z.number().int().min(1).default(10_000),
  /** Where a chain with no cursor starts: a block number, or "latest". */
  start_block: z.union([z.number().int().min(0), z.literal('latest')]).default('latest'),
  /** Largest block range per eth_getLogs / dispatch batch. */
  max_block_range: z.number().int().min(1).max(100_000).default(500),
  multicall_address: zAddress.default('0xcA11bde05977b3631167028862bE2a173976CA11'),
  /** Inner calls per Multicall3 aggregate3 request. */
  multicall_batch_size: z.number().int().min(1).max(10_000).default(500),
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
  config: z.record(z.string(), z.unknown()).default({}),
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

export const engineConfigSchema = z.strictObject({
  engine: z
    .strictObject({
      state_dir: z.string().min(1).default('.state'),
      log_level: logLevel.default('info'),
      metrics: z
        .strictObject({ enabled: z.boolean().default(false), bind: bind.default('127.0.0.1:9100') })
        .default({ enabled: false, bind: '127.0.0.1:9100' }),
      supervisor: supervisorSchema.default({ backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000 }),
    })
    .default({
      state_dir: '.state',
      log_level: 'info',
      metrics: { enabled: false, bind: '127.0.0.1:9100' },
      supervisor: { backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000 },
    }),
  chains: z.record(z.string().regex(/^\d+$/, 'expected a numeric chain id as the table name, e.g. [chains.11155111]'), chainSchema),
  modules: z.array(moduleEntrySchema).default([]),
})

export type EngineConfigInput = z.input<typeof engineConfigSchema>
export type ChainConfig = z.output<typeof chainSchema>
export type ModuleEntry = z.output<typeof moduleEntrySchema>
export type SupervisorConfig = z.output<typeof supervisorSchema>
/** The validated configuration, with chain ids as numbers and every default filled in. */
export type EngineConfig = Omit<z.output<typeof engineConfigSchema>, 'chains'> & {
  chains: Map<number, ChainConfig>
  /** Absolute path of the config file (or a label), for messages and relative paths. */
  file: string
}
