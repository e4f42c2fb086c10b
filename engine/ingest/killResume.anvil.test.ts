import { join } from 'node:path'
import { expect, test } from 'vitest'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'
import { createStore } from '../store/createStore.ts'
import { ping, startOf, usePingDevnet } from '../testing/usePingDevnet.ts'

const env = usePingDevnet('shepherd-kill-')

/** Mines one block with one tx emitting 1-3 Ping logs, every `everyMs`, `count` times. */
async function produce(count: number, everyMs: number) {
  for (let i = 0; i < count; i++) {
    await env.mineWithPings(i)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

function readState() {
  const store = createStore({ stateDir: join(env.dir, 'state') })
  const module = store.forModule('recording')
  return Promise.all([module.list<number>('block:'), module.list<number>('log:')]).then(async ([blocks, logs]) => {
    const cursor = store.getCursor(11155111)
    await store.close()
    return { blocks: new Map(blocks), logs: new Map(logs), cursor }
  })
}

test('behavior: SIGKILL at a random moment, then restart: resumes from the cursor, loses nothing, lmdb stays consistent, repeats only what was in flight', async () => {
  const { net } = env
  const emitter = net.addresses.logEmitter
  const engine = (env.engine = await startScenarioEngine({
    mode: 'process',
    dir: env.dir,
    rpcUrl: net.wsUrl,
    orderbookUrl: 'http://127.0.0.1:9',
    metricsPort: await findFreePort(),
    modules: [{ name: 'recording', path: 'engine/ingest/testing/recordingModule.ts', isolation: 'in-process', config: { emitter } }],
    logLevel: 'warn',
  }))
  const start = await startOf(net, readState)
  const producing = produce(60, 40)
  await new Promise((r) => setTimeout(r, 500 + Math.floor(Math.random() * 1500))) // a random moment
  const restart = engine.killAndRestart!({ downMs: 300 })
  // Between the kill and the restart, lmdb as the killed process left it: it opens, and its cursor is a block of the chain.
  await new Promise((r) => setTimeout(r, 250))
  const atKill = await readState()
  await restart
  await producing
  const end = await net.client.getBlockNumber()
  const deadline = Date.now() + 60_000
  while (((await readState()).cursor?.number ?? -1n) < end && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  await engine.stop()
  const final = await readState()

  expect(atKill.cursor).toBeDefined()
  expect(atKill.cursor!.hash).toBe((await net.client.getBlock({ blockNumber: atKill.cursor!.number })).hash)
  expect(final.cursor?.number).toBe(end)
  expect(final.blocks.size).toBe(Number(end - start + 1n)) // nothing before the pinned start, nothing missing after it
  for (let n = start; n <= end; n++) {
    const hash = (await net.client.getBlock({ blockNumber: n })).hash
    const seen = final.blocks.get(`block:${n.toString().padStart(12, '0')}:${hash}`)
    expect(seen, `block ${n}`).toBeGreaterThanOrEqual(1)
    // Only a block past the persisted cursor can be handled again (it was in flight at the kill).
    if (seen! > 1) expect(n, `block ${n} repeated`).toBeGreaterThan(atKill.cursor!.number)
  }
  const chainLogs = await net.client.getLogs({ address: emitter, event: ping, fromBlock: start, toBlock: end })
  for (const l of chainLogs) {
    const seen = final.logs.get(`log:${l.blockHash}:${l.logIndex}`)
    expect(seen, `log ${l.blockNumber}:${l.logIndex}`).toBeGreaterThanOrEqual(1)
    if (seen! > 1) expect(l.blockNumber).toBeGreaterThan(atKill.cursor!.number)
  }
  console.info(`killed at cursor ${atKill.cursor!.number}; resumed and reached ${end}; ${chainLogs.length} logs, ${[...final.blocks.values()].filter((n) => n > 1).length} blocks handled twice (in flight at the kill)`)
})
