import fc from 'fast-check'
import { encodeErrorResult, keccak256, toHex, type Hex } from 'viem'
import { expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { CowApiError, computeUid, createMockHost, pollErrorsAbi, type ModuleLog } from '../sdk/index.ts'
import { nonCanonicalOrderResults, nonCanonicalPollErrors } from '../sdk/testing/nonCanonical.ts'
import { twapMonitorConfig } from './config.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, orderResult, timeOf, twapData, twapParams } from './testing/fixtures.ts'

const config = twapMonitorConfig.parse({})
const POLL = { selector: '0x26e0a196' } as const
const hex = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => toHex(bytes))
const selectors = pollErrorsAbi.map((e) => encodeErrorResult({ abi: [e], errorName: e.name, args: e.inputs.map((i) => (i.type === 'string' ? 'x' : 1n)) } as never).slice(0, 10) as Hex)
/** Revert/return data: random bytes, or a poll error selector with a random tail, or a truncated real answer. */
const answerData = fc.oneof(
  hex(0, 200),
  fc.tuple(fc.constantFrom(...selectors), hex(0, 160)).map(([s, tail]) => (s + tail.slice(2)) as Hex),
  fc.nat({ max: 900 }).map((cut) => orderResult((pollTwap({ data: twapData(), now: timeOf(10n) }) as Extract<ReturnType<typeof pollTwap>, { kind: 'order' }>).order).slice(0, 10 + cut * 2) as Hex),
)

test('property: onLogs never throws on arbitrary topics and data', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ topics: fc.array(fc.oneof(hex(32, 32), hex(0, 40), fc.constant(keccak256(toHex('x')))), { maxLength: 4 }), data: hex(0, 400) }), { maxLength: 5 }), async (raw) => {
      const mock = createMockHost({ module: twapMonitor })
      const base = createdLog(twapParams(), 1n)
      const logs: ModuleLog[] = raw.map((r, i) => ({ ...base, logIndex: i, topics: i % 2 ? [base.topics[0]!, ...r.topics] : r.topics, data: r.data }))
      await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(1n), logs })
      mock.dispose()
    }),
    { numRuns: 150 },
  )
})

test('property: onBlock never throws on arbitrary multicall return or revert data', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), answerData), { minLength: 1, maxLength: 6 }), async (answers) => {
      const mock = createMockHost({ module: twapMonitor })
      await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
      for (const [index, [success, data]] of answers.entries()) {
        mock.chain.onMulticall(POLL, success ? data : { revert: data }, { times: 1 })
        await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(10n + BigInt(index)) })
      }
      const watches = await mock.store.list('watch:')
      expect(watches.length + (await mock.store.list('removed:')).length).toBeLessThanOrEqual(2)
      mock.dispose()
    }),
    { numRuns: 150 },
  )
})

test('property: no non-canonical encoding of a poll error or of an order removes a watch or posts anything', async () => {
  const answer = fc.oneof(
    nonCanonicalPollErrors.map((e) => ({ what: `${e.name}: ${e.damage}`, answer: { revert: e.data } as const })),
    nonCanonicalOrderResults.map((o) => ({ what: `order: ${o.damage}`, answer: o.data })),
  )
  const everyBlock = { ...config, unknownBackoffMaxBlocks: 1 }
  await fc.assert(
    fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: everyBlock.maxUnknownPolls - 1 }), async (answers) => {
      const mock = createMockHost({ module: twapMonitor })
      await twapMonitor.onLogs!({ host: mock.host, config: everyBlock, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
      for (const [index, { answer }] of answers.entries()) {
        mock.chain.onMulticall(POLL, answer, { times: 1 })
        await twapMonitor.onBlock!({ host: mock.host, config: everyBlock, block: blockAt(10n + BigInt(index)) })
      }
      expect(mock.chain.multicalls).toHaveLength(answers.length) // every answer was polled and met
      expect(await mock.store.list('watch:'), answers.map((a) => a.what).join('; ')).toHaveLength(1)
      expect(await mock.store.list('removed:')).toEqual([])
      expect(mock.cowApi.submissions).toEqual([])
      mock.dispose()
    }),
    { numRuns: 200 },
  )
})

test('property: onBlock never throws on arbitrary orderbook errors, and backs off, retries or moves on', async () => {
  const failure = fc.oneof(
    fc.record({ status: fc.integer({ min: 0, max: 599 }), errorType: fc.option(fc.oneof(fc.string(), fc.constantFrom('DuplicatedOrder', 'QuoteNotFound', 'InsufficientBalance', 'ZeroAmount', 'InvalidAppData')), { nil: undefined }), description: fc.option(fc.string(), { nil: undefined }), retryAfter: fc.option(fc.double(), { nil: undefined }) }).map((f) => new CowApiError(f)),
    fc.anything(),
  )
  await fc.assert(
    fc.asyncProperty(fc.array(failure, { minLength: 1, maxLength: 4 }), async (failures) => {
      const mock = createMockHost({ module: twapMonitor })
      mock.chain.onMulticall(POLL, modelAnswer)
      for (const f of failures.reverse()) mock.cowApi.onSubmit(() => { throw f }, { times: 1 })
      await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
      for (let n = 10n; n < 60n; n++) await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
      expect(mock.logs.filter((l) => l.level === 'error')).toEqual([])
      const ok = new Set(mock.cowApi.submissions.filter((s) => s.outcome === 'ok').map((s) => s.uid))
      expect(ok.size).toBe(mock.cowApi.submissions.filter((s) => s.outcome === 'ok').length)
      mock.dispose()
    }),
    { numRuns: 60 },
  )
})

test('property: replaying the same logs and blocks gives at most one submission per UID, and every tradeable part is submitted', async () => {
  const twap = fc.record({
    n: fc.bigInt({ min: 2n, max: 5n }),
    t: fc.bigInt({ min: 13n, max: 200n }),
    spanPercent: fc.integer({ min: 0, max: 100 }),
    startBlock: fc.bigInt({ min: 0n, max: 20n }),
  })
  await fc.assert(
    fc.asyncProperty(fc.array(twap, { minLength: 1, maxLength: 3 }), fc.bigInt({ min: 0n, max: 20n }), async (twaps, createdAt) => {
      const mock = createMockHost({ module: twapMonitor })
      mock.chain.onMulticall(POLL, modelAnswer)
      const datas = twaps.map((w) => twapData({ n: w.n, t: w.t, span: (w.t * BigInt(w.spanPercent)) / 100n, t0: timeOf(w.startBlock) + 5n }))
      const logs = datas.map((data, i) => createdLog(twapParams(data, keccak256(toHex(i))), createdAt, { logIndex: i }))
      const last = 80n
      for (let pass = 0; pass < 2; pass++) {
        await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(createdAt), logs })
        for (let n = createdAt; n <= last; n++) await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
      }
      const submitted = mock.cowApi.submissions.map((s) => s.uid)
      expect(new Set(submitted).size).toBe(submitted.length)
      const expected = new Set<string>()
      for (const data of datas)
        for (let n = createdAt; n <= last; n++) {
          const r = pollTwap({ data, now: timeOf(n) })
          if (r.kind === 'order') expected.add(computeUid(CHAIN_ID, r.order, OWNER))
        }
      expect(new Set(submitted)).toEqual(expected)
      mock.dispose()
    }),
    { numRuns: 40 },
  )
})
