import { resolve, dirname } from 'node:path'
import type { Address } from 'viem'
import { createRpcChainSource } from './chain/createRpcChainSource.ts'
import type { ChainSource } from './chain/types.ts'
import type { EngineConfig } from './config/schema.ts'
import { createDispatcher } from './dispatch/createDispatcher.ts'
import { createLogRouter } from './dispatch/createLogRouter.ts'
import type { ModuleRunner } from './dispatch/types.ts'
import { createChainHost, type ChainHostChain } from './host/createChainHost.ts'
import { createCowApiHost } from './host/createCowApiHost.ts'
import { createHost } from './host/createHost.ts'
import { createLogger, type Logger } from './host/createLogger.ts'
import { createHealthBoard } from './health/createHealthBoard.ts'
import { adminDoorWarning } from './metrics/adminDoorWarning.ts'
import { createIngestor, type Ingestor } from './ingest/createIngestor.ts'
import { createMetrics } from './metrics/createMetrics.ts'
import { serveMetrics } from './metrics/serveMetrics.ts'
import { loadModuleSource, moduleSources, type LoadedModule } from './module/loadModules.ts'
import { loadedForChain } from './module/loadedForChain.ts'
import type { ChainHost, CowApiHost, Host } from '../modules/sdk/module/types.ts'
import { createInProcessRunner } from './runner/createInProcessRunner.ts'
import { createWorkerRunner } from './runner/createWorkerRunner.ts'
import { createAdminRoutes } from './supervisor/adminRoutes.ts'
import { createSupervisedRunner, type SupervisedRunner, type TrappableRunner } from './supervisor/createSupervisedRunner.ts'
import { createStore } from './store/createStore.ts'
import { lockStateDir } from './store/lockStateDir.ts'

export type StartEngineParameters = {
  config: EngineConfig
  logger?: Logger
  /** Modules already loaded (tests, replays); by default the config's modules are loaded by their runners (a worker module only inside its worker). */
  modules?: LoadedModule[]
  /** Replaces the RPC ChainSource per chain (replays, fault proxies). */
  sources?: ReadonlyMap<number, ChainSource>
  /** Replaces the chain capability (replays answer reads from a cassette). */
  chainHost?: ChainHost
  /** Replaces the orderbook capability (replays, policies). */
  cowApi?: CowApiHost
  /** Clock for modules; wall clock by default. */
  clock?: { now(): number }
  /** Forces every module in process (replays and unit tests), whatever the config says. */
  isolation?: 'in-process'
  /** How long shutdown waits for in-flight events before stopping modules anyway. */
  shutdownGraceMs?: number
}

/**
 * Starts the engine: takes the state directory's lock (a StateDirLockedError, exit code 2, when
 * another engine holds it; a stale one is taken over), opens the store, starts every module under its supervisor (a worker module
 * is imported and validated inside its worker only; one that cannot load is parked with the
 * reason, the others run), serves metrics, and follows every configured chain. Resolves once
 * ingestion has started.
 *
 * @example
 * const engine = await startEngine({ config: loadConfig('engine.toml') })
 * process.on('SIGINT', () => engine.stop())
 */
export async function startEngine(parameters: StartEngineParameters) {
  const { config } = parameters
  const logger = parameters.logger ?? createLogger({ level: config.engine.log_level })
  const stateDir = resolve(dirname(config.file), config.engine.state_dir)
  const lock = lockStateDir({ stateDir, configFile: config.file, log: logger.child({ component: 'store' }) })
  let engine: Awaited<ReturnType<typeof startOnLockedDir>>
  try {
    engine = await startOnLockedDir({ ...parameters, logger })
  } catch (error) {
    lock.release()
    throw error
  }
  const stopEngine = engine.stop
  // Released only once the store is closed: a new engine may open it from then on.
  let stopping: Promise<void> | undefined
  engine.stop = () => (stopping ??= stopEngine().finally(() => lock.release()))
  return engine
}

async function startOnLockedDir({
  config,
  logger: givenLogger,
  modules: givenModules,
  sources: givenSources,
  chainHost: givenChainHost,
  cowApi: givenCowApi,
  clock,
  isolation,
  shutdownGraceMs = 10_000,
}: StartEngineParameters) {
  const logger = givenLogger ?? createLogger({ level: config.engine.log_level })
  const metrics = createMetrics()
  const health = createHealthBoard()
  // What each module is and how to start one life of it. Not imported here: a config module is
  // loaded by its runner (in its worker, or in this thread for isolation = "in-process").
  // `chainId` is set for an instance of an entry with `chains = [...]`: that instance's config gets it.
  type Planned = { name: string; entry: LoadedModule['entry']; index: number; subscriptions?: LoadedModule['subscriptions']; start(host: Host, configChainId?: number, chainId?: number): TrappableRunner }
  const inWorker = (entry: LoadedModule['entry']) => isolation !== 'in-process' && entry.isolation === 'worker'
  const planned: Planned[] = givenModules
    ? givenModules.map((loaded) => {
        const { entry } = loaded
        const name = entry.name
        return {
          name,
          entry,
          index: config.modules.indexOf(entry),
          // With `chains`, each instance learns its own subscriptions as it loads (they follow its chain id).
          subscriptions: entry.chains ? undefined : loaded.subscriptions,
          start: (host, configChainId, chainId) => {
            // As for a module loaded from the config: an instance of an entry with `chains` gets its chain id.
            const forChain = configChainId === undefined ? loaded : loadedForChain({ loaded, chainId: configChainId, config })
            return inWorker(entry)
              ? createWorkerRunner({ module: { name, url: loaded.url, config: forChain.entry.config }, chainId, host, memoryMb: entry.memory_mb, deadlineMs: entry.deadline_ms, startTimeoutMs: entry.start_timeout_ms, metrics, log: host.log })
              : createInProcessRunner({ name, chainId, module: forChain, host, metrics, log: host.log })
          },
        }
      })
    : moduleSources(config).map((source) => {
        const { entry } = source
        const name = entry.name
        return {
          name,
          entry,
          index: source.origin.index,
          start: (host, configChainId, chainId) => {
            const forChain = configChainId === undefined ? source : { ...source, entry: { ...entry, config: { ...entry.config, chainId: configChainId } } }
            return inWorker(entry)
              ? createWorkerRunner({ module: { name, url: source.url, config: forChain.entry.config, origin: source.origin }, chainId, host, memoryMb: entry.memory_mb, deadlineMs: entry.deadline_ms, startTimeoutMs: entry.start_timeout_ms, metrics, log: host.log })
              : createInProcessRunner({ name, chainId, module: () => loadModuleSource(forChain), host, metrics, log: host.log })
          },
        }
      })
  const stateDir = resolve(dirname(config.file), config.engine.state_dir)
  const store = createStore({ stateDir, metrics, health, log: logger.child({ component: 'store' }) })

  const sources = new Map<number, ChainSource & { client?: ChainHostChain['client'] }>()
  const chainHostChains = new Map<number, ChainHostChain>()
  for (const [chainId, chain] of config.chains) {
    const source =
      givenSources?.get(chainId) ??
      createRpcChainSource({
        chainId,
        rpcUrl: chain.rpc_url,
        metrics,
        maxRequestBytes: chain.max_request_bytes,
        maxBlockLogsBytes: chain.max_block_logs_bytes,
        onRequestLimitShrink: ({ from, to, refusedBytes, refusal }) =>
          logger.warn(
            refusal === 'answer'
              ? 'the node refused a request as too large; request size limit lowered (it grows back only below the refused size)'
              : 'the connection broke twice while the same request was sent; request size limit lowered (it grows back after a run of answered requests)',
            { chainId, refusedBytes, fromBytes: from, toBytes: to, hint: 'if this repeats, set [chains.<id>] max_request_bytes at or below toBytes' },
          ),
        onRequestLimitGrow: ({ from, to, answered }) => logger.info('request size limit raised again after a run of answered requests', { chainId, fromBytes: from, toBytes: to, answered }),
      })
    sources.set(chainId, source)
    const { client, requestLimit } = source as { client?: ChainHostChain['client']; requestLimit?: ChainHostChain['requestLimit'] }
    if (client) chainHostChains.set(chainId, { client, multicallAddress: chain.multicall_address as Address, multicallBatchSize: chain.multicall_batch_size, requestLimit })
  }
  const chainHost = givenChainHost ?? createChainHost(chainHostChains)
  const ownCowApi = givenCowApi ? undefined : createCowApiHost({ baseUrls: new Map([...config.chains].flatMap(([id, c]) => (c.orderbook_url ? [[id, c.orderbook_url] as const] : []))), metrics })
  const cowApi = givenCowApi ?? ownCowApi!

  // Each module runs under a supervisor: in a worker thread of its own (memory limit, deadline) by
  // default, or in this thread. A trap restarts it with backoff and retries the event; repeated
  // traps, or an error no retry fixes (a config its schema refuses), park it without touching the
  // others. Its events are committed with a progress mark, so a restart repeats none of them.
  //
  // An engine that follows several chains runs each module once per chain (`<name>@<chainId>`),
  // each instance with its own queue, supervisor, trap and parked state, and store namespace, and
  // given only its chain's events: a module that fails on one chain holds back neither that
  // chain's cursor for the others nor the module on the other chains. An entry with `chains`
  // runs on those (each instance's config gets its `chainId`); without, on every configured chain,
  // and an instance whose module subscribes to nothing on its chain is not kept.
  const engineChains = [...config.chains.keys()]
  const perChain = engineChains.length > 1
  const instances = planned.flatMap((plan) => {
    // One chain: one instance named after the module, as ever (with `chains`, its config still gets the chain id).
    if (!perChain) return [{ plan, key: plan.name, chainId: undefined as number | undefined, configChainId: plan.entry.chains?.[0] }]
    return (plan.entry.chains ?? engineChains).map((chainId) => ({ plan, key: `${plan.name}@${chainId}`, chainId: chainId as number | undefined, configChainId: plan.entry.chains ? chainId : undefined }))
  })
  const supervised = new Map<string, SupervisedRunner>()
  const started: Array<{ runner: SupervisedRunner; chainId: number | undefined }> = instances.map(({ plan: { name, entry, index, subscriptions, start }, key, chainId, configChainId }) => {
    const host = createHost({
      module: name,
      chainId,
      chain: chainHost,
      cowApi,
      store: store.forModule(key),
      logger,
      metrics,
      clock,
      health,
      allowMethods: entry.allow_methods,
      allowMethodsKey: index >= 0 ? `modules.${index}.allow_methods` : undefined,
    })
    // The supervisor reports a parked module on /healthz itself (`module:<name>`, check `poisoned`), from its start when it was parked before.
    const runner = createSupervisedRunner({ name, key, chainId, subscriptions, supervisor: config.engine.supervisor, store, health, metrics, log: host.log, start: () => start(host, configChainId, chainId) })
    return { runner, chainId }
  })
  // Routes are built from what each module subscribed to as it loaded (a parked one: its last known).
  await Promise.all(started.map(({ runner }) => runner.init()))
  // An instance for a chain its module does not follow has nothing to do: stop it (a parked one is kept, to be released).
  const kept = await Promise.all(
    started.map(async ({ runner, chainId }) => {
      const idle = chainId !== undefined && runner.state().status !== 'poisoned' && !runner.subscriptions.blocks?.length && !runner.subscriptions.logs?.length
      if (idle) await runner.stop()
      return idle ? undefined : runner
    }),
  )
  const runners: SupervisedRunner[] = kept.filter((runner) => runner !== undefined)
  for (const runner of runners) supervised.set(runner.name, runner)

  const router = createLogRouter(runners)
  const dispatcher = createDispatcher({ runners, router, metrics, log: logger.child({ component: 'dispatch' }) })
  const ingestors: Ingestor[] = [...config.chains].map(([chainId, chain]) =>
    createIngestor({
      source: sources.get(chainId)!,
      // Every module keeps a store, so a chain any module follows must not skip blocks unless the config says so.
      chain: { ...chain, on_gap: chain.on_gap ?? (dispatcher.runnersFor(chainId).length > 0 ? 'halt' : 'skip') },
      store,
      dispatcher,
      filter: router.filterFor(chainId),
      metrics,
      health,
      log: logger.child({ component: 'ingest' }),
    }),
  )

  const server = config.engine.metrics.enabled
    ? await serveMetrics({
        registry: metrics.registry,
        bind: config.engine.metrics.bind,
        health: () => {
          const reasons = health.problems()
          return {
            ok: reasons.length === 0,
            details: { reasons, chains: ingestors.map((i) => i.status()), modules: Object.fromEntries([...supervised].map(([key, r]) => [key, r.state().status])) },
          }
        },
        admin: createAdminRoutes(supervised),
        adminToken: config.engine.admin.token,
        log: logger.child({ component: 'metrics' }),
      })
    : undefined
  const doorWarning = server ? adminDoorWarning({ bind: config.engine.metrics.bind, token: config.engine.admin.token }) : undefined
  if (doorWarning) logger.warn(doorWarning, { bind: config.engine.metrics.bind })

  for (const ingestor of ingestors) ingestor.start()
  logger.info('engine started', { modules: runners.map((r) => r.name), chains: [...config.chains.keys()], metrics: server?.url, stateDir })

  let stopping: Promise<void> | undefined
  return {
    metrics,
    store,
    metricsUrl: server?.url,
    supervisors: supervised as ReadonlyMap<string, SupervisedRunner>,
    /** Open health problems (what `/healthz` answers 503 with). */
    health,
    status: () => ingestors.map((i) => i.status()),
    /** Lets in-flight dispatches finish, persists cursors, closes everything. Safe to call twice. */
    stop() {
      stopping ??= (async () => {
        // Let in-flight events finish (bounded: a module in backoff must not hold shutdown), then
        // stop the modules; an event they never finished is not committed and is delivered again.
        const ingestStops = Promise.all(ingestors.map((i) => i.stop()))
        const grace = new Promise<void>((resolve) => setTimeout(resolve, shutdownGraceMs).unref())
        await Promise.race([ingestStops, grace])
        // From here an unfinished event is not retried: it stays uncommitted and is delivered again after a restart.
        dispatcher.close()
        await Promise.all(runners.map((runner) => runner.stop()))
        await ingestStops
        await server?.close()
        for (const source of sources.values()) await source.close()
        ownCowApi?.close()
        await store.close()
        logger.info('graceful shutdown complete')
      })()
      return stopping
    },
  }
}

export type Engine = Awaited<ReturnType<typeof startEngine>>
