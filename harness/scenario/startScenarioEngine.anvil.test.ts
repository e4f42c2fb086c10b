import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readJournal } from '../faults/blockJournal.ts'
import { findFreePort } from '../devnet/findFreePort.ts'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { counterTotals, total } from './runMetrics.ts'
import { startScenarioEngine, writeScenarioConfig, type ScenarioEngine } from './startScenarioEngine.ts'

describe('startScenarioEngine (process mode)', () => {
  let net: Devnet
  let engine: ScenarioEngine | undefined
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-scenario-engine-'))
  beforeAll(async () => {
    net = await startDevnet({ blockTime: 1, log: () => {} })
  })
  afterAll(async () => {
    await engine?.stop()
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('behavior: {runDir} in a module config becomes the run folder', () => {
    const file = writeScenarioConfig({ dir, rpcUrl: 'ws://127.0.0.1:1', orderbookUrl: 'http://127.0.0.1:2', metricsPort: 3, modules: [{ name: 'x', config: { journal: '{runDir}/x.ndjson', list: ['{runDir}'] } }] })
    const text = readFileSync(file, 'utf8')
    expect(text).toContain(`journal = ${JSON.stringify(join(dir, 'x.ndjson'))}`)
    expect(text).toContain(`list = [${JSON.stringify(dir)}]`)
  })

  test('behavior: a SIGKILL and restart leaves evidence (signal, PID gone, new process healthy, cursor) and loses none of the first process\'s figures', async () => {
    engine = await startScenarioEngine({
      mode: 'process',
      dir,
      rpcUrl: net.wsUrl,
      orderbookUrl: 'http://127.0.0.1:9',
      metricsPort: await findFreePort(),
      // Traps on every 3rd block: the first process counts restarts the second one never saw.
      modules: [{ name: 'traps-every-k', path: 'engine/testing/fixtures/trapsEveryK.ts', config: { n: 3, journal: '{runDir}/journal.ndjson' } }],
    })
    const journal = join(dir, 'journal.ndjson')
    const restarts = async () => {
      const value = total(counterTotals(await engine!.metrics(), 'shepherd_module_restarts_total', ['module']))
      return 'value' in value ? value.value : -1
    }
    const cursor = async () => Math.max(-1, ...(await engine!.metrics()).current.samples.filter((s) => s.name === 'shepherd_cursor_block').map((s) => s.value))
    const deadline = Date.now() + 30_000
    while (((await restarts()) < 1 || (await cursor()) < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    const before = await restarts()
    expect(before).toBeGreaterThanOrEqual(1)
    const oldPid = engine.pid
    let killed = false
    const kill = await engine.killAndRestart!({ downMs: 200, onKilled: () => (killed = true) })
    expect(killed).toBe(true)
    expect(kill.old).toMatchObject({ pid: oldPid, exit: { code: null, signal: 'SIGKILL' }, pidGone: true })
    expect(kill.old.lastCursor).toBeGreaterThan(0)
    expect(kill.new.pid).not.toBe(oldPid)
    expect(kill.new.healthy.status).toBe(200)
    expect(kill.new.healthy.at).toBeGreaterThan(kill.old.exitedAt)
    // The new process starts from zero; the run's figures still hold the first process's restarts.
    expect(engine.ended()).toHaveLength(1)
    expect(engine.ended()[0]!.final?.pid).toBe(oldPid)
    expect(await restarts()).toBeGreaterThanOrEqual(before)
    // What the module received, in its own words, from both processes: {runDir} pointed it into the run folder.
    const resumed = Date.now() + 20_000
    while (!readJournal(journal).some((l) => l.pid === kill.new.pid && l.event === 'block') && Date.now() < resumed) await new Promise((r) => setTimeout(r, 200))
    expect(existsSync(journal)).toBe(true)
    const pids = new Set(readJournal(journal).map((l) => l.pid))
    expect(pids).toEqual(new Set([oldPid, kill.new.pid]))
  })

  test('behavior: a SIGTERM restart is a graceful stop (not forced to SIGKILL) and a new healthy process', async () => {
    // Runs on the engine the SIGKILL test left running.
    const oldPid = engine!.pid
    const stop = await engine!.killAndRestart!({ signal: 'SIGTERM', downMs: 100 })
    expect(stop.signal).toBe('SIGTERM')
    expect(stop.old).toMatchObject({ pid: oldPid, pidGone: true })
    expect(stop.old.exit.signal).not.toBe('SIGKILL')
    expect(stop.new.pid).not.toBe(oldPid)
    expect(stop.new.healthy.status).toBe(200)
    expect(engine!.ended()).toHaveLength(2)
  })
})
