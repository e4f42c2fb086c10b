import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { encodeFunctionData, parseAbiItem } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { logEmitterArtifact } from '../harness/contracts/artifacts/LogEmitter.ts'
import { startDevnet, type Devnet } from '../harness/devnet/startDevnet.ts'
import { loadConfig } from './config/loadConfig.ts'
import { createLogger } from './host/createLogger.ts'
import { createStore } from './store/createStore.ts'
import { startEngine, type Engine } from './startEngine.ts'

const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')
const sender = '0x00000000000000000000000000000000000a11ce'
let net: Devnet
let dir: string
const engines: Engine[] = []

beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  await net.fund(sender, 10n ** 20n)
  await net.impersonate(sender)
  dir = mkdtempSync(join(tmpdir(), 'shepherd-engine-'))
})
afterAll(async () => {
  for (const engine of engines) await engine.stop()
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Mines `count` blocks; block i carries one tx emitting i % 4 Ping logs. */
async function mineWithLogs(count: number) {
  for (let i = 0; i < count; i++) {
    if (i % 4 !== 0)
      await net.client.sendTransaction({
        account: sender,
        chain: null,
        to: net.addresses.logEmitter,
        data: encodeFunctionData({ abi: logEmitterArtifact.abi, functionName: 'emitMany', args: [BigInt(i % 4)] }),
      })
    await net.mine(1)
  }
}

function writeConfig(name: string, startBlock: bigint, moduleConfig: string) {
  const file = join(dir, `${name}.toml`)
  writeFileSync(
    file,
    `[engine]\nstate_dir = "${name}-state"\nlog_level = "warn"\n\n[chains.11155111]\nrpc_url = "${net.rpcUrl}"\npoll_interval_ms = 25\nstart_block = ${startBlock}\n\n` +
      `[[modules]]\nname = "counting"\npath = "${resolve('engine/testing/countingModule.ts')}"\n[modules.config]\n${moduleConfig}\n`,
  )
  return file
}

async function runUntil(file: string, block: bigint) {
  const engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: 'warn', write: () => {} }) })
  engines.push(engine)
  const deadline = Date.now() + 60_000
  while ((engine.status()[0]?.cursor ?? -1n) < block) {
    if (Date.now() > deadline) throw new Error(`engine did not reach block ${block}: ${JSON.stringify(engine.status(), (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  await engine.stop()
  engines.splice(engines.indexOf(engine), 1)
}

async function readCounts(file: string) {
  const store = createStore({ stateDir: join(dir, `${file}-state`) })
  const module = store.forModule('counting')
  const result = {
    blocks: await module.list<number>('block:'),
    logs: await module.list<number>('log:'),
    violations: await module.get<number>('order-violations'),
    undecoded: await module.get<boolean>('undecoded'),
    cursor: store.getCursor(11155111),
  }
  await store.close()
  return result
}

describe('engine against Anvil', () => {
  test('behavior: 50 blocks with logs are delivered exactly once, in order; a restart resumes from the cursor with no gap and no repeat', async () => {
    const start = (await net.client.getBlockNumber()) + 1n
    const file = writeConfig('logs', start, `emitter = "${net.addresses.logEmitter}"`)
    await mineWithLogs(30)
    await runUntil(file, start + 29n)
    const firstRun = await readCounts('logs')
    expect(firstRun.cursor?.number).toBe(start + 29n)

    await mineWithLogs(20) // produced while the engine is down
    await runUntil(file, start + 49n)
    const counts = await readCounts('logs')

    // Ground truth from the chain itself, not from the engine.
    const chainLogs = await net.client.getLogs({ address: net.addresses.logEmitter, event: ping, fromBlock: start, toBlock: start + 49n })
    expect(chainLogs.length).toBe(73) // 0+1+2+3 logs per 4 blocks: 43 over the first 30 blocks, 30 over the next 20
    const expectedLogKeys = chainLogs.map((l) => `log:${l.blockNumber.toString().padStart(12, '0')}:${l.logIndex.toString().padStart(5, '0')}`)
    expect(counts.logs.map(([k]) => k)).toEqual(expectedLogKeys)
    expect(counts.logs.every(([, n]) => n === 1)).toBe(true)
    expect(counts.blocks.map(([k]) => BigInt(k.slice(6)))).toEqual(Array.from({ length: 50 }, (_, i) => start + BigInt(i)))
    expect(counts.blocks.every(([, n]) => n === 1)).toBe(true)
    expect(counts.violations).toBeUndefined()
    expect(counts.undecoded).toBeUndefined()
  })

  test('behavior: a block-only configuration runs to the end and asks for no logs', async () => {
    const start = (await net.client.getBlockNumber()) + 1n
    const file = writeConfig('blocks', start, 'blocks = true')
    await mineWithLogs(10)
    const engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: 'warn', write: () => {} }) })
    engines.push(engine)
    const deadline = Date.now() + 30_000
    while ((engine.status()[0]?.cursor ?? -1n) < start + 9n) {
      if (Date.now() > deadline) throw new Error('block-only engine did not reach the end')
      await new Promise((r) => setTimeout(r, 20))
    }
    const metrics = await engine.metrics.registry.getSingleMetricAsString('shepherd_chain_request_total')
    await engine.stop()
    engines.splice(engines.indexOf(engine), 1)
    expect(metrics).not.toContain('eth_getLogs')
    expect(metrics).toContain('method="eth_getBlockByNumber"')
    const counts = await readCounts('blocks')
    expect(counts.blocks.length).toBe(10)
    expect(counts.logs.length).toBe(0)
  })
})
