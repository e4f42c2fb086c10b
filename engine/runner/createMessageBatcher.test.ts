import { describe, expect, test } from 'vitest'
import { createMessageBatcher } from './createMessageBatcher.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createMessageBatcher', () => {
  test('behavior: messages sent in one tick go out as one batch, in order; a lone message goes out as itself', async () => {
    const posted: unknown[] = []
    const out = createMessageBatcher<{ n: number }>({ postMessage: (message) => posted.push(message) }, () => {})
    out.send({ n: 1 })
    out.send({ n: 2 })
    out.send({ n: 3 })
    expect(posted).toEqual([])
    await tick()
    out.send({ n: 4 })
    await tick()
    expect(posted).toEqual([{ type: 'batch', messages: [{ n: 1 }, { n: 2 }, { n: 3 }] }, { n: 4 }])
  })

  test('behavior: messages sent from separate callbacks of one event-loop phase share a batch', async () => {
    const posted: unknown[] = []
    const out = createMessageBatcher<{ n: number }>({ postMessage: (message) => posted.push(message) }, () => {})
    // Two timers due together run in one timers phase, as answers arriving together run in one poll phase.
    setTimeout(() => out.send({ n: 1 }), 0)
    setTimeout(() => out.send({ n: 2 }), 0)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(posted).toEqual([{ type: 'batch', messages: [{ n: 1 }, { n: 2 }] }])
  })

  test('behavior: flush sends the queue at once', () => {
    const posted: unknown[] = []
    const out = createMessageBatcher<{ n: number }>({ postMessage: (message) => posted.push(message) }, () => {})
    out.send({ n: 1 })
    out.flush()
    expect(posted).toEqual([{ n: 1 }])
  })

  test('behavior: a batch structured clone refuses is resent one by one, and only the bad message reaches onCloneError', async () => {
    const channel = new MessageChannel()
    const received: unknown[] = []
    channel.port2.on('message', (message) => received.push(message))
    const refused: unknown[] = []
    const out = createMessageBatcher<{ n: number; f?: () => void }>(channel.port1, (message, error) => refused.push([message.n, (error as Error).name]))
    out.send({ n: 1 })
    out.send({ n: 2, f: () => {} })
    out.send({ n: 3 })
    await tick()
    await new Promise((resolve) => setTimeout(resolve, 20))
    channel.port1.close()
    expect(refused).toEqual([[2, 'DataCloneError']])
    expect(received).toEqual([{ n: 1 }, { n: 3 }])
  })
})
