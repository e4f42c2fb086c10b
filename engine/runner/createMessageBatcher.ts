/** Anything with `postMessage` (a Worker, a MessagePort). */
export type MessageTarget = { postMessage(message: unknown): void }

export type MessageBatcher<message> = {
  /** Queues a message; the queue goes out as one `{ type: 'batch', messages }` once the current event-loop phase is done. */
  send(message: message): void
  /** Sends what is queued now (before a message that must not wait, e.g. a synchronous clock request). */
  flush(): void
  /** Resolves once what is queued now has been posted (at the next flush). */
  sent(): Promise<void>
}

/**
 * Coalesces the messages one side of the worker protocol sends in the same event-loop turn into one
 * `postMessage`: a handler's `Promise.all` of 200 store reads costs one message, not 200 (each
 * `postMessage` wakes the other thread and pays a fixed cost). The flush waits for `setImmediate`,
 * not a microtask, so answers that complete in separate callbacks of one I/O phase (200 order posts
 * answered together) share a message too: at saturation that halved the main thread's posts. Order is kept. A batch that
 * structured clone refuses is sent again message by message, and `onCloneError` gets each
 * message that still fails (to reject that call, or to send a cloneable copy).
 *
 * @example
 * const out = createMessageBatcher(port, (message, error) => rejectCall(message, error))
 * out.send({ type: 'call', id: 1, path: 'store.get', args: ['k'] })
 */
export function createMessageBatcher<message>(target: MessageTarget, onCloneError: (message: message, error: unknown) => void): MessageBatcher<message> {
  let queue: message[] = []
  let scheduled = false
  let waiters: Array<() => void> = []

  function sendOne(message: message) {
    try {
      target.postMessage(message)
    } catch (error) {
      onCloneError(message, error)
    }
  }

  function post(batch: message[]) {
    if (batch.length === 1) return sendOne(batch[0]!)
    try {
      target.postMessage({ type: 'batch', messages: batch })
    } catch {
      for (const message of batch) sendOne(message)
    }
  }

  function flush() {
    scheduled = false
    const batch = queue
    const done = waiters
    queue = []
    waiters = []
    if (batch.length > 0) post(batch)
    for (const resolve of done) resolve()
  }

  return {
    send(message) {
      queue.push(message)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    flush,
    sent() {
      if (queue.length === 0) return Promise.resolve()
      return new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
}
