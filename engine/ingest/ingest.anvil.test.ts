import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { encodeFunctionData, parseAbiItem } from 'viem'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { logEmitterArtifact } from '../../harness/contracts/artifacts/LogEmitter.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startFaultProxy, type FaultProxy } from '../../harness/faults/startFaultProxy.ts'
import { loadConfig } from '../config/loadConfig.ts'
import { createLogger } from '../host/createLogger.ts'
import { createStore } from '../store/createStore.ts'
import { startEngine, type Engine } from '../startEngine.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')
const sender = '0x00000000000000000000000000000000000a11ce'
let net: Devnet
let dir: string
let proxy: FaultProxy | undefined
let engine: Engine | undefined
let runs = 0

beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  await net.fund(sender, 10n ** 20n)
  await net.impersonate(sender)
  dir = mkdtempSync(join(tmpdir(), 'shepherd-ingest-'))
})
afterEach(async () => {
  await engine?.stop()
  await proxy?.stop()
  engine = undefined
  proxy = undefined
})
afterAll(async () => {
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const emitData = (count: number) => encodeFunctionData({ abi: logEmitterArtifact.abi, functionName: 'emitMany', args: [BigInt(count)] })

/** Mines `count` blocks, each with one tx emitting 1-3 Ping logs; `between` runs after each block. */
async function mineWithLogs(count: number, between?: (i: number) => Promise<void> | void) {
  for (let i = 0; i < count; i++) {
    await net.client.sendTransaction({ account: sender, chain: null, to: net.addresses.logEmitter, data: emitData((i % 3) + 1) })
    await net.mine(1)
    await between?.(i)
  }
}

/** Starts the engine behind the proxy with the recording module, from the next block. */
async function startBehindProxy(knobs: Parameters<typeof startFaultProxy>[0]['knobs'] = {}) {
  proxy = await startFaultProxy({ target: net.rpcUrl, seed: 7, knobs })
  const start = (await net.client.getBlockNumber()) + 1n
  const name = `run${++runs}`
  const file = join(dir, `${name}.toml`)
  writeFileSync(
    file,
    `[engine]\nstate_dir = "${name}-state"\nlog_level = "warn"\n[engine.metrics]\nenabled = false\n\n[chains.11155111]\nrpc_url = "${proxy.wsUrl}"\npoll_interval_ms = 25\nstart_block = ${start}\n\n` +
      `[[modules]]\nname = "recording"\npath = "${resolve('engine/ingest/testing/recordingModule.ts')}"\nisolation = "in-process"\n[modules.config]\nemitter = "${net.addresses.logEmitter}"\n`,
  )
  engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: 'error', write: () => {} }) })
  return { start, stateDir: join(dir, `${name}-state`) }
}

async function waitForCursor(block: bigint, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while ((engine!.status()[0]?.cursor ?? -1n) < block) {
    if (Date.now() > deadline) throw new Error(`engine did not reach block ${block}; status ${JSON.stringify(engine!.status(), (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function metric(name: string, labels = '') {
  const text = await engine!.metrics.registry.getSingleMetricAsString(name)
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}

/** Compares what the module recorded with the final chain: every block and log exactly once. */
async function expectExactlyOnce(stateDir: string, start: bigint, end: bigint) {
  const store = createStore({ stateDir })
  const module = store.forModule('recording')
  const blocks = new Map(await module.list<number>('block:'))
  const logs = new Map(await module.list<number>('log:'))
  const removed = new Map(await module.list<number>('removed:'))
  await store.close()
  const chainLogs = await net.client.getLogs({ address: net.addresses.logEmitter, event: ping, fromBlock: start, toBlock: end })
  const finalLogKeys = new Set(chainLogs.map((l) => `log:${l.blockHash}:${l.logIndex}`))
  for (const key of finalLogKeys) expect(logs.get(key), key).toBe(1)
  // A log from an abandoned branch was delivered once and taken back once.
  for (const [key, n] of logs) if (!finalLogKeys.has(key)) expect(removed.get(key.replace(/^log:/, 'removed:')), `${key} removed`).toBe(n)
  for (let n = start; n <= end; n++) {
    const hash = (await net.client.getBlock({ blockNumber: n })).hash
    expect(blocks.get(`block:${n.toString().padStart(12, '0')}:${hash}`), `block ${n}`).toBe(1)
  }
  return { logs: chainLogs.length, removed: removed.size }
}

describe('ingestion under faults, against Anvil through the fault proxy', () => {
  test('behavior: a WebSocket dropped several times loses no block or log and repeats none; the gap is backfilled', async () => {
    const { start, stateDir } = await startBehindProxy()
    await mineWithLogs(30, async (i) => {
      if (i % 6 === 5) proxy!.dropWebSockets()
      await new Promise((r) => setTimeout(r, 30))
    })
    const end = await net.client.getBlockNumber()
    await waitForCursor(end)
    const reconnects = await metric('shepherd_stream_reconnects_total', 'kind="ws"')
    await engine!.stop()
    const counted = await expectExactlyOnce(stateDir, start, end)
    console.info(`ws drops: ${proxy!.record.counters.ws_drop}, reconnects ${reconnects}, logs ${counted.logs}`)
    expect(proxy!.record.counters.ws_drop).toBeGreaterThanOrEqual(5)
    expect(reconnects).toBeGreaterThanOrEqual(5)
  })

  test('behavior: a depth-3 reorg whose new branch lacks a log tells the module (removed logs) and the final chain is delivered exactly once', async () => {
    const { start, stateDir } = await startBehindProxy()
    await mineWithLogs(8)
    const before = await net.client.getBlockNumber()
    await waitForCursor(before)
    const removedLog = (await net.client.getLogs({ address: net.addresses.logEmitter, event: ping, fromBlock: before - 2n, toBlock: before }))[0]!
    // Replace the newest 3 blocks: the new branch has one tx emitting a single log, in its first block.
    await net.client.request({
      method: 'anvil_reorg' as never,
      params: [3, [[{ from: sender, to: net.addresses.logEmitter, data: emitData(1) }, 0]]] as never,
    })
    await mineWithLogs(3)
    const end = await net.client.getBlockNumber()
    await waitForCursor(end)
    const reorgs = await metric('shepherd_reorgs_total')
    await engine!.stop()
    const counted = await expectExactlyOnce(stateDir, start, end)
    const replaced = await net.client.getBlock({ blockNumber: removedLog.blockNumber })
    expect(replaced.hash).not.toBe(removedLog.blockHash) // that block is gone from the final chain
    expect(reorgs).toBe(1)
    expect(counted.removed).toBeGreaterThan(0)
  })

  test('behavior: a lagging, backwards-moving head and truncated eth_getLogs answers lose nothing and are not taken for a reorg', async () => {
    const { start, stateDir } = await startBehindProxy({ truncateLogsRate: 1, lagBlocks: 2 })
    await mineWithLogs(24, (i) => proxy!.setKnobs({ lagBlocks: i % 4 === 0 ? 5 : 1 }))
    proxy!.setKnobs({ lagBlocks: null })
    const end = await net.client.getBlockNumber()
    await waitForCursor(end)
    const reorgs = await metric('shepherd_reorgs_total')
    const recovered = await metric('shepherd_ingest_errors_total', 'kind="short_logs_answer"')
    await engine!.stop()
    await expectExactlyOnce(stateDir, start, end)
    console.info(`truncated answers: ${proxy!.record.counters.truncate}, recovered by block hash: ${recovered}, lagged heads ${proxy!.record.counters.lag}`)
    expect(reorgs).toBe(0)
    expect(proxy!.record.counters.truncate).toBeGreaterThan(0)
    expect(recovered).toBeGreaterThan(0)
  })
})
