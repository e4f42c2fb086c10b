import { z } from 'zod'

// A `${VAR:-30}` expands to the string "30": numeric strings count as numbers.
const numeric = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v), schema)
const seconds = (what: string) => numeric(z.number({ error: `${what}: a number of seconds > 0` }).positive({ error: `${what}: a number of seconds > 0` }))
const integer = (what: string, min: number, max: number) => numeric(z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what }))
// A port may be a reference resolved once the sandbox has its ports (checked again after expansion).
const portReference = /^\$\{(services\.[A-Za-z0-9_-]+\.port|PORT)\}$/
const port = z.union([integer('a TCP port, 1-65535', 1, 65535), z.string().regex(portReference)], { error: 'a TCP port, 1-65535, or ${services.<name>.port} / ${PORT}' })
const text = (what: string) => z.string({ error: what }).min(1, { error: what })
/** Service and check names: they become environment variable names and JUnit test names. */
export const serviceName = z.string({ error: 'a service name: letters, digits, - and _' }).regex(/^[A-Za-z0-9_-]+$/, { error: 'a service name: letters, digits, - and _' })

/** A readiness strategy, as written in e2e.yml (timeouts in seconds). */
export type ReadySpec =
  | { url: string; status?: number | undefined; timeout?: number | undefined }
  | { log: string; times?: number | undefined; from?: string | undefined; timeout?: number | undefined }
  | { port: number | string; host?: string | undefined; timeout?: number | undefined }
  | { command: string; timeout?: number | undefined }
  | { all_of: ReadySpec[]; timeout?: number | undefined }

const readyExpected = 'one of { url, status? }, { log, times? }, { port }, { command }, { all_of: [...] } (each with an optional timeout in seconds)'

/** The readiness strategies (Testcontainers' wait strategies): http, log line, port, command, all-of. */
export const readySchema: z.ZodType<ReadySpec> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ url: z.string().regex(/^(https?:\/\/|\$\{services\.[A-Za-z0-9_-]+\.(url|rpc_url)\})/, { error: 'an http(s):// URL (or one starting with ${services.<name>.url})' }), status: integer('an HTTP status, 100-599', 100, 599).optional(), timeout: seconds('timeout').optional() }),
      z.strictObject({ log: text('a regular expression matched against the process output'), times: integer('a count of matching lines >= 1', 1, 1_000_000).optional(), from: z.string().optional(), timeout: seconds('timeout').optional() }),
      z.strictObject({ port, host: z.string().optional(), timeout: seconds('timeout').optional() }),
      z.strictObject({ command: text('a shell command that exits 0 when ready'), timeout: seconds('timeout').optional() }),
      z.strictObject({ all_of: z.array(readySchema).min(1), timeout: seconds('timeout').optional() }),
    ],
    { error: readyExpected },
  ),
)

const processSchema = z.strictObject({
  name: serviceName,
  command: text('a shell command'),
  env: z.record(z.string(), z.string({ error: 'a string value' })).optional(),
  ready: readySchema.optional(),
})

const stackSchema = z.strictObject({
  devnet: z
    .strictObject({
      block_time: seconds('block_time').default(1),
      fork: z.strictObject({ url: z.string({ error: 'an http(s):// or ws(s):// URL, or empty for no fork' }), block_number: integer('a block number >= 0', 0, Number.MAX_SAFE_INTEGER).optional() }).optional(),
    })
    .optional(),
  orderbook: z.union([z.literal('stub'), z.strictObject({ url: z.string().regex(/^https?:\/\//, { error: 'an http(s):// URL' }) })], { error: '"stub" or { url: "https://..." }' }).optional(),
  engine: z.strictObject({ config: text('the path of an engine TOML file, relative to the repository') }).optional(),
  compose_file: text('the path of a docker compose file, relative to the repository').optional(),
  processes: z.array(processSchema, { error: 'a list of { name, command, env?, ready? }' }).optional(),
})

/** The schema of `e2e/e2e.yml` after `${...}` expansion. */
export const sandboxFileSchema = z.strictObject({
  name: serviceName,
  stack: stackSchema.default({}),
  health_checks: z.array(z.unknown(), { error: 'a list of { name, url | log | port | command | all_of, timeout? }' }).default([]),
  test_command: text('a shell command, run in the repository'),
  timeout: seconds('timeout').default(300),
  cleanup: z.enum(['always', 'on_success', 'never'], { error: 'always, on_success or never' }).default('always'),
  report: z.strictObject({ url: z.string({ error: 'an http(s):// URL, or empty' }), retries: integer('retries, 0-10', 0, 10).optional() }).optional(),
})

/** One health check: a name and a readiness strategy. */
export type HealthCheckSpec = { name: string } & ReadySpec

/** A validated `e2e/e2e.yml`. */
export type SandboxFile = Omit<z.infer<typeof sandboxFileSchema>, 'health_checks'> & { health_checks: HealthCheckSpec[] }
