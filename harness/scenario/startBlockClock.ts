import { Worker } from 'node:worker_threads'

export type StartBlockClockParameters = {
  /** Called on the main thread for every new block, after the worker stamped it. */
  onBlock?: (block: bigint) => void
  /** How often the watcher may reconnect before it gives up (and says so). */
  maxReconnects?: number
}

type WatcherMessage =
  | { kind: 'block'; number: string; seenAt: number; timestamp?: string; gap: boolean }
  | { kind: 'head'; number: string }
  | { kind: 'subscribed' }
  | { kind: 'error' | 'fatal'; message: string }

/**
 * Watches the chain's head from the harness side and records when each block was first seen
 * (wall clock, ms). Latency "from the block that made a part tradeable" starts here, independent
 * of the engine. The watcher is a worker thread subscribed to `newHeads` over WebSocket
 * (`headWatcher.worker.mjs`): it stamps a block the moment the node's notification arrives, so the
 * load generator and everything else on the harness's event loop cannot delay the stamp. Errors
 * are counted (and the last one kept), never thrown.
 *
 * @example
 * const clock = startBlockClock(devnet.wsUrl)
 * await clock.waitFor((clock.head() ?? 0n) + 1n, 30_000)
 * clock.seenAt.get(123n) // ms since the epoch, stamped in the watcher's thread
 * await clock.stop()
 */
export function startBlockClock(wsUrl: string, { onBlock, maxReconnects = 20 }: StartBlockClockParameters = {}) {
  if (!/^wss?:\/\//.test(wsUrl)) throw new TypeError(`startBlockClock needs the node's WebSocket URL (ws:// or wss://), got "${wsUrl}"`)
  const seenAt = new Map<bigint, number>()
  const timestamps = new Map<bigint, bigint>()
  const gaps: bigint[] = []
  let head: bigint | undefined
  let errors = 0
  let lastError: string | undefined
  let fatal: string | undefined
  const worker = new Worker(new URL('./headWatcher.worker.mjs', import.meta.url), { workerData: { wsUrl, maxReconnects } })
  worker.unref()
  worker.on('message', (message: WatcherMessage) => {
    if (message.kind === 'head') head ??= BigInt(message.number)
    else if (message.kind === 'block') {
      const number = BigInt(message.number)
      if (!seenAt.has(number)) seenAt.set(number, message.seenAt)
      if (message.timestamp !== undefined) timestamps.set(number, BigInt(message.timestamp))
      if (message.gap) gaps.push(number)
      if (head === undefined || number > head) head = number
      onBlock?.(number)
    } else if (message.kind === 'error' || message.kind === 'fatal') {
      errors++
      lastError = message.message
      if (message.kind === 'fatal') fatal = message.message
    }
  })
  worker.on('error', (error) => {
    errors++
    fatal = lastError = `head watcher thread failed: ${String(error)}`
  })
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    /** Names where the start times come from, for the report. */
    source: `a head watcher in its own worker thread, subscribed to newHeads over WebSocket (${wsUrl}), stamping each block with the wall clock when its notification arrives`,
    seenAt: seenAt as ReadonlyMap<bigint, number>,
    /** Block timestamps (seconds) from the notifications. */
    timestamps: timestamps as ReadonlyMap<bigint, bigint>,
    head: () => head,
    errors: () => errors,
    lastError: () => lastError,
    /** Blocks the watcher never got a notification for (stamped late, when a later one arrived). */
    gaps: () => gaps as readonly bigint[],
    /** Resolves once the head is at least `block`, or rejects after `timeoutMs` (or when the watcher gave up). */
    async waitFor(block: bigint, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs
      while ((head ?? -1n) < block) {
        if (fatal) throw new Error(`head watcher stopped before block ${block}: ${fatal}`)
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for block ${block} (head ${head}${lastError ? `; last watcher error: ${lastError}` : ''})`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop() {
      worker.postMessage('stop')
      const timer = setTimeout(() => void worker.terminate(), 2_000)
      await exited
      clearTimeout(timer)
    },
  }
}

export type BlockClock = ReturnType<typeof startBlockClock>
