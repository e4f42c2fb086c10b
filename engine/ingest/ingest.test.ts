import { parseAbiItem, toEventSelector, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { createMemoryChainSource, memoryLog } from '../chain/createMemoryChainSource.ts'
import { createDispatcher } from '../dispatch/createDispatcher.ts'
import { createLogRouter } from '../dispatch/createLogRouter.ts'
import type { ModuleEvent, ModuleRunner } from '../dispatch/types.ts'
import { createLogger } from '../host/createLogger.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import type { Subscriptions } from '../../modules/sdk/module/types.ts'
import { createIngestor } from './createIngestor.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq)')
const pingTopic = toEventSelector(ping)
const emitter = '0x00000000000000000000000000000000000000e1'
const other = '0x00000000000000000000000000000000000000e2'
const chain = { confirmations: 0, poll_interval_ms: 5, max_lookback_blocks: 1000, start_block: 1, max_block_range: 7 } as const
const silent = createLogger({ write: () => {} })

type Seen = { kind: ModuleEvent['kind']; block?: bigint; seqs?: bigint[]; fromBlock?: bigint; removed?: bigint[] }

function recorder(name: string, subscriptions: Subscriptions, gate?: () => Promise<void>) {
  const seen: Seen[] = []
  const runner: ModuleRunner = {
    name,
    subscriptions,
    async init() {},
    async stop() {},
    async handle(event) {
      await gate?.()
      if (event.kind === 'logs') seen.push({ kind: 'logs', block: event.block.number, seqs: event.logs.map((l) => l.decoded?.args.seq as bigint) })
      else if (event.kind === 'block') seen.push({ kind: 'block', block: event.block.number })
      else seen.push({ kind: 'reorg', fromBlock: event.reorg.fromBlock, removed: event.reorg.removedLogs.map((l) => l.decoded?.args.seq as bigint) })
    },
  }
  return { runner, seen }
}

function memoryCursorStore() {
  const cursors = new Map<number, { number: bigint; hash: string }>()
  return { cursors, getCursor: (id: number) => cursors.get(id), setCursor: async (id: number, c: { number: bigint; hash: string }) => void cursors.set(id, c) }
}

function setup(runners: ModuleRunner[], mem = createMemoryChainSource(), store = memoryCursorStore()) {
  const router = createLogRouter(runners)
  const dispatcher = createDispatcher({ runners, router })
  const ingestor = createIngestor({ source: mem.source, chain, store, dispatcher, filter: router.filterFor(mem.source.chainId), log: silent })
  return { mem, store, ingestor }
}

async function until(fn: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

let seq = 0n
const logsFor = (count: number, address: Hex = emitter) => Array.from({ length: count }, () => memoryLog(address, pingTopic, ++seq))

describe('ingestion and dispatch', () => {
  test('behavior: dispatch does not wait for a cursor write to flush; the cursor is acknowledged (status, metric) only once flushed, and the newest finished position is written next', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }] })
    // A disk that takes its time: each cursor write waits until the test lets it through.
    const written: bigint[] = []
    const release: Array<() => void> = []
    const store = {
      getCursor: () => undefined,
      setCursor: async (_id: number, c: { number: bigint; hash: string }) => {
        await new Promise<void>((resolve) => release.push(resolve))
        written.push(c.number)
      },
    }
    const mem = createMemoryChainSource()
    const router = createLogRouter([a.runner])
    const metrics = createMetrics()
    const ingestor = createIngestor({ source: mem.source, chain, store, dispatcher: createDispatcher({ runners: [a.runner], router }), filter: undefined, metrics, log: silent })
    const cursorGauge = async () => (await metrics.cursorBlock.get()).values[0]?.value
    ingestor.start()
    await until(() => release.length === 1, 'the pinned start written')
    release.shift()!()
    await until(() => written.length === 1, 'the pin stored')
    mem.mine(Array.from({ length: 20 }, () => []))
    // Block 1 finished: its cursor write hangs on the disk; blocks 2..20 are dispatched meanwhile.
    await until(() => a.seen.length === 20, 'all 20 blocks dispatched while the first cursor write waits')
    expect(release).toHaveLength(1)
    expect(ingestor.status().cursor).toBe(0n) // not acknowledged before it is flushed
    expect(await cursorGauge()).toBe(0)
    release.shift()!()
    // Then the newest finished position, not one write per block.
    await until(() => release.length === 1, 'the next cursor write')
    release.shift()!()
    await until(() => ingestor.status().cursor === 20n, 'cursor 20 acknowledged')
    expect(written).toEqual([0n, written[1]!, 20n])
    expect(written[1]!).toBeLessThan(20n)
    expect(await cursorGauge()).toBe(20)
    const stopped = ingestor.stop()
    while (release.length) release.shift()!()
    await stopped
  })

  test('behavior: every block and log is delivered once, in chain order, logs before their block', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }], logs: [{ chainId: 11155111, address: emitter, event: ping }] })
    const { mem, ingestor, store } = setup([a.runner])
    mem.mine(Array.from({ length: 30 }, (_, i) => logsFor(i % 3)))
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 30n, 'cursor 30')
    mem.mine([logsFor(2), logsFor(0)])
    await until(() => store.cursors.get(11155111)?.number === 32n, 'cursor 32')
    await ingestor.stop()

    const blocks = a.seen.filter((s) => s.kind === 'block').map((s) => s.block)
    expect(blocks).toEqual(Array.from({ length: 32 }, (_, i) => BigInt(i + 1)))
    const seqs = a.seen.flatMap((s) => s.seqs ?? [])
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + BigInt(i)))
    expect(seqs.length).toBe(32) // i % 3 logs over 30 blocks is 30, then 2 more
    for (let i = 0; i < a.seen.length; i++)
      if (a.seen[i]!.kind === 'logs') expect(a.seen[i + 1]).toEqual({ kind: 'block', block: a.seen[i]!.block })
  })

  test('behavior: a fresh engine pins its start block before delivering anything, so a crash before its first block does not move "latest" past blocks it never delivered', async () => {
    const gate = { open: false }
    const a = recorder('a', { blocks: [{ chainId: 11155111 }] }, async () => {
      while (!gate.open) await new Promise((r) => setTimeout(r, 2))
    })
    const mem = createMemoryChainSource()
    mem.mine(Array.from({ length: 10 }, () => []))
    const store = memoryCursorStore()
    const router = createLogRouter([a.runner])
    const dispatcher = createDispatcher({ runners: [a.runner], router })
    const first = createIngestor({ source: mem.source, chain: { ...chain, start_block: 'latest' }, store, dispatcher, filter: router.filterFor(mem.source.chainId), log: silent })
    first.start()
    await until(() => store.cursors.has(11155111), 'the pinned start')
    // "latest" is block 10: the pin says "delivered through 9". Held in block 10, the "crash" comes now.
    expect(store.cursors.get(11155111)).toMatchObject({ number: 9n })
    mem.mine(Array.from({ length: 5 }, () => []))
    gate.open = true
    void first.stop()
    // The next life resumes from the pinned block, not from the head it sees now (15).
    const b = recorder('b', { blocks: [{ chainId: 11155111 }] })
    const router2 = createLogRouter([b.runner])
    const second = createIngestor({ source: mem.source, chain: { ...chain, start_block: 'latest' }, store, dispatcher: createDispatcher({ runners: [b.runner], router: router2 }), filter: router2.filterFor(mem.source.chainId), log: silent })
    second.start()
    await until(() => b.seen.some((s) => s.block === 15n), 'block 15 in the second life')
    await second.stop()
    expect(b.seen.filter((s) => s.kind === 'block').map((s) => s.block)[0]).toBe(10n)
  })

  test('behavior: logs go only to modules whose address and event match', async () => {
    const a = recorder('a', { logs: [{ chainId: 11155111, address: emitter, event: ping }] })
    const b = recorder('b', { logs: [{ chainId: 11155111, address: other, event: ping }] })
    const { mem, ingestor, store } = setup([a.runner, b.runner])
    mem.mine([logsFor(2, emitter), logsFor(1, other), [...logsFor(1, other), ...logsFor(1, emitter)]])
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 3n, 'cursor 3')
    await ingestor.stop()
    expect(a.seen.map((s) => s.block)).toEqual([1n, 3n])
    expect(b.seen.map((s) => s.block)).toEqual([2n, 3n])
    expect(a.seen.every((s) => s.kind === 'logs')).toBe(true)
  })

  test('behavior: modules run side by side; the cursor waits for the slowest', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slow = recorder('slow', { blocks: [{ chainId: 11155111 }] }, () => gate)
    const fast = recorder('fast', { blocks: [{ chainId: 11155111 }] })
    const { mem, ingestor, store } = setup([slow.runner, fast.runner])
    mem.mine(Array.from({ length: 10 }, () => []))
    ingestor.start()
    await until(() => fast.seen.length === 10, 'fast module to finish')
    expect(slow.seen.length).toBe(0)
    // Only the pinned start (nothing delivered yet to every module).
    expect(store.cursors.get(11155111)?.number).toBe(0n)
    release()
    await until(() => store.cursors.get(11155111)?.number === 10n, 'cursor 10')
    await ingestor.stop()
    expect(slow.seen.map((s) => s.block)).toEqual(fast.seen.map((s) => s.block))
  })

  test('behavior: a restart resumes from the cursor with no gap and no repeat', async () => {
    const first = recorder('a', { blocks: [{ chainId: 11155111 }] })
    const mem = createMemoryChainSource()
    const store = memoryCursorStore()
    mem.mine(Array.from({ length: 12 }, () => []))
    const run1 = setup([first.runner], mem, store)
    run1.ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 12n, 'cursor 12')
    await run1.ingestor.stop()
    mem.mine(Array.from({ length: 8 }, () => []))
    const second = recorder('a', { blocks: [{ chainId: 11155111 }] })
    const run2 = setup([second.runner], mem, store)
    run2.ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 20n, 'cursor 20')
    await run2.ingestor.stop()
    expect([...first.seen, ...second.seen].map((s) => s.block)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)))
  })

  test('behavior: a failed fetch is retried, never skipped', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }], logs: [{ chainId: 11155111, address: emitter, event: ping }] })
    const { mem, ingestor, store } = setup([a.runner])
    mem.mine([logsFor(1), logsFor(1), logsFor(1)])
    mem.failNext('getLogs', new Error('connection reset'))
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 3n, 'cursor 3')
    await ingestor.stop()
    expect(mem.calls.getLogs).toBeGreaterThanOrEqual(2)
    expect(a.seen.filter((s) => s.kind === 'logs').map((s) => s.block)).toEqual([1n, 2n, 3n])
  })

  test('behavior: a reorg tells modules what was removed, then delivers the new branch', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }], logs: [{ chainId: 11155111, address: emitter, event: ping }] })
    const { mem, ingestor, store } = setup([a.runner])
    mem.mine([logsFor(1), logsFor(1), logsFor(1), logsFor(1), logsFor(1)])
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 5n, 'cursor 5')
    const removed = a.seen.filter((s) => s.kind === 'logs' && s.block! >= 3n).flatMap((s) => s.seqs!)
    mem.reorg(3, [logsFor(1), [], logsFor(2), []])
    await until(() => store.cursors.get(11155111)?.number === 6n, 'cursor 6 on the new branch')
    await ingestor.stop()
    const reorg = a.seen.find((s) => s.kind === 'reorg')
    expect(reorg).toEqual({ kind: 'reorg', fromBlock: 3n, removed })
    const after = a.seen.slice(a.seen.indexOf(reorg!) + 1)
    expect(after.filter((s) => s.kind === 'block').map((s) => s.block)).toEqual([3n, 4n, 5n, 6n])
  })

  test('behavior: a reorg is counted and its depth (old tip back to the common ancestor) observed in shepherd_reorg_depth_blocks', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }] })
    const mem = createMemoryChainSource()
    const store = memoryCursorStore()
    const router = createLogRouter([a.runner])
    const metrics = createMetrics()
    const ingestor = createIngestor({ source: mem.source, chain, store, dispatcher: createDispatcher({ runners: [a.runner], router }), filter: undefined, metrics, log: silent })
    // Exported at zero before any reorg, so the first one is an increase Prometheus can see.
    expect((await metrics.reorgDepth.get()).values.find((v) => v.metricName === 'shepherd_reorg_depth_blocks_count')?.value).toBe(0)
    expect((await metrics.reorgs.get()).values[0]?.value).toBe(0)
    mem.mine([[], [], [], [], []])
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 5n, 'cursor 5')
    // Blocks 3..5 replaced: the old tip (5) is 3 blocks past the common ancestor (2).
    mem.reorg(3, [[], [], [], []])
    await until(() => store.cursors.get(11155111)?.number === 6n, 'cursor 6 on the new branch')
    await ingestor.stop()
    const values = (await metrics.reorgDepth.get()).values
    expect(values.find((v) => v.metricName === 'shepherd_reorg_depth_blocks_count')?.value).toBe(1)
    expect(values.find((v) => v.metricName === 'shepherd_reorg_depth_blocks_sum')?.value).toBe(3)
    expect(values.find((v) => v.metricName === 'shepherd_reorg_depth_blocks_bucket' && (v.labels as { le?: number }).le === 2)?.value).toBe(0)
    expect(values.find((v) => v.metricName === 'shepherd_reorg_depth_blocks_bucket' && (v.labels as { le?: number }).le === 3)?.value).toBe(1)
  })

  test('behavior: a reorg that happens while the engine is down is found at restart, and the new branch is delivered from the fork point', async () => {
    const subscriptions: Subscriptions = { blocks: [{ chainId: 11155111 }], logs: [{ chainId: 11155111, address: emitter, event: ping }] }
    const first = recorder('a', subscriptions)
    const mem = createMemoryChainSource()
    const store = memoryCursorStore()
    mem.mine([logsFor(1), logsFor(1), logsFor(1), logsFor(1), logsFor(1)])
    const run1 = setup([first.runner], mem, store)
    run1.ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 5n, 'cursor 5')
    await run1.ingestor.stop()
    // Down: blocks 3-5 are replaced by a branch 3'-6' with other logs.
    const newBranch = [logsFor(1), logsFor(2), logsFor(1), []]
    mem.reorg(3, newBranch)
    const second = recorder('a', subscriptions)
    const run2 = setup([second.runner], mem, store)
    run2.ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 6n, 'cursor 6 on the new branch')
    await run2.ingestor.stop()
    expect(second.seen[0]).toMatchObject({ kind: 'reorg', fromBlock: 3n })
    expect(second.seen.filter((s) => s.kind === 'block').map((s) => s.block)).toEqual([3n, 4n, 5n, 6n])
    expect(second.seen.filter((s) => s.kind === 'logs').flatMap((s) => s.seqs)).toEqual(newBranch.flat().map((l) => BigInt(l.topics[1]!)))
  })

  test('behavior: a head that goes backwards (lagging node) is not a reorg and loses nothing', async () => {
    const a = recorder('a', { blocks: [{ chainId: 11155111 }] })
    const { mem, ingestor, store } = setup([a.runner])
    mem.mine(Array.from({ length: 6 }, () => []))
    ingestor.start()
    await until(() => store.cursors.get(11155111)?.number === 6n, 'cursor 6')
    mem.reportHead(3n)
    mem.mine([[], []])
    await new Promise((r) => setTimeout(r, 30))
    mem.reportHead(undefined)
    await until(() => store.cursors.get(11155111)?.number === 8n, 'cursor 8')
    await ingestor.stop()
    expect(a.seen.some((s) => s.kind === 'reorg')).toBe(false)
    expect(a.seen.map((s) => s.block)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n])
  })

  test('behavior: a log-only configuration runs, and a configuration with no log subscription never calls getLogs', async () => {
    const logsOnly = recorder('l', { logs: [{ chainId: 11155111, address: emitter, event: ping }] })
    const run1 = setup([logsOnly.runner])
    run1.mem.mine([[], logsFor(1), []])
    run1.ingestor.start()
    await until(() => run1.store.cursors.get(11155111)?.number === 3n, 'cursor 3')
    await run1.ingestor.stop()
    expect(logsOnly.seen.map((s) => s.block)).toEqual([2n])

    const blocksOnly = recorder('b', { blocks: [{ chainId: 11155111 }] })
    const run2 = setup([blocksOnly.runner])
    run2.mem.mine([logsFor(1), []])
    run2.ingestor.start()
    await until(() => run2.store.cursors.get(11155111)?.number === 2n, 'cursor 2')
    await run2.ingestor.stop()
    expect(run2.mem.calls.getLogs).toBe(0)
    expect(blocksOnly.seen.map((s) => s.block)).toEqual([1n, 2n])
  })

  test('behavior: an empty module set keeps following the chain', async () => {
    const { mem, ingestor, store } = setup([])
    mem.mine([[], []])
    ingestor.start()
    await until(() => ingestor.status().head === 2n, 'head 2')
    mem.mine([[]])
    await until(() => ingestor.status().head === 3n, 'head 3')
    await ingestor.stop()
    expect(store.cursors.get(11155111)?.number).toBe(3n)
  })
})
