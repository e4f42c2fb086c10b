// The entry of a module's worker thread (loaded through workerBootstrap.mjs, which registers tsx).
// It imports the module again by URL and runs its handlers against a proxy Host whose calls are
// messages to the main thread.
import { getHeapStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import type { ModuleEvent } from '../dispatch/types.ts'
import type { Host, LogFields, ModuleDefinition } from '../../modules/sdk/module/types.ts'
import { importModuleFile, prepareModule } from '../module/validateModule.ts'
import { ConfigError } from '../errors/config.ts'
import { createMessageBatcher } from './createMessageBatcher.ts'
import { deserializeError, serializeError } from './serializeError.ts'
import { clockViews, cloneableFields, type HostCallPath, type MainToWorker, type WorkerData, type WorkerToMain } from './workerProtocol.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

const port = parentPort
if (!port) throw new Error('engine/runner/worker.ts must run in a worker thread')
const data = workerData as WorkerData

const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>()
let nextId = 1
/** A store write that could not be sent (structured clone refused its value): fails the current dispatch. */
let writeFailure: unknown

// Messages of one tick go out as one postMessage; one that does not clone is handled on its own.
const outbox = createMessageBatcher<WorkerToMain>(port, (message, error) => {
  if (message.type === 'call') {
    // DataCloneError: an argument structured clone cannot carry (a function, a class instance with private state).
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    waiter?.reject(error)
  } else if (message.type === 'write') {
    writeFailure ??= error
  } else if (message.type === 'log' || message.type === 'alert' || message.type === 'error' || message.type === 'health') {
    port.postMessage({ ...message, fields: cloneableFields(message.fields) })
  } else if (message.type === 'done' && !message.ok) {
    port.postMessage({ type: 'done', id: message.id, ok: false, error: { name: 'Error', message: String(message.error?.message ?? message.error) } })
  }
})

function post(message: WorkerToMain) {
  outbox.send(message)
}

function call(path: HostCallPath) {
  return (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      post({ type: 'call', id, path, args })
    })
}

/**
 * Store writes go without a reply (at saturation, most of the round trips a TWAP part cost). A
 * write resolves once its batch is posted, so a worker that dies right after an awaited write
 * still delivers it; the main thread applies writes in message order, before anything sent later
 * (reads included) and before the dispatch's `done`.
 */
const write = {
  set: async (key: string, value: unknown) => {
    if (value === undefined) throw new TypeError(`store.set("${key}"): value is undefined; use delete()`)
    post({ type: 'write', path: 'store.set', args: [key, value] })
    await outbox.sent()
  },
  delete: async (key: string) => {
    post({ type: 'write', path: 'store.delete', args: [key] })
    await outbox.sent()
  },
}

function fireAndForget(message: Extract<WorkerToMain, { fields?: LogFields }>) {
  post(message)
}

const clock = clockViews(data.clock)
function now(): number {
  // Synchronous, like the Host's clock: ask the main thread and block on the shared flag.
  Atomics.store(clock.flag, 0, 0)
  outbox.flush() // what was sent before asking the time goes first
  port!.postMessage({ type: 'clock' } satisfies WorkerToMain)
  const outcome = Atomics.wait(clock.flag, 0, 0, 5_000)
  return outcome === 'timed-out' ? Date.now() : clock.value[0]!
}

const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => fireAndForget({ type: 'log', level, message, fields })

const host: Host = {
  module: data.module,
  chain: {
    request: call('chain.request') as Host['chain']['request'],
    call: call('chain.call') as Host['chain']['call'],
    multicall: call('chain.multicall') as Host['chain']['multicall'],
    getBalance: call('chain.getBalance') as Host['chain']['getBalance'],
  },
  cowApi: {
    submitOrder: call('cowApi.submitOrder') as Host['cowApi']['submitOrder'],
    getOrder: call('cowApi.getOrder') as Host['cowApi']['getOrder'],
    getAppData: call('cowApi.getAppData') as Host['cowApi']['getAppData'],
    request: call('cowApi.request') as Host['cowApi']['request'],
  },
  store: {
    get: call('store.get') as Host['store']['get'],
    set: write.set,
    delete: write.delete,
    list: call('store.list') as Host['store']['list'],
  },
  log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  clock: { now },
  metrics: {
    alert: (kind, message, fields) => fireAndForget({ type: 'alert', kind, message, fields }),
    error: (kind, message, fields) => fireAndForget({ type: 'error', kind, message, fields }),
  },
  health: {
    degraded: (check, reason, fields) => fireAndForget({ type: 'health', check, reason, fields }),
    ok: (check) => post({ type: 'health', check, reason: null }),
  },
}

/**
 * This worker's V8 heap in use, bytes (its own isolate: `memory_mb` bounds it). Read when the worker
 * already talks to the main thread (ready, each event's done): no timer of its own, ~1 µs a read.
 */
const heapUsed = () => getHeapStatistics().used_heap_size

/** Sends `ready` with the subscriptions the main thread routes by; they must cross as plain data. */
function announce(subscriptions: unknown) {
  outbox.flush()
  try {
    port!.postMessage({ type: 'ready', subscriptions, heapUsed: heapUsed() } as WorkerToMain)
  } catch (error) {
    throw new ConfigError(`Module "${data.origin.name}" subscriptions are not plain data`, {
      file: data.origin.file,
      key: `modules.${data.origin.index}`,
      expected: 'subscriptions of chain ids, addresses and viem AbiEvent items (structured-clone data)',
      found: errorMessage(error),
    })
  }
}

async function run(definition: ModuleDefinition<unknown>, config: unknown, message: Extract<MainToWorker, { type: 'init' | 'event' }>) {
  const context = { host, config }
  if (message.type === 'init') return definition.init?.(context)
  const event: ModuleEvent = message.event
  if (event.kind === 'logs') return definition.onLogs?.({ ...context, block: event.block, logs: event.logs })
  if (event.kind === 'block') return definition.onBlock?.({ ...context, block: event.block })
  return definition.onReorg?.({ ...context, reorg: event.reorg })
}

try {
  // The module's top-level code and its config parsing run here, under this worker's heap limit and
  // the runner's start deadline; the main thread never imports it.
  const { definition, config, subscriptions } = prepareModule(await importModuleFile(data.url, data.origin), data.config, data.origin)
  const receive = (message: MainToWorker): void => {
    if (message.type === 'batch') return message.messages.forEach(receive)
    if (message.type === 'reply') {
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) waiter?.resolve(message.value)
      else waiter?.reject(deserializeError(message.error))
      return
    }
    run(definition, config, message).then(
      () => {
        // The batch is sent now, so a write that does not clone is known before `done` goes out.
        outbox.flush()
        const failure = writeFailure
        writeFailure = undefined
        post(failure === undefined ? { type: 'done', id: message.id, ok: true, heapUsed: heapUsed() } : { type: 'done', id: message.id, ok: false, error: serializeError(failure), heapUsed: heapUsed() })
      },
      (error: unknown) => post({ type: 'done', id: message.id, ok: false, error: serializeError(error), heapUsed: heapUsed() }),
    )
  }
  port.on('message', receive)
  announce(subscriptions)
} catch (error) {
  post({ type: 'failed', error: serializeError(error) })
}
