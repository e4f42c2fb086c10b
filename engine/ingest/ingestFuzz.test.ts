import fc from 'fast-check'
import { parseAbiItem, toEventSelector, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { createMemoryChainSource, memoryLog } from '../chain/createMemoryChainSource.ts'
import { BadRpcDataError, parseBlock, parseLog } from '../chain/parseRpc.ts'
import type { ChainSource } from '../chain/types.ts'
import { createDispatcher } from '../dispatch/createDispatcher.ts'
import { createLogRouter } from '../dispatch/createLogRouter.ts'
import type { ModuleRunner } from '../dispatch/types.ts'
import { createLogger } from '../host/createLogger.ts'
import { createIngestor } from './createIngestor.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq)')
const pingTopic = toEventSelector(ping)
const emitter = '0x00000000000000000000000000000000000000e1'
const silent = createLogger({ write: () => {} })
const chain = { confirmations: 0, poll_interval_ms: 1, max_lookback_blocks: 1000, start_block: 1, max_block_range: 5 } as const

const faults = [
  'throw',
  'blocks-drop-last',
  'blocks-dup',
  'blocks-reverse',
  'logs-drop-block',
  'logs-dup',
  'logs-foreign',
  'logs-out-of-range',
  'head-backwards',
  'head-ahead',
  'blocklogs-throw',
  'none',
] as const
type Fault = (typeof faults)[number]

/** Wraps a source so each call takes the next fault from a script (then behaves). */
function garbageSource(inner: ChainSource, script: Fault[]): ChainSource {
  let i = 0
  const next = () => script[i++] ?? 'none'
  const bad = () => new BadRpcDataError('fuzzed answer', { fuzz: true })
  return {
    ...inner,
    async getBlockNumber() {
      const f = next()
      const head = await inner.getBlockNumber()
      if (f === 'throw') throw bad()
      if (f === 'head-backwards') return head > 3n ? head - 3n : 0n
      if (f === 'head-ahead') return head + 50n
      return head
    },
    async getBlocks(from, to) {
      const f = next()
      const blocks = await inner.getBlocks(from, to)
      if (f === 'throw') throw bad()
      if (f === 'blocks-drop-last' && blocks.length > 1) return blocks.slice(0, -1)
      if (f === 'blocks-dup') return [...blocks, blocks.at(-1)!]
      if (f === 'blocks-reverse' && blocks.length > 1) return [...blocks].reverse()
      return blocks
    },
    async getLogs(filter) {
      const f = next()
      const logs = await inner.getLogs(filter)
      if (f === 'throw') throw bad()
      if (f === 'logs-drop-block' && logs.length) return logs.filter((l) => l.blockNumber !== logs[0]!.blockNumber)
      if (f === 'logs-dup' && logs.length) return [...logs, logs[0]!]
      if (f === 'logs-foreign' && logs.length) return [{ ...logs[0]!, blockHash: `0x${'ab'.repeat(32)}` as Hex }, ...logs.slice(1)]
      if (f === 'logs-out-of-range' && logs.length) return [...logs, { ...logs[0]!, blockNumber: filter.toBlock + 1n }]
      return logs
    },
    async getBlockLogs(hash, filter) {
      if (next() === 'blocklogs-throw') throw bad()
      return inner.getBlockLogs!(hash, filter)
    },
  }
}

describe('ingestion under bad data (fast-check)', () => {
  test('behavior: a source answering garbage some of the time never crashes the loop, never skips a block, never delivers twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...faults), { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 25 }), async (script, perBlock) => {
        const mem = createMemoryChainSource()
        let seq = 0n
        mem.mine(perBlock.map((n) => Array.from({ length: n }, () => memoryLog(emitter, pingTopic, ++seq))))
        const blocks: bigint[] = []
        const seqs: bigint[] = []
        const runner: ModuleRunner = {
          name: 'recorder',
          subscriptions: { blocks: [{ chainId: 11155111 }], logs: [{ chainId: 11155111, address: emitter, event: ping }] },
          async init() {},
          async stop() {},
          async handle(event) {
            if (event.kind === 'block') blocks.push(event.block.number)
            if (event.kind === 'logs') seqs.push(...event.logs.map((l) => l.decoded?.args.seq as bigint))
          },
        }
        const router = createLogRouter([runner])
        const cursors = new Map<number, { number: bigint; hash: string }>()
        const store = { getCursor: (id: number) => cursors.get(id), setCursor: async (id: number, c: { number: bigint; hash: string }) => void cursors.set(id, c) }
        const ingestor = createIngestor({
          source: garbageSource(mem.source, script),
          chain,
          store,
          dispatcher: createDispatcher({ runners: [runner], router }),
          filter: router.filterFor(11155111),
          log: silent,
          maxBackoffMs: 2,
        })
        ingestor.start()
        const deadline = Date.now() + 10_000
        while (cursors.get(11155111)?.number !== mem.head()) {
          if (Date.now() > deadline) throw new Error(`cursor stuck at ${cursors.get(11155111)?.number} (head ${mem.head()})`)
          await new Promise((r) => setTimeout(r, 1))
        }
        await ingestor.stop()
        expect(blocks).toEqual(Array.from({ length: perBlock.length }, (_, i) => BigInt(i + 1)))
        expect(seqs).toEqual(Array.from({ length: Number(seq) }, (_, i) => BigInt(i + 1)))
      }),
      { numRuns: 60 },
    )
  })

  test('behavior: parseBlock and parseLog accept valid answers or throw BadRpcDataError naming the bad value, nothing else', () => {
    const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString('hex')}`)
    const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.anything())
    const block = fc.record({ number: maybe(fc.bigInt({ min: 0n, max: 2n ** 40n }).map((n) => `0x${n.toString(16)}`)), hash: maybe(hex(32)), parentHash: maybe(hex(32)), timestamp: maybe(fc.constant('0x5')), logsBloom: fc.option(maybe(hex(256)), { nil: undefined }) })
    const log = fc.record({ address: maybe(hex(20)), blockNumber: maybe(fc.constant('0x1')), blockHash: maybe(hex(32)), transactionHash: maybe(hex(32)), transactionIndex: maybe(fc.constant('0x0')), logIndex: maybe(fc.constant('0x2')), topics: maybe(fc.array(hex(32), { maxLength: 4 })), data: maybe(fc.constant('0x')) })
    fc.assert(
      fc.property(fc.oneof(block, fc.anything()), fc.oneof(log, fc.anything()), (b, l) => {
        for (const parse of [() => parseBlock(b, 1), () => parseLog(l)]) {
          try {
            parse()
          } catch (error) {
            expect(error).toBeInstanceOf(BadRpcDataError)
            expect((error as Error).message).toMatch(/^Malformed (block|log)/)
          }
        }
      }),
      { numRuns: 500 },
    )
  })
})
