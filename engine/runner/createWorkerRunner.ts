import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import type { ModuleEvent, ModuleRunner } from '../dispatch/types.ts'
import { observeEventLatency, type EngineMetrics } from '../metrics/createMetrics.ts'
import type { Host, LogHost, Subscriptions } from '../../modules/sdk/module/types.ts'
import type { ModuleOrigin } from '../module/validateModule.ts'
import { answerHostCall } from './answerHostCall.ts'
import { createMessageBatcher } from './createMessageBatcher.ts'
import { describeEvent } from './describeEvent.ts'
import { ModuleTrapError, type TrapKind } from './ModuleTrapError.ts'
import { deserializeError, serializeError } from './serializeError.ts'
import { clockBufferBytes, clockViews, isHostCallPath, type MainToWorker, type WorkerData, type WorkerToMain } from './workerProtocol.ts'

const bootstrapUrl = new URL('./workerBootstrap.mjs', import.meta.url)

/** A module as the main thread knows it before loading: never imported here, only inside its worker. */
export type WorkerModule = {
  name: string
  /** The module file. */
  url: string
  /** The entry's config as written (the worker parses it with the module's schema). */
  config: unknown
  /** What a load error names; by default the file itself, and no chain check. */
  origin?: ModuleOrigin
}

export type CreateWorkerRunnerParameters = {
  module: WorkerModule
  /** The chain this instance serves, when the module runs once per chain: its latency carries `chain_id`. */
  chainId?: number
  /** The real Host; every proxy call in the worker is answered from it. */
  host: Host
  /** The worker's old-generation heap limit, MiB (`memory_mb`). */
  memoryMb?: number
  /** Longest one event may take (`deadline_ms`). */
  deadlineMs?: number
  /** Longest `init` may take; default max(deadlineMs, 60 s). */
  initDeadlineMs?: number
  /** Longest the worker may take to start, import the module and validate its config (`start_timeout_ms`); default 30 s. */
  startTimeoutMs?: number
  metrics?: EngineMetrics
  log: LogHost
}

export type WorkerRunner = ModuleRunner & {
  /** Runs one event; rejects with a ModuleTrapError (`throw`, `timeout`, `oom`, `exit`). */
  run(event: ModuleEvent): Promise<void>
}

type Job = { during: string; resolve(): void; reject(error: ModuleTrapError): void; timer: NodeJS.Timeout }
type Life = {
  worker: Worker
  jobs: Map<number, Job>
  started: Promise<void>
  crash?: unknown
  /** Store writes sent without a reply, being applied; and the first that failed, for the next `done`. */
  writes: Set<Promise<void>>
  writeFailure?: unknown
  /** The module loaded in the worker (`ready`): a death before that is a trap during `start`. */
  loaded?: boolean
}

/**
 * Runs ONE module in a `node:worker_threads` Worker with a heap limit and a per-event deadline. The
 * worker imports the module, parses its config and resolves its subscriptions (sent back with
 * `ready`): the main thread never runs the module's code, so a top-level loop or allocation is a
 * `timeout` or `oom` trap of this module at `start`, and a load error is a ConfigError (permanent).
 * The worker talks to the real Host through messages (one per Host call; logs, alerts, handled
 * errors and health reports need no answer; `clock.now()` is answered synchronously through a
 * shared buffer). After a trap the worker is gone; the next `run` or `init` starts a fresh one and
 * runs `init` again. `handle` is `run`: it rejects when the event was not processed.
 *
 * @example
 * const runner = createWorkerRunner({ module: { name: 'twap-monitor', url, config: entry.config }, host, memoryMb: 256, deadlineMs: 30_000, log: host.log })
 * await runner.init()
 * runner.subscriptions // as the module resolved them in its worker
 * await runner.run({ kind: 'block', block })
 * await runner.stop()
 */
export function createWorkerRunner(parameters: CreateWorkerRunnerParameters): WorkerRunner {
  const { module, host, metrics, log, memoryMb = 256, deadlineMs = 30_000, startTimeoutMs = 30_000 } = parameters
  const initDeadlineMs = parameters.initDeadlineMs ?? Math.max(deadlineMs, 60_000)
  const name = module.name
  const origin: ModuleOrigin = module.origin ?? { file: module.url.startsWith('file:') ? fileURLToPath(module.url) : module.url, index: 0, name, builtIn: false }
  let subscriptions: Subscriptions = {}
  let life: Life | undefined
  let starting: Promise<Life> | undefined
  /** A worker that died between events: the next `run` reports it, so the supervisor sees every death. */
  let idleTrap: ModuleTrapError | undefined
  let nextId = 1

  const trap = (kind: TrapKind, during: string, cause?: unknown, details?: string[]) => new ModuleTrapError({ module: name, kind, during, cause, details })

  function end(current: Life, error: ModuleTrapError) {
    if (life === current) life = undefined
    for (const job of current.jobs.values()) {
      clearTimeout(job.timer)
      job.reject(error)
    }
    current.jobs.clear()
  }

  /** `shepherd_module_heap_bytes`: the worker's heap as it last reported it (with ready and each done). */
  const heapLabels = { module: name, ...(parameters.chainId === undefined ? {} : { chain_id: String(parameters.chainId) }) }
  const reportHeap = (heapUsed: unknown) => {
    if (metrics && typeof heapUsed === 'number' && Number.isFinite(heapUsed)) metrics.moduleHeap.set(heapLabels, heapUsed)
  }

  function spawn(): Life {
    const buffer = new SharedArrayBuffer(clockBufferBytes)
    const clock = clockViews(buffer)
    const worker = new Worker(bootstrapUrl, {
      name: `module:${name}`,
      workerData: { module: name, url: module.url, config: module.config, origin, clock: buffer } satisfies WorkerData,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(2, Math.min(32, Math.floor(memoryMb / 8))) },
    })
    let ready!: () => void
    let failed!: (error: ModuleTrapError) => void
    const started = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)))
    const current: Life = { worker, jobs: new Map(), started, writes: new Set() }
    const startTimer = setTimeout(() => {
      failed(trap('timeout', 'start', undefined, [`start timeout: ${startTimeoutMs} ms`]))
      end(current, trap('timeout', 'start'))
      void worker.terminate()
    }, startTimeoutMs)

    // Replies of one tick go out as one message (the worker's Promise.all of reads gets one wake-up).
    const replies = createMessageBatcher<MainToWorker>(worker, (message, error) => {
      // A value structured clone cannot carry: the module gets an error instead of a hang.
      if (message.type === 'reply' && message.ok) worker.postMessage({ type: 'reply', id: message.id, ok: false, error: serializeError(error) } satisfies MainToWorker)
    })
    const reply = (message: MainToWorker) => replies.send(message)

    const receive = (message: WorkerToMain): void => {
      switch (message.type) {
        case 'batch':
          for (const each of message.messages) receive(each)
          return
        case 'clock':
          clock.value[0] = host.clock.now()
          Atomics.store(clock.flag, 0, 1)
          Atomics.notify(clock.flag, 0)
          return
        case 'call':
          if (!isHostCallPath(message.path)) {
            reply({ type: 'reply', id: message.id, ok: false, error: { name: 'Error', message: `Unknown host call "${String(message.path)}"` } })
            return
          }
          answerHostCall(host, message.path, message.args).then(
            (value) => reply({ type: 'reply', id: message.id, ok: true, value }),
            (error: unknown) => reply({ type: 'reply', id: message.id, ok: false, error: serializeError(error) }),
          )
          return
        case 'write': {
          // Applied now, in message order; a failure is held for the dispatch's `done` (no reply is awaited).
          const applied = answerHostCall(host, message.path, message.args).then(
            () => {},
            (error: unknown) => {
              current.writeFailure ??= error
            },
          )
          current.writes.add(applied)
          void applied.finally(() => current.writes.delete(applied))
          return
        }
        case 'log':
          host.log[message.level](message.message, message.fields)
          return
        case 'alert':
          host.metrics.alert(message.kind, message.message, message.fields)
          return
        case 'error':
          host.metrics.error(message.kind, message.message, message.fields)
          return
        case 'health':
          if (message.reason === null) host.health.ok(message.check)
          else host.health.degraded(message.check, message.reason, message.fields)
          return
        case 'done': {
          reportHeap(message.heapUsed)
          const job = current.jobs.get(message.id)
          if (!job) return
          current.jobs.delete(message.id)
          clearTimeout(job.timer)
          if (!message.ok) return job.reject(trap('throw', job.during, deserializeError(message.error)))
          if (current.writes.size === 0 && current.writeFailure === undefined) return job.resolve()
          // The writes sent before `done` are queued already (the store's set resolves once queued): this waits a microtask.
          void Promise.all([...current.writes]).then(() => {
            const failure = current.writeFailure
            current.writeFailure = undefined
            if (failure === undefined) job.resolve()
            else job.reject(trap('throw', job.during, failure, ['a store write failed']))
          })
          return
        }
        case 'ready':
          reportHeap(message.heapUsed)
          clearTimeout(startTimer)
          subscriptions = message.subscriptions ?? {}
          current.loaded = true
          ready()
          return
        case 'failed':
          clearTimeout(startTimer)
          failed(trap('throw', 'start', deserializeError(message.error)))
          void worker.terminate()
          return
        default:
          // A worker speaking another protocol version (its code changed under a running engine):
          // say so loudly rather than drop what it asked for.
          log.error('worker sent a message this engine does not understand; restart the engine', { module: name, type: String((message as { type?: unknown }).type) })
      }
    }
    worker.on('message', receive)
    worker.on('error', (error) => {
      // An uncaught error or ERR_WORKER_OUT_OF_MEMORY; 'exit' follows and reports it.
      current.crash = error
    })
    worker.on('exit', (code) => {
      clearTimeout(startTimer)
      const oom = (current.crash as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      const during = [...current.jobs.values()][0]?.during ?? (current.loaded ? 'idle' : 'start')
      const error = trap(oom ? 'oom' : 'exit', during, current.crash, [`exit code: ${code}`, ...(oom ? [`memory_mb: ${memoryMb}`] : [])])
      failed(error)
      const wasCurrent = life === current
      const busy = current.jobs.size > 0
      end(current, error)
      if (wasCurrent && !busy) idleTrap = error
    })
    return current
  }

  function submit(current: Life, message: { type: 'init' } | { type: 'event'; event: ModuleEvent }, during: string, timeoutMs: number) {
    return new Promise<void>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        // A spinning loop or a hang: only terminating the thread stops it.
        const error = trap('timeout', during, undefined, [`deadline: ${timeoutMs} ms`])
        end(current, error)
        void current.worker.terminate()
      }, timeoutMs)
      current.jobs.set(id, { during, resolve, reject, timer })
      current.worker.postMessage({ ...message, id } satisfies MainToWorker)
    })
  }

  /** A live, initialised worker: the current one, or a fresh one that has run `init`. */
  function ensure(): Promise<Life> {
    if (life) return Promise.resolve(life)
    starting ??= (async () => {
      const current = spawn()
      try {
        await current.started
        await submit(current, { type: 'init' }, 'init', initDeadlineMs)
      } catch (error) {
        void current.worker.terminate()
        throw error
      }
      // Current only once initialised: a death before this point rejects `ensure`, not a later event.
      life = current
      return current
    })().finally(() => {
      starting = undefined
    })
    return starting
  }

  async function run(event: ModuleEvent) {
    if (idleTrap) {
      const error = idleTrap
      idleTrap = undefined
      throw error
    }
    const current = await ensure()
    const started = performance.now()
    try {
      await submit(current, { type: 'event', event }, describeEvent(event), deadlineMs)
    } finally {
      if (metrics) observeEventLatency(metrics, { module: name, event_kind: event.kind, ...(parameters.chainId === undefined ? {} : { chain_id: String(parameters.chainId) }) }, (performance.now() - started) / 1000)
    }
  }

  return {
    name,
    /** Empty until the first worker loaded the module. */
    get subscriptions() {
      return subscriptions
    },
    run,
    async init() {
      idleTrap = undefined
      await ensure()
    },
    handle: run,
    async stop() {
      const current = life ?? (starting ? await starting.catch(() => undefined) : undefined)
      idleTrap = undefined
      if (!current) return
      end(current, trap('exit', 'stop', undefined, ['the runner was stopped']))
      await current.worker.terminate()
    },
  }
}
