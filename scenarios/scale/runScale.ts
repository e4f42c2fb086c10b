import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex, type Address, type Hex } from 'viem'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { ownerSetupCalls } from '../../harness/devnet/ownerSetupCalls.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { deriveSenders } from '../../harness/load/buildLoadTx.ts'
import { rpcBatch, rpcCall, type RpcCall } from '../../harness/load/rpcBatch.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { parsePrometheus, sumOf, type Sample } from '../../harness/scenario/prometheus.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { planScaleTwaps } from './planScaleTwaps.ts'
import { createScaleTwaps } from './createScaleTwaps.ts'
import { directoryBytes, readProcessUsage } from './readProcessUsage.ts'
import { readExpectedParts } from './readExpectedParts.ts'
import type { BurstBlock, BurstEvidence, DueParts, GrowthPhase, SteadyBlock } from './scaleEvidence.ts'
import { startScenarioEngine, type ScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'

export type RunScaleParameters = {
  transport: 'ws' | 'http'
  /** Active watches after each phase, ascending (steady window at each). Empty phases are not allowed. */
  growth: readonly number[]
  /** Parts due in one block after the last phase; 0 for none. */
  burstParts: number
  /** Skip the steady windows (the HTTP burst run needs only the burst). Default false. */
  skipSteady?: boolean
  steadyBlocks: number
  duePerBlock: number
  owners: number
  /** Blocks followed after the burst's due block (at least this many, more while parts are missing, bounded). */
  burstBlocks: number
  log?: (line: string) => void
}

export type RunScaleReturnType = { growth: GrowthPhase[]; dueParts: DueParts | undefined; burst: BurstEvidence | undefined }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * 150M gas: ~1,900 creations per block (rounds sized by each transaction's gas limit), so one
 * block's ConditionalOrderCreated logs stay near 2.5 MB, and the engine is given each creation block before the next is mined (so its eth_getLogs
 * range is one block). (Over http:// a block whose logs pass the 10 MiB answer limit used to stall
 * the engine; it now reads one block up to `max_block_logs_bytes`.) An aggregate3 of 5,000 polls
 * (~60M gas) still fits.
 */
const gasLimit = 150_000_000n
/** Blocks the ingest may go without the engine's cursor moving before the run gives up. */
const maxStalledBlocks = 60
/** Chain seconds between a phase's last creation block and its steady window: room for the ingest blocks. */
const ingestSlackSeconds = 900n
/** Chain seconds between phases (and before the burst): a clear break in chain time between windows. */
const phaseGapSeconds = 400n

/** The scrape's `shepherd_chain_request_total` by method (all outcomes). */
function requestsByMethod(samples: readonly Sample[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const s of samples) if (s.name === 'shepherd_chain_request_total') out.set(s.labels.method ?? '?', (out.get(s.labels.method ?? '?') ?? 0) + s.value)
  return out
}

/**
 * One scale run on a fresh devnet: owners with ForwarderOwner code, an orderbook stub (strict: it
 * reads this devnet), a `shepherd run` child with twap-monitor over `transport`. For each growth
 * step, real createMany transactions bring the active watches to N (timed, checked against the
 * logs), the engine ingests them (every new watch polled once), then follows `steadyBlocks` 1 s
 * blocks in which exactly `duePerBlock` parts come due, sampling its CPU and RSS per block
 * (/proc), RPC calls by method, polls, and the store on disk. After the last step, `burstParts`
 * parts come due in one block; per block the engine's polls, the parts at the stub and the worst
 * sampled cursor lag are recorded. Chain time is set block by block, so every due time is exact.
 * Everything started is stopped, whatever happens.
 *
 * @example
 * const run = await runScale({ transport: 'ws', growth: [1000, 2000], burstParts: 500, steadyBlocks: 15, duePerBlock: 2, owners: 100, burstBlocks: 10 })
 */
export async function runScale(p: RunScaleParameters): Promise<RunScaleReturnType> {
  const log = p.log ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-scale-'))
  let net: Devnet | undefined
  let stub: StartedOrderbookStub | undefined
  let engine: ScenarioEngine | undefined
  const polledAt = new Map<number, number>()
  const onLine = (line: string) => {
    if (!line.includes('polled due watches')) return
    try {
      const fields = JSON.parse(line) as { block?: unknown; polled?: unknown }
      const block = Number(fields.block)
      polledAt.set(block, (polledAt.get(block) ?? 0) + Number(fields.polled ?? 0))
    } catch {
      // A line that is not JSON is not the module's count.
    }
  }
  const polledIn = (from: number, to: number) => {
    let total = 0
    for (let b = from; b <= to; b++) total += polledAt.get(b) ?? 0
    return total
  }
  try {
    net = await startDevnet({ gasLimit, log: () => {} })
    const devnet = net
    stub = await startOrderbookStub({ devnet })
    const { composableCow, weth, cowToken } = devnet.addresses
    const rpcUrl = devnet.rpcUrl

    // Owners: impersonated, funded for gas, ForwarderOwner code, WETH and an allowance (100 per batch: the runtime is ~6 kB of hex).
    const owners = deriveSenders('scale', p.owners)
    let wethEth = BigInt(String(await rpcCall(rpcUrl, 'eth_getBalance', [weth, 'latest'])))
    const balance = 10n ** 24n
    const nonces = new Map<Address, number>()
    for (let i = 0; i < owners.length; i += 100) {
      const chunk = owners.slice(i, i + 100)
      const calls: RpcCall[] = [
        ...chunk.flatMap((owner): RpcCall[] => [
          { method: 'anvil_impersonateAccount', params: [owner] },
          { method: 'anvil_setBalance', params: [owner, toHex(10n ** 22n)] },
        ]),
        ...ownerSetupCalls({ owners: chunk, sellToken: weth, balance, wethEthBalance: wethEth }),
      ]
      const outcomes = await rpcBatch(rpcUrl, calls)
      const failed = outcomes.find((o) => !o.ok)
      if (failed && !failed.ok) throw new ShepherdError('The devnet refused to set up the scale owners', { details: [`rpc: ${rpcUrl}`, `reason: ${failed.message}`] })
      wethEth += BigInt(chunk.length) * balance
      for (const owner of chunk) nonces.set(owner, 0)
    }

    const metricsPort = await findFreePort()
    // twap-monitor at debug level: its one line per block says how many due watches it polled; every
    // line reaches `onLine` (a 10,000-part ingest writes more lines than `logs()` keeps).
    engine = await startScenarioEngine({
      mode: 'process',
      dir,
      rpcUrl: p.transport === 'ws' ? devnet.wsUrl : devnet.rpcUrl,
      orderbookUrl: stub.baseUrl,
      metricsPort,
      modules: [{ name: 'twap-monitor' }],
      logLevel: 'debug',
      onLine,
    })
    const running = { metricsUrl: engine.metricsUrl, pid: engine.pid!, recent: engine.logs }
    // A pooled keep-alive socket the server closes just as it is reused answers ECONNRESET (seen once
    // in a full-scale run): a scrape is read-only, so it is simply sent again, a bounded number of times.
    const scrape = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return parsePrometheus(await (await fetch(`${running.metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text())
        } catch (error) {
          if (attempt >= 3) throw error
          await sleep(50)
        }
      }
    }
    const cursor = async () => sumOf(await scrape(), 'shepherd_cursor_block')
    let head = BigInt((await rpcCall(rpcUrl, 'eth_blockNumber')) as Hex)
    let time = (await devnet.client.getBlock()).timestamp
    const mineAt = async (timestamp: bigint) => {
      await rpcCall(rpcUrl, 'evm_setNextBlockTimestamp', [toHex(timestamp)])
      await rpcCall(rpcUrl, 'anvil_mine', ['0x1'])
      head += 1n
      time = timestamp
    }

    const growth: GrowthPhase[] = []
    const ranges: Array<[bigint, bigint]> = []
    const windows: Array<{ name: string; from: bigint; to: bigint }> = []
    let burstAt = 0n
    let previous = 0
    for (const [phase, n] of p.growth.entries()) {
      const last = phase === p.growth.length - 1
      const count = n - previous
      time += phaseGapSeconds
      const steadyStart = time + ingestSlackSeconds
      const dueCount = p.skipSteady ? 0 : p.duePerBlock * p.steadyBlocks
      if (last && p.burstParts > 0) burstAt = steadyStart + BigInt(p.steadyBlocks) + phaseGapSeconds
      const twaps = planScaleTwaps({
        firstIndex: previous,
        count,
        owners,
        duePerBlock: p.skipSteady ? 0 : p.duePerBlock,
        steadyBlocks: p.steadyBlocks,
        steadyStart,
        burstParts: last ? p.burstParts : 0,
        burstAt,
        idleFrom: time + 200_000n,
        tokens: { sell: weth, buy: cowToken },
      })
      const creationStarted = performance.now()
      let firstMinedAt: number | undefined
      const created = await createScaleTwaps({
        rpcUrl,
        composableCow,
        twaps,
        nonces,
        headTime: time,
        gasLimit,
        afterBlock: async (block) => {
          firstMinedAt ??= performance.now()
          for (let i = 0; i < 600 && (await cursor()) < Number(block); i++) await sleep(100)
          if ((await cursor()) < Number(block))
            throw new ShepherdError('The engine did not ingest a creation block within 60 s', {
              details: [`block: ${block}`, `transport: ${p.transport}`, ...running.recent().filter((line) => /"level":"(warn|error)"/.test(line)).slice(-5)],
            })
        },
      })
      const creationMinedFrom = firstMinedAt ?? creationStarted
      head = created.lastBlock
      time = created.lastTime
      ranges.push([created.firstBlock, created.lastBlock])
      if (dueCount > 0) windows.push({ name: `due-${n}`, from: steadyStart + 1n, to: steadyStart + BigInt(p.steadyBlocks) })
      log(`scale: ${n} watches (${count} new) in ${created.transactions} txs, blocks ${created.firstBlock}-${created.lastBlock}, ${Math.round(created.ms)} ms`)

      // Ingest: until the engine has polled every new watch once and its cursor is at the head; an empty 1 s block meanwhile.
      let lastCursor = -1
      let stalled = 0
      for (let waited = 0; ; waited++) {
        // Checked every 50 ms within the block; a new block only if this one passes without it.
        let polled = 0
        let at = -1
        const blockEnds = Date.now() + 1000
        let ingested = false
        while (!ingested && Date.now() < blockEnds) {
          polled = polledIn(Number(created.firstBlock), Number(head))
          at = await cursor()
          ingested = polled >= count && at >= Number(head)
          if (!ingested) await sleep(50)
        }
        if (ingested) break
        stalled = at === lastCursor ? stalled + 1 : 0
        lastCursor = at
        if (time + 1n >= steadyStart || stalled >= maxStalledBlocks)
          throw new ShepherdError('The engine did not ingest the new watches before the steady window', {
            details: [
              `watches: ${n} (${count} new) over ${p.transport}`,
              `polled since block ${created.firstBlock}: ${polled}`,
              `blocks waited: ${waited}; engine cursor ${at}, unchanged for ${stalled} blocks`,
              ...running.recent().filter((line) => /"level":"(warn|error)"/.test(line)).slice(-5),
            ],
            hint: 'The engine polls each new watch once after its creation block; see its log for poll failures.',
          })
        await mineAt(time + 1n)
      }
      const ingestMs = performance.now() - creationMinedFrom
      log(`scale: ${n} watches ingested in ${Math.round(ingestMs)} ms (${(ingestMs / count).toFixed(3)} ms per creation)`)

      const steady: SteadyBlock[] = []
      let rpcPerBlock: Record<string, number> = {}
      let anvilCpuMsPerBlock = 0
      if (!p.skipSteady) {
        const before = requestsByMethod(await scrape())
        time = steadyStart
        let usage = readProcessUsage(running.pid)
        const anvilBefore = readProcessUsage(devnet.pid)
        for (let k = 1; k <= p.steadyBlocks; k++) {
          await mineAt(steadyStart + BigInt(k))
          await sleep(1000)
          const now = readProcessUsage(running.pid)
          if (!usage || !now) throw new ShepherdError('The engine process is gone (no /proc entry) during the steady window', { details: [`pid: ${running.pid}`, ...running.recent().slice(-10)] })
          steady.push({ block: Number(head), cpuMs: now.cpuMs - usage.cpuMs, rssBytes: now.rssBytes, polled: polledAt.get(Number(head)) ?? 0 })
          usage = now
        }
        const after = requestsByMethod(await scrape())
        rpcPerBlock = Object.fromEntries([...after].map(([method, count]) => [method, (count - (before.get(method) ?? 0)) / p.steadyBlocks]))
        const anvilAfter = readProcessUsage(devnet.pid)
        anvilCpuMsPerBlock = anvilBefore && anvilAfter ? (anvilAfter.cpuMs - anvilBefore.cpuMs) / p.steadyBlocks : Number.NaN
      }
      const end = readProcessUsage(running.pid)
      const endSamples = await scrape()
      // An engine without the gauge reads as "not measured", never as 0 bytes.
      const heapBytes = endSamples.some((s) => s.name === 'shepherd_heap_used_bytes') ? sumOf(endSamples, 'shepherd_heap_used_bytes') : Number.NaN
      growth.push({
        n,
        created: count,
        createdLogs: created.logs,
        transactions: created.transactions,
        creationBlocks: Number(created.lastBlock - created.firstBlock) + 1,
        creationMs: created.ms,
        ingestMs,
        duePerBlock: p.skipSteady ? 0 : p.duePerBlock,
        steady,
        rpcPerBlock,
        anvilCpuMsPerBlock,
        rssBytes: end?.rssBytes ?? Number.NaN,
        heapBytes,
        storeBytes: directoryBytes(join(dir, 'state')),
      })
      previous = n
    }

    let burst: BurstEvidence | undefined
    if (p.burstParts > 0) {
      windows.push({ name: 'burst', from: burstAt, to: burstAt })
      // One block before the burst, after a gap in chain time: the engine is at the head and idle when the burst comes.
      await mineAt(burstAt - 5n)
      for (let i = 0; i < 100 && (await cursor()) < Number(head); i++) await sleep(100)
      const expected = (await readExpectedParts({ rpcUrl, composableCow, ranges, windows: [{ name: 'burst', from: burstAt, to: burstAt }] })).get('burst')!
      const postedBefore = (uids: ReadonlySet<Hex>, until: number) => {
        const seen = new Set<string>()
        for (const e of stub!.record.entries) if (e.at < until && isOrderPost(e) && e.status === 201 && e.uid && uids.has(e.uid.toLowerCase() as Hex)) seen.add(e.uid.toLowerCase())
        return seen.size
      }
      const cpu0 = { engine: readProcessUsage(running.pid), anvil: readProcessUsage(devnet.pid), harness: process.cpuUsage() }
      await mineAt(burstAt)
      const dueBlock = Number(head)
      const dueAt = Date.now()
      const timeline: BurstBlock[] = []
      let lagSamples = 0
      let maxCursorLag = 0
      let doneAt: { offset: number; ms: number } | undefined
      for (let offset = 0; offset < p.burstBlocks + 5; offset++) {
        const blockEnds = Date.now() + 1000
        let blockLag = 0
        while (Date.now() < blockEnds) {
          try {
            const lag = Number(head) - (await cursor())
            blockLag = Math.max(blockLag, lag)
            lagSamples++
          } catch {
            // A scrape that times out under load is not a sample.
          }
          if (!doneAt && postedBefore(expected, Date.now() + 1) >= expected.size) doneAt = { offset, ms: Date.now() - dueAt }
          await sleep(100)
        }
        maxCursorLag = Math.max(maxCursorLag, blockLag)
        timeline.push({ offset, block: Number(head), polled: 0, posted: postedBefore(expected, blockEnds), cursorLag: blockLag })
        if (doneAt && offset >= Math.min(p.burstBlocks, doneAt.offset + 3)) break
        await mineAt(time + 1n)
      }
      // Polls by the block they were made at (the module's line for a block comes after that block's posts).
      for (const entry of timeline) entry.polled = polledIn(dueBlock, entry.block)
      const cpu1 = { engine: readProcessUsage(running.pid), anvil: readProcessUsage(devnet.pid), harness: process.cpuUsage(cpu0.harness) }
      const postsOf = new Map<string, number>()
      for (const e of stub.record.entries) if (isOrderPost(e) && e.uid && expected.has(e.uid.toLowerCase() as Hex)) postsOf.set(e.uid.toLowerCase(), (postsOf.get(e.uid.toLowerCase()) ?? 0) + 1)
      burst = {
        transport: p.transport,
        watches: p.growth.at(-1)!,
        parts: p.burstParts,
        dueBlock,
        timeline,
        expected: expected.size,
        posted: postedBefore(expected, Date.now() + 1),
        duplicates: [...postsOf.values()].reduce((sum, c) => sum + Math.max(0, c - 1), 0),
        polledByNextBlock: polledIn(dueBlock, dueBlock + 1),
        blocksToPost: doneAt ? doneAt.offset + 1 : undefined,
        secondsToPost: doneAt ? doneAt.ms / 1000 : undefined,
        lagSamples,
        maxCursorLag,
        cpuMs: {
          engine: cpu0.engine && cpu1.engine ? cpu1.engine.cpuMs - cpu0.engine.cpuMs : Number.NaN,
          anvil: cpu0.anvil && cpu1.anvil ? cpu1.anvil.cpuMs - cpu0.anvil.cpuMs : Number.NaN,
          harness: (cpu1.harness.user + cpu1.harness.system) / 1000,
        },
      }
      log(`scale burst over ${p.transport}: ${burst.posted}/${burst.expected} posted in ${burst.blocksToPost ?? '-'} blocks (${burst.secondsToPost ?? '-'} s), polled by next block ${burst.polledByNextBlock}, max cursor lag ${maxCursorLag}, duplicates ${burst.duplicates}`)
    }

    let dueParts: DueParts | undefined
    const dueWindows = windows.filter((w) => w.name.startsWith('due-'))
    if (dueWindows.length > 0) {
      // Late posts of the last due block get a moment; then the stub's record against the chain.
      await sleep(1000)
      const expected = await readExpectedParts({ rpcUrl, composableCow, ranges, windows: dueWindows })
      const dueUids = new Set([...expected.values()].flatMap((s) => [...s]))
      const burstUids = p.burstParts > 0 ? (await readExpectedParts({ rpcUrl, composableCow, ranges, windows: [{ name: 'burst', from: burstAt, to: burstAt }] })).get('burst')! : new Set<Hex>()
      const posts = new Map<string, number>()
      const accepted = new Set<string>()
      for (const e of stub.record.entries) {
        if (!isOrderPost(e) || !e.uid) continue
        const uid = e.uid.toLowerCase()
        posts.set(uid, (posts.get(uid) ?? 0) + 1)
        if (e.status === 201) accepted.add(uid)
      }
      dueParts = {
        expected: dueUids.size,
        posted: [...dueUids].filter((uid) => accepted.has(uid)).length,
        duplicates: [...dueUids].reduce((sum, uid) => sum + Math.max(0, (posts.get(uid) ?? 0) - 1), 0),
        unexpectedPosts: [...posts.keys()].filter((uid) => !dueUids.has(uid as Hex) && !burstUids.has(uid as Hex)).length,
      }
    }
    return { growth, dueParts, burst }
  } finally {
    await engine?.stop()
    await stub?.stop()
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
