import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeFunctionData, parseAbiItem } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { logEmitterArtifact } from '../../harness/contracts/artifacts/LogEmitter.ts'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startScenarioEngine, type ScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'
import { createStore } from './createStore.ts'

// 20 SIGKILLs of a real `shepherd run` process at random moments while blocks arrive (and while it
// catches up after each restart, when a module runs ahead of the cursor), then: every block and
// every log reached each counting module's store exactly once, and the cursor and the module stores
// agree. SHEPHERD_KILLS overrides the number of kills.
const kills = Number(process.env.SHEPHERD_KILLS ?? 20)
const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')
const sender = '0x00000000000000000000000000000000000a11ce'
const modules = ['counting-worker', 'counting-in-process'] as const
let net: Devnet
let dir: string
let engine: ScenarioEngine | undefined

beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  await net.fund(sender, 10n ** 20n)
  await net.impersonate(sender)
  dir = mkdtempSync(join(tmpdir(), 'shepherd-kills-'))
})
afterAll(async () => {
  await engine?.stop()
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min))
const pad = (n: bigint | number, width = 12) => n.toString().padStart(width, '0')

/** The state as lmdb holds it now (the engine may be dead or running). */
async function readState() {
  const store = createStore({ stateDir: join(dir, 'state') })
  try {
    const cursor = store.getCursor(11155111)?.number
    const perModule = await Promise.all(
      modules.map(async (name) => {
        const m = store.forModule(name)
        return { name, blocks: new Map(await m.list<number>('block:')), logs: new Map(await m.list<number>('log:')), violations: await m.get<number>('order-violations'), last: await m.get<bigint>('last-block') }
      }),
    )
    return { cursor, modules: perModule }
  } finally {
    await store.close()
  }
}

test(`behavior: ${kills} SIGKILLs at random moments mid-block: every block and log reaches each module's store exactly once; cursor and module stores agree`, { timeout: 240_000 }, async () => {
  engine = await startScenarioEngine({
    mode: 'process',
    dir,
    rpcUrl: net.wsUrl,
    orderbookUrl: 'http://127.0.0.1:9',
    metricsPort: await findFreePort(),
    modules: [
      { name: 'counting-worker', path: 'engine/testing/countingModule.ts', config: { emitter: net.addresses.logEmitter } },
      { name: 'counting-in-process', path: 'engine/testing/countingModule.ts', isolation: 'in-process', config: { emitter: net.addresses.logEmitter } },
    ],
    logLevel: 'warn',
  })

  // A block every ~60 ms, each with one transaction emitting 1-3 Ping logs.
  let producing = true
  let mined = 0
  const production = (async () => {
    for (let i = 0; producing; i++) {
      await net.client.sendTransaction({ account: sender, chain: null, to: net.addresses.logEmitter, data: encodeFunctionData({ abi: logEmitterArtifact.abi, functionName: 'emitMany', args: [BigInt((i % 3) + 1)] }) })
      await net.mine(1)
      mined++
      await new Promise((r) => setTimeout(r, 60))
    }
  })()

  // A fresh engine pins its start (start_block = "latest") as its first cursor write, before it
  // delivers anything: the kills start once that is on disk.
  const firstCursor = Date.now() + 30_000
  while ((await readState()).cursor === undefined && Date.now() < firstCursor) await new Promise((r) => setTimeout(r, 50))

  const ahead: number[] = []
  for (let k = 0; k < kills; k++) {
    await new Promise((r) => setTimeout(r, random(100, 1500)))
    const restart = engine.killAndRestart!({ downMs: random(300, 900) })
    // While it is down: what the killed process left on disk. A module past the cursor is the case
    // a restart must not count twice.
    await new Promise((r) => setTimeout(r, 150))
    const atKill = await readState()
    const furthest = Math.max(...atKill.modules.map((m) => Number(m.last ?? -1n)))
    ahead.push(furthest - Number(atKill.cursor ?? -1n))
    await restart
  }
  producing = false
  await production

  const end = await net.client.getBlockNumber()
  const deadline = Date.now() + 60_000
  while (((await readState()).cursor ?? -1n) < end && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  await engine.stop()
  const final = await readState()

  expect(final.cursor).toBe(end)
  const chainLogs = await net.client.getLogs({ address: net.addresses.logEmitter, event: ping, fromBlock: 0n, toBlock: end })
  for (const module of final.modules) {
    const first = [...module.blocks.keys()].map((k) => BigInt(k.slice('block:'.length))).reduce((a, b) => (a < b ? a : b))
    const wrong: string[] = []
    for (let n = first; n <= end; n++) if (module.blocks.get(`block:${pad(n)}`) !== 1) wrong.push(`block ${n}: ${module.blocks.get(`block:${pad(n)}`) ?? 0}`)
    for (const l of chainLogs)
      if (l.blockNumber >= first && module.logs.get(`log:${pad(l.blockNumber)}:${pad(l.logIndex, 5)}`) !== 1)
        wrong.push(`log ${l.blockNumber}:${l.logIndex}: ${module.logs.get(`log:${pad(l.blockNumber)}:${pad(l.logIndex, 5)}`) ?? 0}`)
    expect(wrong, `${module.name}: blocks or logs not delivered exactly once; engine log:\n${engine.logs().slice(-30).join('\n')}`).toEqual([])
    expect(module.violations, `${module.name}: events out of chain order`).toBeUndefined()
    expect(module.last).toBe(end)
    expect(module.blocks.size).toBe(Number(end - first + 1n))
  }
  console.info(
    `${kills} kills over ${mined} blocks (${chainLogs.length} logs); at the kills a module was ahead of the cursor by ${ahead.join(', ')} blocks (${ahead.filter((a) => a > 0).length} kills in that window); every block and log once in both modules`,
  )
})
