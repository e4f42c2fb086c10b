import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, encodeFunctionData, getAddress, http, parseEther, toHex, type Address, type Hex } from 'viem'
import { composableCowAbi } from '../../harness/devnet/abis.ts'
import { sepoliaAddresses } from '../../harness/devnet/addresses.ts'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { ownerSetupCalls } from '../../harness/devnet/ownerSetupCalls.ts'
import { setBlockSeconds } from '../../harness/devnet/helpers/setBlockSeconds.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startFaultProxy, type FaultProxy } from '../../harness/faults/startFaultProxy.ts'
import { deriveSenders } from '../../harness/load/buildLoadTx.ts'
import { buildLoadAppData, registerLoadAppData } from '../../harness/load/loadAppData.ts'
import { rpcBatch, rpcCall, type RpcCall } from '../../harness/load/rpcBatch.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { compressedTimeValidity } from '../../harness/scenario/compressedTimeValidity.ts'
import type { ScenarioModule } from '../../harness/scenario/defineScenario.ts'
import { startScenarioEngine, type ScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { directoryBytes, readProcessUsage } from '../scale/readProcessUsage.ts'
import { collectSoakTruth } from './collectSoakTruth.ts'
import { countStoreKeys } from './countStoreKeys.ts'
import { planSoakTwaps, type SoakTwap } from './planSoakTwaps.ts'
import { scrapeSoakFigures } from './scrapeSoakFigures.ts'
import { BLOCKS_PER_DAY, SOAK_BLOCK_SECONDS, type SoakEvidence, type SoakRestart, type SoakSample } from './soakEvidence.ts'
import type { SoakProfile } from './soakProfile.ts'

export type RunSoakParameters = {
  profile: SoakProfile
  /** Modules run beside the five (e.g. the leak fixture). */
  extraModules?: readonly ScenarioModule[]
  /** Run the five modules and their load (default true); false runs only `extraModules` on empty blocks. */
  load?: boolean
  log?: (line: string) => void
}

/** The accounts of the triggers: one per module, so each trigger is unambiguous. */
const accounts = {
  ethFlowSender: getAddress('0x00000000000000000000000000000000005a0a02'),
  stopLossOwner: getAddress('0x00000000000000000000000000000000005a0a03'),
  tracked: getAddress('0x00000000000000000000000000000000005a0a04'),
  payer: getAddress('0x00000000000000000000000000000000005a0a05'),
} as const
const price = { high: 3000_00000000n, low: 1900_00000000n }
/**
 * Gas for an oracle update, fixed: the double's setAnswer writes three slots, and an estimate made
 * while they are still zero can fall short once the block really runs it (one setup reverted so).
 */
const oracleGas = 300_000n
/** Blocks the engine may go without its cursor moving before the run gives up. */
const stallMs = 90_000
/**
 * How long after a TWAP can no longer post (its end, or its cancellation plus one part: the engine
 * learns of a removal at its next poll) its watch may stay in the store, chain seconds: the last
 * poll comes at the next part start, and an answer the module cannot read backs off up to 256
 * blocks (~51 min) before the watch goes. Two hours covers both.
 */
const watchGraceSeconds = 7_200
/** Markers are pruned at most 256 per block, from the block after retention passed: a few blocks of slack. */
const markerGraceSeconds = 20 * SOAK_BLOCK_SECONDS

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The engine's acknowledged cursor from `/healthz` (its chains' `status().cursor`), -1 when it has
 * none or does not answer. Not from `/metrics`: prom-client resets its event-loop delay histogram
 * at every scrape, and a scrape every 20 ms would leave the p99 a sample reads meaningless.
 */
async function readCursor(metricsUrl: string): Promise<number> {
  try {
    const body = (await (await fetch(`${metricsUrl}/healthz`, { signal: AbortSignal.timeout(5_000) })).json()) as { chains?: Array<{ cursor?: unknown }> }
    const cursors = (body.chains ?? []).map((c) => Number(c.cursor ?? -1)).filter(Number.isFinite)
    return cursors.length ? Math.max(...cursors) : -1
  } catch {
    return -1
  }
}

/** The five modules, configured for the devnet; the feeds' freshness bounds lifted (chain time runs ~700x). */
function soakModules(retainFinishedBlocks: number): ScenarioModule[] {
  return [
    { name: 'twap-monitor', config: { retainFinishedBlocks } },
    // Its deadline is in chain seconds: the default 60 s is 5 blocks here, ~50 ms of wall time, less
    // than the stub takes to index a placement (it polls the chain), so an order the real orderbook
    // would show in time read as missing (3 of 72 in one CI run). The order's own validity (30 min) is the deadline.
    { name: 'ethflow-watcher', config: { deadlineSeconds: 1800 } },
    { name: 'price-alert', config: { threshold: '2500', direction: 'below', everyNBlocks: 5, maxAgeSeconds: 2 * 86_400 } },
    { name: 'balance-tracker', config: { addresses: [accounts.tracked], threshold: parseEther('1').toString(), everyNBlocks: 5 } },
    {
      name: 'stop-loss',
      config: {
        triggerPrice: '2000',
        owner: accounts.stopLossOwner,
        sellToken: sepoliaAddresses.weth,
        buyToken: sepoliaAddresses.cowToken,
        sellAmount: parseEther('1').toString(),
        buyAmount: '1',
        everyNBlocks: 5,
        maxAgeSeconds: 2 * 86_400,
      },
    },
  ]
}

/**
 * One soak run on a fresh devnet: blocks of 12 s of chain time mined `chunk` at a time as fast as
 * the engine (a `shepherd run` child behind a fault proxy) keeps up, with the profile's load (TWAPs
 * of 10 min to a day, some cancelled; EthFlow orders; oracle drops for price-alert and stop-loss;
 * transfers for balance-tracker), WebSocket drops, SIGTERM and SIGKILL restarts, and a sample every
 * `sampleEvery` blocks (RSS and fds from /proc, heap and loop delay from /metrics, store keys read
 * from lmdb, the store on disk, RPC calls per block, accepted posts). At the end the chain and the
 * stub's record give the ground truth. Everything started is stopped, whatever happens.
 *
 * @example
 * const evidence = await runSoak({ profile: soakProfile() })
 */
export async function runSoak({ profile, extraModules = [], load = true, log = () => {} }: RunSoakParameters): Promise<SoakEvidence> {
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-soak-'))
  const stateDir = join(dir, 'state')
  let net: Devnet | undefined
  let stub: StartedOrderbookStub | undefined
  let proxy: FaultProxy | undefined
  let engine: ScenarioEngine | undefined
  const alerts = new Map<string, number>()
  const onLine = (line: string) => {
    if (!line.includes('"alert"')) return
    try {
      const kind = (JSON.parse(line) as { alert?: unknown }).alert
      if (typeof kind === 'string') alerts.set(kind, (alerts.get(kind) ?? 0) + 1)
    } catch {
      // Not a JSON line: not an alert.
    }
  }
  try {
    net = await startDevnet({ log: () => {} })
    const devnet = net
    const rpcUrl = devnet.rpcUrl
    stub = await startOrderbookStub({ devnet, validity: compressedTimeValidity, ethFlow: { pollIntervalMs: 50 } })
    proxy = await startFaultProxy({ target: rpcUrl })
    // Realistic appData (a partner fee and referrer), registered first as a client does.
    const appData = (await buildLoadAppData()).find((d) => d.name === 'partner-fee-referrer')!
    await registerLoadAppData({ orderbookUrl: stub.baseUrl, documents: [appData] })
    const twaps = load ? planSoakTwaps(profile) : []
    const owners = deriveSenders('soak', twaps.length)
    if (load) await setUpAccounts(devnet, owners)

    engine = await startScenarioEngine({
      mode: 'process',
      dir,
      rpcUrl: proxy.wsUrl,
      orderbookUrl: stub.baseUrl,
      metricsPort: await findFreePort(),
      modules: [...(load ? soakModules(profile.retainFinishedBlocks) : []), ...extraModules],
      onLine,
    })
    const running = engine
    await setBlockSeconds(devnet.client, SOAK_BLOCK_SECONDS)
    const first = BigInt((await rpcCall(rpcUrl, 'eth_blockNumber')) as Hex)
    let headTime = (await devnet.client.getBlock()).timestamp
    const blockSeenAt = new Map<bigint, number>()
    const created = new Map<number, { block: number; t0: bigint; orderHash: Hex }>()
    const cancelledAt = new Map<number, { block: number; time: bigint }>()
    let ethFlowOrders = 0
    let oracleDrops = 0
    let transfers = 0
    let wsDrops = 0
    const restarts: SoakRestart[] = []
    const samples: SoakSample[] = []
    let previousRpc: { pid: number; block: number; total: number } | undefined

    const waitForCursor = async (target: bigint) => {
      let last = -1
      let since = Date.now()
      for (;;) {
        const cursor = await readCursor(running.metricsUrl)
        if (cursor >= Number(target)) return
        if (cursor !== last) [last, since] = [cursor, Date.now()]
        if (Date.now() - since > stallMs)
          throw new ShepherdError(`The engine's cursor did not move for ${stallMs / 1000} s`, { details: [`cursor: ${cursor}, head: ${target}`, ...running.logs().filter((l) => /"level":"(warn|error)"/.test(l)).slice(-8)] })
        await sleep(20)
      }
    }

    for (let b = 0; b < profile.blocks; b += profile.chunk) {
      const nextTime = headTime + BigInt(SOAK_BLOCK_SECONDS)
      if (load) await sendLoad(b, nextTime)
      await rpcCall(rpcUrl, 'anvil_mine', [toHex(profile.chunk)])
      const head = first + BigInt(b + profile.chunk)
      const minedAt = Date.now()
      for (let k = 1; k <= profile.chunk; k++) blockSeenAt.set(first + BigInt(b + k), minedAt)
      headTime += BigInt(profile.chunk * SOAK_BLOCK_SECONDS)
      await waitForCursor(head)
      const done = b + profile.chunk
      if (done % profile.wsDropEvery === 0 && proxy.dropWebSockets() > 0) wsDrops++
      if (done % profile.sampleEvery === 0) samples.push(await sample(done))
      const signal = profile.sigkillAt.includes(done) ? 'SIGKILL' : profile.sigtermAt.includes(done) ? 'SIGTERM' : undefined
      if (signal) {
        const kill = await running.killAndRestart!({ signal, downMs: 200 })
        restarts.push({ block: done, signal, downMs: kill.downMs })
        log(`soak: ${signal} at block ${done} (${(done / BLOCKS_PER_DAY).toFixed(2)} days), healthy again in ${kill.downMs} ms`)
      }
      if (done % 1200 === 0) log(`soak: ${done}/${profile.blocks} blocks in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
    const lastLoadBlock = first + BigInt(profile.blocks)
    // A drain: the posts of the last blocks settle (no new load; parts due here are allowed, not required).
    await rpcCall(rpcUrl, 'anvil_mine', [toHex(profile.chunk)])
    await waitForCursor(lastLoadBlock + BigInt(profile.chunk))
    await sleep(1_500)
    const wallMs = Date.now() - started

    // A client of its own for the ground truth: it reads every block of the run (7,200 at CI scale,
    // 50,400 at full), so its requests go as JSON-RPC batches, with a generous timeout.
    const truthClient = createPublicClient({ transport: http(rpcUrl, { batch: { batchSize: 200 }, timeout: 120_000, retryCount: 2 }) })
    log(`soak: ground truth over blocks ${first + 1n}-${lastLoadBlock + BigInt(profile.chunk)}`)
    const truth = load
      ? await collectSoakTruth({
          client: truthClient,
          fromBlock: first + 1n,
          toBlock: lastLoadBlock,
          drainedTo: lastLoadBlock + BigInt(profile.chunk),
          record: stub.record.entries,
          blockSeenAt,
          stopLossOwner: accounts.stopLossOwner,
          cancelled: [...cancelledAt].map(([index, c]) => ({ owner: owners[index]!, time: c.time })),
        }).catch((error: unknown) => {
          // The trends are still evidence: the delivery bars read "not measured" and say why in the log.
          log(`soak: ground truth could not be read: ${errorMessage(error)}`)
          return undefined
        })
      : undefined
    return {
      scale: profile.scale,
      blocks: profile.blocks,
      sampleEvery: profile.sampleEvery,
      wallMs,
      retainFinishedBlocks: profile.retainFinishedBlocks,
      samples,
      restarts,
      wsDrops,
      load: {
        twaps: created.size,
        cancelled: cancelledAt.size,
        completing: twaps.filter((t) => t.cancelAt === undefined && t.createAt + (t.t * t.n) / SOAK_BLOCK_SECONDS < profile.blocks).length,
        ethFlowOrders,
      },
      delivery: truth?.delivery,
      triggers: truth && {
        oracleDrops,
        priceAlerts: alerts.get('price-threshold') ?? 0,
        transfers,
        balanceAlerts: alerts.get('balance-change') ?? 0,
        stopLossPosts: truth.stopLossPosts,
      },
    }

    /** The load of the chunk starting at block `b`: transactions sent now land in its first block (timestamp `time`). */
    async function sendLoad(b: number, time: bigint) {
      const calls: Promise<unknown>[] = []
      for (const twap of twaps) {
        if (twap.createAt === b) calls.push(createOne(twap, time))
        if (twap.cancelAt === b) calls.push(cancelOne(twap, b, time))
      }
      if (b % profile.ethFlowEvery === 0) {
        ethFlowOrders++
        calls.push(
          devnet.placeEthFlowOrder({
            sender: accounts.ethFlowSender,
            order: { buyToken: devnet.addresses.cowToken, receiver: accounts.ethFlowSender, sellAmount: parseEther('0.01') + BigInt(b), buyAmount: 1n, appData: appData.hash, feeAmount: 0n, validTo: Number(time) + 1800, partiallyFillable: false, quoteId: BigInt(b) },
            wait: false,
          }),
        )
      }
      const phase = b % profile.oracleEvery
      if (b > 0 && phase === 0) {
        oracleDrops++
        calls.push(devnet.setOraclePrice(price.low, { wait: false, gas: oracleGas }))
      } else if (b > 0 && phase === profile.oracleEvery / 2) calls.push(devnet.setOraclePrice(price.high, { wait: false, gas: oracleGas }))
      if (b > 0 && b % profile.transferEvery === 0) {
        transfers++
        calls.push(devnet.client.sendTransaction({ account: accounts.payer, chain: null, to: accounts.tracked, value: parseEther('2') }))
      }
      // Sent one after another: the same sender's nonces must reach the pool in order.
      for (const call of calls) await call
    }

    async function createOne(twap: SoakTwap, t0: bigint) {
      const result = await devnet.createTwap({
        owner: owners[twap.index]!,
        params: { sellToken: devnet.addresses.weth, buyToken: devnet.addresses.cowToken, receiver: owners[twap.index]!, partSellAmount: parseEther('0.01'), minPartLimit: 1n, t0, n: BigInt(twap.n), t: BigInt(twap.t), span: 0n, appData: appData.hash },
        wait: false,
      })
      created.set(twap.index, { block: twap.createAt, t0, orderHash: result.orderHash })
    }

    async function cancelOne(twap: SoakTwap, b: number, time: bigint) {
      const order = created.get(twap.index)
      if (!order) return
      await devnet.impersonate(owners[twap.index]!)
      await devnet.client.sendTransaction({
        account: owners[twap.index]!,
        chain: null,
        to: devnet.addresses.composableCow,
        data: encodeFunctionData({ abi: composableCowAbi, functionName: 'remove', args: [order.orderHash] }),
        maxFeePerGas: 100_000_000_000n,
      })
      cancelledAt.set(twap.index, { block: b, time })
    }

    /** One sample at block `b` (the engine's cursor is at the head). */
    async function sample(b: number): Promise<SoakSample> {
      const pid = running.pid!
      const usage = readProcessUsage(pid)
      let fds = Number.NaN
      try {
        fds = readdirSync(`/proc/${pid}/fd`).length
      } catch {
        // The process is gone: not measured.
      }
      const figures = await scrapeSoakFigures(running.metricsUrl).catch(() => undefined)
      const counts = !load ? undefined : countStoreKeys({ stateDir, module: 'twap-monitor', prefixes: ['watch:', 'due:', 'submitted:', 'dropped:', 'missed:'] })
      const now = headTime
      let watchBound = 0
      for (const [index, c] of created) {
        const twap = twaps[index]!
        const end = c.t0 + BigInt(twap.t * twap.n)
        const cancel = cancelledAt.get(index)
        const finish = cancel ? (cancel.time + BigInt(twap.t) < end ? cancel.time + BigInt(twap.t) : end) : end
        if (finish + BigInt(watchGraceSeconds) >= now) watchBound++
      }
      const seen = new Map<string, bigint>()
      for (const e of stub!.record.entries) {
        if (!isOrderPost(e) || !e.uid) continue
        const validTo = (e.body as { validTo?: number } | undefined)?.validTo
        if (typeof validTo === 'number') seen.set(e.uid.toLowerCase(), BigInt(validTo))
      }
      const keep = BigInt(profile.retainFinishedBlocks * SOAK_BLOCK_SECONDS + markerGraceSeconds)
      const markerBound = [...seen.values()].filter((validTo) => validTo + keep >= now).length
      const rpcTotal = figures?.rpcRequests ?? Number.NaN
      const rpcPerBlock = previousRpc && previousRpc.pid === pid ? (rpcTotal - previousRpc.total) / (b - previousRpc.block) : Number.NaN
      previousRpc = { pid, block: b, total: rpcTotal }
      return {
        block: b,
        chainDays: b / BLOCKS_PER_DAY,
        wallMs: Date.now() - started,
        pid,
        rssBytes: usage?.rssBytes ?? Number.NaN,
        heapBytes: figures?.heapBytes ?? Number.NaN,
        loopP99Seconds: figures?.loopP99Seconds ?? Number.NaN,
        fds,
        storeBytes: directoryBytes(stateDir),
        watches: load ? (counts?.get('watch:') ?? Number.NaN) : Number.NaN,
        due: load ? (counts?.get('due:') ?? Number.NaN) : Number.NaN,
        markers: load && counts ? counts.get('submitted:')! + counts.get('dropped:')! + counts.get('missed:')! : Number.NaN,
        watchBound: load ? watchBound : Number.NaN,
        markerBound: load ? markerBound : Number.NaN,
        rpcPerBlock,
        submissions: stub!.record.accepted().length,
      }
    }
  } finally {
    await engine?.stop()
    await proxy?.stop()
    await stub?.stop()
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  }

  /** TWAP owners (EIP-1271 code, WETH, allowance, gas), the EthFlow sender, the payer and the stop-loss owner. */
  async function setUpAccounts(devnet: Devnet, owners: readonly Address[]) {
    const rpcUrl = devnet.rpcUrl
    let wethEth = BigInt(String(await rpcCall(rpcUrl, 'eth_getBalance', [devnet.addresses.weth, 'latest'])))
    const balance = parseEther('1')
    for (let i = 0; i < owners.length; i += 100) {
      const chunk = owners.slice(i, i + 100)
      const calls: RpcCall[] = [
        ...chunk.flatMap((owner): RpcCall[] => [
          { method: 'anvil_impersonateAccount', params: [owner] },
          { method: 'anvil_setBalance', params: [owner, toHex(parseEther('10'))] },
        ]),
        ...ownerSetupCalls({ owners: chunk, sellToken: devnet.addresses.weth, balance, wethEthBalance: wethEth }),
      ]
      const outcomes = await rpcBatch(rpcUrl, calls)
      const failed = outcomes.find((o) => !o.ok)
      if (failed && !failed.ok) throw new ShepherdError('The devnet refused to set up the soak owners', { details: [`rpc: ${rpcUrl}`, `reason: ${failed.message}`] })
      wethEth += BigInt(chunk.length) * balance
    }
    for (const account of [accounts.ethFlowSender, accounts.payer]) {
      await devnet.fund(account, parseEther('1000000'))
      await devnet.impersonate(account)
    }
    await devnet.prepareOwners({ owners: [accounts.stopLossOwner], sellToken: devnet.addresses.weth, balance: parseEther('1'), withCode: false })
    await devnet.setOraclePrice(price.high, { mine: true, gas: oracleGas })
  }
}
