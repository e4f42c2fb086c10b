import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError } from '../../engine/errors/config.ts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { findFreePort } from '../devnet/findFreePort.ts'
import { startOrderbookStub } from '../orderbook/startOrderbookStub.ts'
import { startScenarioEngine } from '../scenario/startScenarioEngine.ts'
import { expandDeep, expandVariables, type ServiceValues } from './expandVariables.ts'
import type { SandboxFile } from './sandboxFileSchema.ts'
import { serviceEnvironment } from './serviceEnvironment.ts'
import { startSandboxProcess, type SandboxProcess } from './startSandboxProcess.ts'
import { startCompose } from './startCompose.ts'
import type { Reaper } from './startReaper.ts'
import { waitForReady } from './waitForReady.ts'

/** One provisioned service, as the result lists it. */
export type SandboxService = { name: string; kind: 'devnet' | 'orderbook' | 'engine' | 'process' | 'compose'; port?: number; url?: string; readyInMs?: number }

export type ProvisionSandboxParameters = {
  spec: SandboxFile
  /** The e2e.yml path, for errors. */
  file: string
  repo: string
  /** The sandbox's own folder (logs, state, expanded configs). */
  dir: string
  /** Unique per run: the compose project name and `SANDBOX_PROJECT`. */
  project: string
  env: Readonly<Record<string, string | undefined>>
  reaper: Reaper
  /** Each teardown step, pushed as its service starts; the caller runs them in reverse. */
  teardown: Array<{ step: string; run: () => Promise<void> }>
  log: (line: string) => void
}

export type ProvisionSandboxReturnType = {
  services: SandboxService[]
  values: ServiceValues
  /** The environment naming every service (for the test command and health checks). */
  env: Record<string, string>
  processes: SandboxProcess[]
}

/**
 * Provisions a sandbox's stack with the pieces `runScenario` uses (`startDevnet`,
 * `startOrderbookStub`, `startScenarioEngine`, `findFreePort`), plus the file's own processes, each
 * on its own free port, each registered with the reaper and with a teardown step as soon as it
 * runs (a failure half-way still tears down what started).
 *
 * @example
 * const teardown: Array<{ step: string; run: () => Promise<void> }> = []
 * const stack = await provisionSandbox({ spec, file, repo, dir, project, env: process.env, reaper, teardown, log: console.info })
 * stack.env.DEVNET_RPC_URL // 'http://127.0.0.1:43121'
 */
export async function provisionSandbox({ spec, file, repo, dir, project, env, reaper, teardown, log }: ProvisionSandboxParameters): Promise<ProvisionSandboxReturnType> {
  const services: SandboxService[] = []
  const values: Record<string, Record<string, string | number>> = {}
  const processes: SandboxProcess[] = []
  const { stack } = spec

  let devnet: Awaited<ReturnType<typeof startDevnet>> | undefined
  if (stack.devnet) {
    const forkUrl = stack.devnet.fork?.url
    devnet = await startDevnet({ blockTime: stack.devnet.block_time, fork: forkUrl ? { url: forkUrl, blockNumber: stack.devnet.fork?.block_number === undefined ? undefined : BigInt(stack.devnet.fork.block_number) } : undefined, log })
    reaper.track({ pid: devnet.pid })
    reaper.track({ dir: devnet.cachePath })
    const net = devnet
    teardown.push({ step: 'devnet', run: async () => (await net.stop(), reaper.untrack({ pid: net.pid })) })
    values.devnet = { port: devnet.port, url: devnet.rpcUrl, rpc_url: devnet.rpcUrl, ws_url: devnet.wsUrl }
    services.push({ name: 'devnet', kind: 'devnet', port: devnet.port, url: devnet.rpcUrl })
    log(`devnet pid ${devnet.pid} at ${devnet.rpcUrl}`)
  }
  if (stack.orderbook === 'stub') {
    const stub = await startOrderbookStub(devnet ? { devnet } : { chain: null })
    teardown.push({ step: 'orderbook stub', run: () => stub.stop() })
    const port = Number(new URL(stub.baseUrl).port)
    values.orderbook = { port, url: stub.baseUrl }
    services.push({ name: 'orderbook', kind: 'orderbook', port, url: stub.baseUrl })
    log(`orderbook stub ${stub.baseUrl}`)
  } else if (stack.orderbook) {
    const url = new URL(stack.orderbook.url)
    values.orderbook = { port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), url: stack.orderbook.url.replace(/\/+$/, '') }
    services.push({ name: 'orderbook', kind: 'orderbook', url: stack.orderbook.url })
  }
  // Ports first, for every later service: a process may name another's port, and the engine config any.
  const enginePort = stack.engine ? await findFreePort() : undefined
  if (enginePort !== undefined) values.engine = { port: enginePort, url: `http://127.0.0.1:${enginePort}` }
  const ports = new Map<string, number>()
  for (const p of stack.processes ?? []) {
    const port = await findFreePort()
    ports.set(p.name, port)
    values[p.name] = { port, url: `http://127.0.0.1:${port}` }
  }
  const baseEnv = () => ({ ...env, ...serviceEnvironment(values, { dir, project }) })

  if (stack.compose_file) {
    const composeFile = resolve(repo, stack.compose_file)
    const compose = await startCompose({ file: composeFile, project, cwd: repo, env: baseEnv(), log })
    reaper.track({ command: compose.downCommand })
    teardown.push({ step: 'compose', run: () => compose.down() })
    services.push({ name: 'compose', kind: 'compose' })
  }

  if (stack.engine && enginePort !== undefined) {
    const source = resolve(repo, stack.engine.config)
    let text: string
    try {
      text = readFileSync(source, 'utf8')
    } catch (error) {
      throw new ConfigError(`Cannot read stack.engine.config`, { file, key: 'stack.engine.config', expected: 'a readable engine TOML file, relative to the repository', found: `${stack.engine.config} (${(error as NodeJS.ErrnoException).code})` })
    }
    const configFile = join(dir, 'engine.toml')
    writeFileSync(configFile, expandVariables(text, { env: baseEnv(), services: values }))
    const engine = await startScenarioEngine({ mode: 'process', configFile, dir, rpcUrl: '', orderbookUrl: '', metricsPort: enginePort, modules: [] })
    if (engine.pid !== undefined) reaper.track({ pid: engine.pid })
    teardown.push({ step: 'engine', run: async () => (await engine.stop(), reaper.untrack({ pid: engine.pid })) })
    services.push({ name: 'engine', kind: 'engine', port: enginePort, url: engine.metricsUrl })
    log(`engine up, metrics ${engine.metricsUrl}`)
  }

  for (const p of stack.processes ?? []) {
    const port = ports.get(p.name)!
    const processEnv = { ...baseEnv(), PORT: String(port) }
    const expand = (text: string) => expandVariables(text, { env: processEnv, services: values })
    const started = startSandboxProcess({
      name: p.name,
      command: expand(p.command),
      cwd: repo,
      env: { ...processEnv, ...Object.fromEntries(Object.entries(p.env ?? {}).map(([k, v]) => [k, expand(v)])) },
      logFile: join(dir, 'logs', `${p.name}.log`),
    })
    reaper.track({ group: started.pid })
    processes.push(started)
    teardown.push({ step: `process ${p.name}`, run: async () => {
      const { left } = await started.stop()
      if (left.length) throw new Error(`process ${p.name}: ${left.length} process(es) of group ${started.pid} still alive: ${left.join(', ')}`)
      reaper.untrack({ group: started.pid })
    } })
    const service: SandboxService = { name: p.name, kind: 'process', port, url: `http://127.0.0.1:${port}` }
    services.push(service)
    log(`process ${p.name} started (pid ${started.pid}, PORT ${port})`)
    if (p.ready) {
      const ready = await waitForReady({ name: `process ${p.name}`, spec: expandDeep(p.ready, { env: processEnv, services: values }) as typeof p.ready, lines: started.lines, cwd: repo, env: processEnv, log, abortIf: () => {
          const exit = started.exit()
          return exit ? `it exited first (code ${exit.code}, signal ${exit.signal}); its log: ${started.logFile}` : undefined
        } })
      service.readyInMs = ready.readyInMs
      log(`process ${p.name} ready in ${ready.readyInMs} ms`)
    }
  }
  return { services, values, env: baseEnv() as Record<string, string>, processes }
}
