import { expect, test } from 'vitest'
import { createSubmissionQueue, type SubmissionJob } from './submissionQueue.ts'

/** A job that runs until the test opens it. */
function gatedJob(watchId: string, log: string[]) {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  const job: SubmissionJob = {
    watchId,
    run: async () => {
      log.push(`start ${watchId}`)
      await opened
      log.push(`end ${watchId}`)
    },
  }
  return { job, open }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

test('queue: at most `concurrency` jobs run, in order; a watch counts as queued until its job settles', async () => {
  const log: string[] = []
  const queue = createSubmissionQueue({ concurrency: 2, onError: () => {} })
  const jobs = ['a', 'b', 'c'].map((id) => gatedJob(id, log))
  const all = queue.enqueue(jobs.map((j) => j.job))
  await turn()
  expect(log).toEqual(['start a', 'start b'])
  expect([queue.has('a'), queue.has('c'), queue.has('z'), queue.size]).toEqual([true, true, false, 3])
  jobs[0]!.open()
  await turn()
  expect(log).toEqual(['start a', 'start b', 'end a', 'start c'])
  expect(queue.has('a')).toBe(false)
  jobs[1]!.open()
  jobs[2]!.open()
  await all
  expect(queue.size).toBe(0)
  await queue.idle()
})

test('queue: while a block pass holds it, no new job starts; the running ones finish', async () => {
  const log: string[] = []
  const queue = createSubmissionQueue({ concurrency: 1, onError: () => {} })
  const first = gatedJob('a', log)
  const second = gatedJob('b', log)
  void queue.enqueue([first.job, second.job])
  await turn()
  const release = queue.hold()
  first.open()
  await turn()
  expect(log).toEqual(['start a', 'end a'])
  release()
  await turn()
  expect(log).toEqual(['start a', 'end a', 'start b'])
  second.open()
  await queue.idle()
})

test('queue: a job that throws goes to onError and does not stop the others', async () => {
  const errors: string[] = []
  const ran: string[] = []
  const queue = createSubmissionQueue({ concurrency: 1, onError: (error, job) => errors.push(`${job.watchId}: ${String(error)}`) })
  await queue.enqueue([
    { watchId: 'a', run: () => Promise.reject(new Error('boom')) },
    { watchId: 'b', run: async () => void ran.push('b') },
  ])
  expect(errors).toEqual(['a: Error: boom'])
  expect(ran).toEqual(['b'])
  expect(queue.has('a')).toBe(false)
})
