import { afterEach, describe, expect, test } from 'vitest'
import { createMemoryChainSource } from '../chain/createMemoryChainSource.ts'
import type { ChainSource } from '../chain/types.ts'
import { createDispatcher } from '../dispatch/createDispatcher.ts'
import { createLogRouter } from '../dispatch/createLogRouter.ts'
import type { ModuleRunner } from '../dispatch/types.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { ConfigError } from '../errors/config.ts'
import { createHealthBoard } from '../health/createHealthBoard.ts'
import { createLogger } from '../host/createLogger.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { createIngestor, type CreateIngestorParameters, type Ingestor } from './createIngestor.ts'

// Fake ChainSources (the in-memory chain, wrapped) drive every path of the ingestor's decisions:
// what it retries, what stops the chain, and what /healthz's board says about it.
const chainId = 11155111
const baseChain = { confirmations: 0, poll_interval_ms: 5, max_lookback_blocks: 1000, start_block: 1, max_block_range: 7 } as const

type Line = { level: string; msg: string; [k: string]: unknown }

const running: Ingestor[] = []
afterEach(async () => {
  for (const ingestor of running.splice(0)) await ingestor.stop()
})

function counter(subscribed = true) {
  const blocks: bigint[] = []
  const runner: ModuleRunner = {
    name: 'counter',
    subscriptions: subscribed ? { blocks: [{ chainId }] } : {},
    async init() {},
    async stop() {},
    async handle(event) {
      if (event.kind === 'block') blocks.push(event.block.number)
    },
  }
  return { runner, blocks }
}

function setup(options: {
  source?: (mem: ReturnType<typeof createMemoryChainSource>) => ChainSource
  chain?: Partial<CreateIngestorParameters['chain']>
  runners?: ModuleRunner[]
  cursor?: bigint
  headStaleAfterMs?: number
} = {}) {
  const mem = createMemoryChainSource({ chainId })
  const source = options.source?.(mem) ?? mem.source
  const cursors = new Map<number, { number: bigint; hash: string }>()
  if (options.cursor !== undefined) cursors.set(chainId, { number: options.cursor, hash: '0x' })
  const store = { getCursor: (id: number) => cursors.get(id), setCursor: async (id: number, c: { number: bigint; hash: string }) => void cursors.set(id, c) }
  const module = counter()
  const runners = options.runners ?? [module.runner]
  const metrics = createMetrics()
  const health = createHealthBoard()
  const lines: Line[] = []
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Line) })
  const router = createLogRouter(runners)
  const ingestor = createIngestor({
    source,
    chain: { ...baseChain, ...options.chain },
    store,
    dispatcher: createDispatcher({ runners, router, metrics, log, retryBackoffMs: { min: 5, max: 20 } }),
    filter: router.filterFor(chainId),
    metrics,
    health,
    log,
    headStaleAfterMs: options.headStaleAfterMs,
  })
  running.push(ingestor)
  const gauge = async (name: string) => (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.chain_id === String(chainId))?.value
  const problem = (check: string) => health.problems().find((p) => p.source === `chain:${chainId}` && p.check === check)
  return { mem, ingestor, cursors, module, metrics, health, lines, gauge, problem }
}

async function until(fn: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** A source answering eth_chainId with `answer()`. */
const withChainId = (source: ChainSource, answer: () => number): ChainSource => ({ ...source, getChainId: async () => answer() })

/** An error shaped like viem's RpcError: a code and the node's text in `details`. */
function nodeError(code: number, text: string) {
  return Object.assign(new Error(`RPC Request failed.\n\nDetails: ${text}`), { code, details: text })
}

describe('ingestor: chain health', () => {
  test('behavior: no head yet is unhealthy; a fetched head and a caught-up cursor are healthy', async () => {
    const { mem, ingestor, problem, health } = setup()
    expect(problem('head')?.reason).toMatch(/no chain head fetched yet/)
    mem.mine(Array.from({ length: 5 }, () => []))
    ingestor.start()
    await until(() => ingestor.status().cursor === 5n, 'cursor 5')
    expect(health.problems()).toEqual([])
    expect(ingestor.status()).toMatchObject({ state: 'running', head: 5n, cursor: 5n, lag: 0n })
  })

  test('behavior: a head not fetched for longer than the limit is reported with the last error, and clears when heads come again', async () => {
    let down = false
    const { mem, ingestor, problem } = setup({
      headStaleAfterMs: 80,
      source: (m) => ({
        ...m.source,
        getBlockNumber: () => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8545')) : m.source.getBlockNumber()),
      }),
    })
    mem.mine([[], []])
    ingestor.start()
    await until(() => ingestor.status().cursor === 2n, 'cursor 2')
    expect(problem('head')).toBeUndefined()
    down = true
    await until(() => problem('head') !== undefined, 'head problem')
    expect(problem('head')!.reason).toMatch(/^no chain head for \d+\.\d s \(limit 0\.1 s.*last error: connect ECONNREFUSED/)
    down = false
    await until(() => problem('head') === undefined, 'head problem to clear', 10_000)
  })

  test('behavior: a cursor further than max_lag_blocks behind the head is unhealthy until it catches up', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const blocks: bigint[] = []
    const slow: ModuleRunner = {
      name: 'slow',
      subscriptions: { blocks: [{ chainId }] },
      async init() {},
      async stop() {},
      async handle(event) {
        await gate
        if (event.kind === 'block') blocks.push(event.block.number)
      },
    }
    const { mem, ingestor, problem, gauge } = setup({ runners: [slow], chain: { max_lag_blocks: 3 } })
    mem.mine(Array.from({ length: 10 }, () => []))
    ingestor.start()
    await until(() => problem('lag') !== undefined, 'lag problem')
    expect(problem('lag')!.reason).toBe('cursor 0 is 10 blocks behind the confirmed head 10 (max_lag_blocks 3)')
    expect(await gauge('shepherd_chain_lag_blocks')).toBe(10)
    release()
    await until(() => ingestor.status().cursor === 10n, 'cursor 10')
    expect(problem('lag')).toBeUndefined()
    expect(await gauge('shepherd_chain_lag_blocks')).toBe(0)
  })
})

describe('ingestor: a gap longer than max_lookback_blocks', () => {
  test('behavior: on_gap = "halt" stops the chain with the range and what to do; nothing is skipped and the cursor stays', async () => {
    const { mem, ingestor, module, cursors, problem, gauge, lines } = setup({ cursor: 5n, chain: { max_lookback_blocks: 10, on_gap: 'halt' } })
    mem.mine(Array.from({ length: 40 }, () => []))
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(module.blocks).toEqual([])
    expect(cursors.get(chainId)?.number).toBe(5n)
    expect(problem('stopped')?.reason).toBe('Blocks 6..30 are older than max_lookback_blocks (10); on_gap = "halt" stopped the chain instead of skipping them')
    expect(problem('stopped')?.fields?.hint).toMatch(/Raise \[chains\.11155111\] max_lookback_blocks to at least 35 .*or set on_gap = "skip"/)
    expect(await gauge('shepherd_chain_stopped')).toBe(1)
    expect(await gauge('shepherd_blocks_skipped_total')).toBe(0)
    const line = lines.find((l) => l.msg.startsWith('chain stopped'))
    expect(line).toMatchObject({ level: 'error', chainId, error: expect.stringContaining('Blocks 6..30') })
    expect(String(line!.hint)).toContain('on_gap = "skip"')
  })

  test('behavior: on_gap = "skip" skips ahead, counts the skipped blocks and reports the range as degraded', async () => {
    const { mem, ingestor, module, problem, gauge, lines } = setup({ cursor: 5n, chain: { max_lookback_blocks: 10, on_gap: 'skip' } })
    mem.mine(Array.from({ length: 40 }, () => []))
    ingestor.start()
    await until(() => ingestor.status().cursor === 40n, 'cursor 40')
    expect(module.blocks).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(31 + i)))
    expect(await gauge('shepherd_blocks_skipped_total')).toBe(25)
    expect(problem('gap')?.reason).toBe('skipped blocks 6..30 (25): the cursor was older than max_lookback_blocks (10) and on_gap = "skip"')
    expect(ingestor.status().state).toBe('running')
    expect(lines.find((l) => l.msg.startsWith('skipped blocks'))).toMatchObject({ level: 'error', from: '6', to: '30', skipped: '25' })
  })

  test('behavior: unset on_gap means halt in the ingestor (the engine picks skip only for a chain no module follows)', async () => {
    const { mem, ingestor, module } = setup({ cursor: 5n, chain: { max_lookback_blocks: 10 } })
    mem.mine(Array.from({ length: 40 }, () => []))
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(module.blocks).toEqual([])
  })
})

describe('ingestor: errors no retry fixes stop the chain; transport faults are retried', () => {
  test('behavior: eth_chainId answering another chain at start stops the chain before any block is delivered', async () => {
    const { mem, ingestor, module, problem, gauge, lines } = setup({ source: (m) => withChainId(m.source, () => 1) })
    mem.mine([[], []])
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(module.blocks).toEqual([])
    expect(problem('stopped')?.reason).toBe('The RPC serves chain 1, not the configured chain 11155111')
    expect(problem('head')).toBeUndefined() // the stop says why; the head check does not pile on
    expect(await gauge('shepherd_chain_stopped')).toBe(1)
    expect(lines.find((l) => l.msg.startsWith('chain stopped'))).toMatchObject({ level: 'error', details: expect.arrayContaining(['checked: at start']) })
  })

  test('behavior: after a stream drop the chain id is asked again, and a node of another chain stops the chain', async () => {
    let answer = chainId
    let drop!: (error: unknown) => void
    const { mem, ingestor, module } = setup({
      source: (m) => ({
        ...withChainId(m.source, () => answer),
        watchHeads: (onHead, onError) => {
          drop = onError
          return m.source.watchHeads(onHead, onError)
        },
      }),
    })
    mem.mine([[], []])
    ingestor.start()
    await until(() => ingestor.status().cursor === 2n, 'cursor 2')
    answer = 1
    mem.mine([[]])
    await until(() => ingestor.status().cursor === 3n, 'cursor 3 (no drop: the id is not asked again)')
    drop(new Error('WebSocket closed (code 1006)'))
    mem.mine([[]])
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(module.blocks).toEqual([1n, 2n, 3n])
    expect(ingestor.status().stoppedReason).toBe('The RPC serves chain 1, not the configured chain 11155111')
  })

  test('behavior: after a failed request (an HTTP endpoint that came back) the chain id is asked again', async () => {
    let answer = chainId
    const { mem, ingestor, module } = setup({ source: (m) => withChainId(m.source, () => answer) })
    mem.mine([[]])
    ingestor.start()
    await until(() => ingestor.status().cursor === 1n, 'cursor 1')
    answer = 5
    mem.failNext('getBlocks', new Error('socket hang up'))
    mem.mine([[]])
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(module.blocks).toEqual([1n])
  })

  test.each([
    ['JSON-RPC -32601 (geth)', nodeError(-32601, 'the method eth_getLogs does not exist/is not available')],
    ['text only (Alchemy, -32600)', nodeError(-32600, 'Unsupported method: eth_getLogs. See available methods at https://docs.alchemy.com')],
    ['text only (OP Stack public endpoint, -32001)', nodeError(-32001, 'rpc method is not whitelisted')],
  ])('behavior: a method the node does not serve stops the chain: %s', async (_name, error) => {
    const { mem, ingestor, problem } = setup({
      source: (m) => ({ ...m.source, getLogs: () => Promise.reject(new ChainRequestError('RPC eth_getLogs failed', { chainId, method: 'eth_getLogs', cause: error })) }),
      runners: [{ ...counter().runner, subscriptions: { logs: [{ chainId, address: '0x00000000000000000000000000000000000000e1', event: { type: 'event', name: 'Ping', inputs: [] } }] } }],
    })
    mem.mine([[]])
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(problem('stopped')?.reason).toBe('The node does not serve eth_getLogs')
    expect(String(problem('stopped')?.fields?.details)).toContain(`answer: ${error.details}`)
  })

  test('behavior: a config-class error (action stop) stops the chain', async () => {
    const { mem, ingestor, problem } = setup({
      source: (m) => ({ ...m.source, getBlocks: () => Promise.reject(new ConfigError('Invalid value for chains.11155111.rpc_url', { file: 'engine.toml', key: 'chains.11155111.rpc_url' })) }),
    })
    mem.mine([[]])
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(problem('stopped')?.reason).toBe('Invalid value for chains.11155111.rpc_url')
  })

  test('behavior: transport faults and a "header not found" answer are retried with backoff, never stop the chain', async () => {
    let failures = 3
    const { mem, ingestor, module, metrics } = setup({
      source: (m) => ({
        ...m.source,
        getBlocks: (from, to) =>
          failures-- > 0
            ? Promise.reject(failures % 2 ? new Error('connect ECONNREFUSED 127.0.0.1:8545') : nodeError(-32000, 'header not found'))
            : m.source.getBlocks(from, to),
      }),
    })
    mem.mine([[], []])
    ingestor.start()
    await until(() => ingestor.status().cursor === 2n, 'cursor 2')
    expect(module.blocks).toEqual([1n, 2n])
    expect(ingestor.status().state).toBe('running')
    const errors = (await metrics.ingestErrors.get()).values.reduce((sum, v) => sum + v.value, 0)
    expect(errors).toBe(3)
  })

  test('behavior: a module event the dispatcher gives up on (action stop) stops the chain at that block; nothing after it is committed', async () => {
    const refusing: ModuleRunner = {
      ...counter().runner,
      async handle(event) {
        if (event.kind === 'block' && event.block.number === 3n) throw new ShepherdError('cannot process this block', { action: 'stop' })
      },
    }
    const { mem, ingestor, cursors, problem } = setup({ runners: [refusing] })
    mem.mine(Array.from({ length: 6 }, () => []))
    ingestor.start()
    await until(() => ingestor.status().state === 'stopped', 'chain stopped')
    expect(cursors.get(chainId)?.number).toBe(2n)
    expect(problem('stopped')?.reason).toBe('Module "counter" could not process block 3')
  })
})
