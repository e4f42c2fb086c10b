import { errorMessage, type Host } from '../sdk/index.ts'

/** One part to post: the watch it belongs to, and the work (post, marker, reschedule). */
export type SubmissionJob = { watchId: string; run: () => Promise<void> }

export type SubmissionQueue = {
  /** Queues jobs; resolves when all of them have settled (a job's error goes to `onError`). */
  enqueue(jobs: readonly SubmissionJob[]): Promise<void>
  /** True while a part of this watch is queued or being posted: the watch is not polled again meanwhile. */
  has(watchId: string): boolean
  /** Jobs queued or running. */
  readonly size: number
  /** Jobs running at once (the module's `submitConcurrency`, set by each block pass). */
  concurrency: number
  /** While held (a block pass is polling), no new job starts; the running ones go on. */
  hold(): () => void
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>
}

export type CreateSubmissionQueueParameters = {
  /** Jobs running at once, until set otherwise. */
  concurrency: number
  onError: (error: unknown, job: SubmissionJob) => void
}

/**
 * A FIFO of part submissions that drains in the background with at most `concurrency` running, so
 * a block pass can return once it has polled and rescheduled, and the next block is not held up by
 * the posts of this one. Each job starts from a settled one's continuation (or from `enqueue`): the
 * work per turn is bounded by the concurrency, and a block pass that holds the queue goes first.
 * Its length is bounded by the watches: a watch with a part queued is not polled again until the
 * job settles.
 *
 * @example
 * const queue = createSubmissionQueue({ concurrency: 256, onError: (error) => log(error) })
 * await queue.enqueue([{ watchId, run: () => submit(part) }])
 */
export function createSubmissionQueue({ concurrency, onError }: CreateSubmissionQueueParameters): SubmissionQueue {
  const limit = { value: Math.max(1, concurrency) }
  const waiting: Array<{ job: SubmissionJob; settle: () => void }> = []
  const watches = new Map<string, number>()
  let running = 0
  let holds = 0
  const idlers: Array<() => void> = []

  const release = (watchId: string) => {
    const left = (watches.get(watchId) ?? 1) - 1
    if (left <= 0) watches.delete(watchId)
    else watches.set(watchId, left)
  }

  function pump() {
    while (holds === 0 && running < limit.value && waiting.length > 0) {
      const { job, settle } = waiting.shift()!
      running++
      void job
        .run()
        .catch((error: unknown) => onError(error, job))
        .finally(() => {
          running--
          release(job.watchId)
          settle()
          pump()
          if (running === 0 && waiting.length === 0) for (const idler of idlers.splice(0)) idler()
        })
    }
  }

  return {
    enqueue(jobs) {
      const settled = jobs.map(
        (job) =>
          new Promise<void>((settle) => {
            watches.set(job.watchId, (watches.get(job.watchId) ?? 0) + 1)
            waiting.push({ job, settle })
          }),
      )
      pump()
      return Promise.all(settled).then(() => {})
    },
    has: (watchId) => watches.has(watchId),
    get concurrency() {
      return limit.value
    },
    set concurrency(value: number) {
      limit.value = Math.max(1, value)
      pump()
    },
    get size() {
      return running + waiting.length
    },
    hold() {
      holds++
      let released = false
      return () => {
        if (released) return
        released = true
        holds--
        pump()
      }
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve()
      return new Promise((resolve) => idlers.push(resolve))
    },
  }
}

const queues = new WeakMap<Host, SubmissionQueue>()

/**
 * The submission queue of one module instance (per Host: a worker, an in-process runner, a MockHost).
 *
 * @example
 * const queue = submissionQueueOf(host, config.submitConcurrency)
 */
export function submissionQueueOf(host: Host, concurrency: number): SubmissionQueue {
  let queue = queues.get(host)
  if (!queue) {
    queue = createSubmissionQueue({
      concurrency,
      onError: (error, job) => host.log.error('posting a part failed; its watch stays due', { watch: job.watchId, error: errorMessage(error) }),
    })
    queues.set(host, queue)
  }
  return queue
}
