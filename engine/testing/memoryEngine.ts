import { join, resolve } from 'node:path'
import { createMemoryChainSource } from '../chain/createMemoryChainSource.ts'
import { parseConfig } from '../config/loadConfig.ts'
import type { EngineConfig } from '../config/schema.ts'
import type { Logger } from '../host/createLogger.ts'
import { startEngine, type Engine } from '../startEngine.ts'

export type MemoryEngineParameters = {
  /** The test's folder: the config file is named in it, and the state goes to `state/` below it. */
  dir: string
  /** `[[modules]]` entries (TOML text) placed before the healthy `counting` module. */
  modules: string
  /** Serve `/metrics`, `/healthz` and the admin routes on 127.0.0.1 (a free port). */
  metrics?: boolean
}

export type MemoryEngine = {
  config: EngineConfig
  /** The chain the engine follows: mine blocks into it. */
  chain: ReturnType<typeof createMemoryChainSource>
  /** Starts an engine on the config and chain (call again after `stop()` for a restart on the same state). */
  start(logger: Logger): Promise<Engine>
}

/**
 * An engine for supervisor tests on a memory chain: chain 11155111 polled every 10 ms from block 1,
 * a fast supervisor (first backoff 10 ms, parked after 2 traps), the given modules, then a healthy
 * `counting` module (engine/testing/countingModule.ts) that shows the rest of the engine goes on.
 *
 * @example
 * const { chain, start } = memoryEngine({ dir, modules: `[[modules]]\nname = "flaky"\npath = "${fixture}"\n` })
 * const engine = await start(createLogger({ level: 'error', write: () => {} }))
 * chain.mine([[]])
 */
export function memoryEngine({ dir, modules, metrics = false }: MemoryEngineParameters): MemoryEngine {
  const config = parseConfig({
    file: join(dir, 'engine.toml'),
    text: `[engine]
state_dir = "state"
${metrics ? '[engine.metrics]\nenabled = true\nbind = "127.0.0.1:0"\n' : ''}[engine.supervisor]
backoff_initial_ms = 10
poison_after = 2
[chains.11155111]
rpc_url = "ws://127.0.0.1:1"
poll_interval_ms = 10
start_block = 1

${modules}
[[modules]]
name = "counting"
path = "${resolve('engine/testing/countingModule.ts')}"
`,
  })
  const chain = createMemoryChainSource()
  return { config, chain, start: (logger) => startEngine({ config, sources: new Map([[11155111, chain.source]]), logger }) }
}
