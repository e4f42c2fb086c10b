import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'
import { ping, startOf, usePingDevnet } from '../testing/usePingDevnet.ts'
import { createStore } from './createStore.ts'

// 20 SIGKILLs of a real `shepherd run` process at random moments while blocks arrive (and while it
// catches up after each restart, when a module runs ahead of the cursor), then: every block and
// every log reached each counting module's store exactly once, and the cursor and the module stores
// agree. Every restart takes over the stale state directory lock of the killed process, and a
// second engine on the same config is refused. SHEPHERD_KILLS overrides the number of kills.
const kills = Number(process.env.SHEPHERD_KILLS ?? 20)
const modules = ['counting-worker', 'counting-in-process'] as const
const env = usePingDevnet('shepherd-kills-')

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min))
const pad = (n: bigint | number, width = 12) => n.toString().padStart(width, '0')

/** The state as lmdb holds it now (the engine may be dead or running). */
async function readState() {
  const store = createStore({ stateDir: join(env.dir, 'state') })
  try {
    const cursor = store.getCursor(11155111)
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

test(`behavior: ${kills} SIGKILLs at random moments mid-block: every block and log reaches each module's store exactly once, from the pinned start on; cursor and module stores agree`, { timeout: 240_000 }, async () => {
  const { net } = env
  const engine = (env.engine = await startScenarioEngine({
    mode: 'process',
    dir: env.dir,
    rpcUrl: net.wsUrl,
    orderbookUrl: 'http://127.0.0.1:9',
    metricsPort: await findFreePort(),
    modules: [
      { name: 'counting-worker', path: 'engine/testing/countingModule.ts', config: { emitter: net.addresses.logEmitter } },
      { name: 'counting-in-process', path: 'engine/testing/countingModule.ts', isolation: 'in-process', config: { emitter: net.addresses.logEmitter } },
    ],
    logLevel: 'warn',
  }))

  // Every block from the pinned start + 1 on must reach every module, whatever a module's own
  // store says it saw first; the kills start once the pin is on disk.
  const first = await startOf(net, readState)

  // A block every ~60 ms, each with one transaction emitting 1-3 Ping logs.
  let producing = true
  let mined = 0
  const production = (async () => {
    for (let i = 0; producing; i++) {
      await env.mineWithPings(i)
      mined++
      await new Promise((r) => setTimeout(r, 60))
    }
  })()

  const ahead: number[] = []
  for (let k = 0; k < kills; k++) {
    await new Promise((r) => setTimeout(r, random(100, 1500)))
    const restart = engine.killAndRestart!({ downMs: random(300, 900) })
    // While it is down: what the killed process left on disk. A module past the cursor is the case
    // a restart must not count twice.
    await new Promise((r) => setTimeout(r, 150))
    const atKill = await readState()
    const furthest = Math.max(...atKill.modules.map((m) => Number(m.last ?? -1n)))
    ahead.push(furthest - Number(atKill.cursor?.number ?? -1n))
    await restart
  }
  producing = false
  await production

  // Each restart found the lock the SIGKILLed process left and took it over (the PID is gone); a
  // second `shepherd run` on the same config while this one runs is refused with exit code 2.
  const takeovers = engine.logs().filter((line) => line.includes('took over a stale state directory lock'))
  expect(takeovers.length, `stale-lock takeovers; engine log:\n${engine.logs().slice(-30).join('\n')}`).toBe(kills)
  const second = spawn(process.execPath, [fileURLToPath(new URL('../../bin/shepherd.js', import.meta.url)), 'run', '--config', join(env.dir, 'engine.toml')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let secondErr = ''
  second.stderr.on('data', (chunk: Buffer) => (secondErr += chunk.toString()))
  second.stdout.resume()
  const bound = setTimeout(() => second.kill('SIGKILL'), 30_000)
  const secondCode = await new Promise<number | null>((resolve) => second.once('exit', resolve))
  clearTimeout(bound)
  expect(secondErr).toMatch(/another engine is using its state directory[\s\S]*key: engine\.state_dir[\s\S]*found: locked by pid \d+/)
  expect(secondCode).toBe(2)

  const end = await net.client.getBlockNumber()
  const deadline = Date.now() + 60_000
  while (((await readState()).cursor?.number ?? -1n) < end && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  await engine.stop()
  const final = await readState()

  expect(final.cursor?.number).toBe(end)
  const chainLogs = await net.client.getLogs({ address: net.addresses.logEmitter, event: ping, fromBlock: first, toBlock: end })
  for (const module of final.modules) {
    const wrong: string[] = []
    for (let n = first; n <= end; n++) if (module.blocks.get(`block:${pad(n)}`) !== 1) wrong.push(`block ${n}: ${module.blocks.get(`block:${pad(n)}`) ?? 0}`)
    for (const l of chainLogs)
      if (module.logs.get(`log:${pad(l.blockNumber)}:${pad(l.logIndex, 5)}`) !== 1) wrong.push(`log ${l.blockNumber}:${l.logIndex}: ${module.logs.get(`log:${pad(l.blockNumber)}:${pad(l.logIndex, 5)}`) ?? 0}`)
    expect(wrong, `${module.name}: blocks or logs not delivered exactly once; engine log:\n${engine.logs().slice(-30).join('\n')}`).toEqual([])
    expect(module.violations, `${module.name}: events out of chain order`).toBeUndefined()
    expect(module.last).toBe(end)
    // Nothing before the pinned start either: exactly the blocks first..end.
    expect(module.blocks.size).toBe(Number(end - first + 1n))
    expect(module.logs.size).toBe(chainLogs.length)
  }
  console.info(
    `${kills} kills over ${mined} blocks (${chainLogs.length} logs) from block ${first} (the pinned start + 1); at the kills a module was ahead of the cursor by ${ahead.join(', ')} blocks (${ahead.filter((a) => a > 0).length} kills in that window); every block and log once in both modules`,
  )
})
