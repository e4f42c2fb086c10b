import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { sepoliaAddresses } from '../../devnet/addresses.ts'
import { isProcessAlive } from '../../devnet/trackChildProcess.ts'
import { findFreePort } from '../../devnet/findFreePort.ts'
import { startExternalSubject, SubjectError, type StartedSubject } from './startExternalSubject.ts'
import { writeSubjectEnvironment } from './subjectEnvironment.ts'

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] })
const started: StartedSubject[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('startExternalSubject', () => {
  test('behavior: the subject gets the SHEPHERD_* variables and the JSON file, is ready on its log line, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-subject-'))
    dirs.push(dir)
    const { env, configPath } = writeSubjectEnvironment({ version: 1, chainId: 11155111, rpcUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1', orderbookUrl: 'http://127.0.0.1:2', blockTimeSeconds: 1, runDir: dir, addresses: sepoliaAddresses })
    const script = `const c = JSON.parse(require('fs').readFileSync(process.env.SHEPHERD_SUBJECT_CONFIG, 'utf8')); console.log('rpc', process.env.SHEPHERD_RPC_URL, 'cow', process.env.SHEPHERD_COMPOSABLE_COW, 'json', c.addresses.ethFlow, c.chainId, process.env.EXTRA); process.on('SIGTERM', () => { console.log('bye'); process.exit(0) }); console.log('watching'); setInterval(() => {}, 1000)`
    const subject = await startExternalSubject({ subject: { ...node(script), env: { EXTRA: 'yes' }, ready: { logLine: 'watching' } }, env })
    started.push(subject)
    expect(subject.logs()[0]).toBe(`rpc http://127.0.0.1:1 cow ${sepoliaAddresses.composableCow} json ${sepoliaAddresses.ethFlow} 11155111 yes`)
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toMatchObject({ version: 1, orderbookUrl: 'http://127.0.0.1:2', wsUrl: 'ws://127.0.0.1:1' })
    expect(await subject.stop()).toEqual({ code: 0, signal: null, killed: false })
    expect(isProcessAlive(subject.pid)).toBe(false)
  })

  test('behavior: a subject that exits before it is ready fails the run with its exit and its last output lines', async () => {
    const run = startExternalSubject({ subject: { ...node("console.error('missing SHEPHERD_RPC_URL'); process.exit(3)"), ready: { logLine: 'watching' } }, env: {} })
    await expect(run).rejects.toThrow(SubjectError)
    await expect(run).rejects.toThrow(/exited before it was ready \(code 3, signal null\)[\s\S]*missing SHEPHERD_RPC_URL/)
  })

  test('behavior: a subject that never gets ready is killed after readyTimeoutMs, with its last lines', async () => {
    const started = Date.now()
    const run = startExternalSubject({ subject: { ...node("console.log('starting'); setInterval(() => {}, 1000)"), ready: { logLine: 'watching' }, readyTimeoutMs: 500 }, env: {} })
    await expect(run).rejects.toThrow(/not ready within 500 ms \(waited for a line matching watching\)[\s\S]*starting/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('behavior: a missing command is a clear error, not a hang', async () => {
    await expect(startExternalSubject({ subject: { command: 'no-such-bot-xyz', ready: { afterMs: 0 } }, env: {} })).rejects.toThrow(/could not be started[\s\S]*check that "no-such-bot-xyz" exists/)
  })

  test('behavior: ready by URL waits for a 2xx; a subject that ignores SIGTERM is SIGKILLed with its children after stopTimeoutMs', async () => {
    const port = await findFreePort()
    // Serves 503 for the first 300 ms, then 200; ignores SIGTERM; has a child of its own.
    const script = `const { spawn } = require('child_process'); const kid = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('kid', kid.pid); const t0 = Date.now(); require('http').createServer((q, s) => { s.statusCode = Date.now() - t0 > 300 ? 200 : 503; s.end() }).listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => console.log('ignoring SIGTERM'))`
    const subject = await startExternalSubject({ subject: { ...node(script), ready: { url: `http://127.0.0.1:${port}/healthz` }, stopTimeoutMs: 300 }, env: {} })
    started.push(subject)
    const kid = Number(subject.logs().find((l) => l.startsWith('kid '))!.slice(4))
    expect(isProcessAlive(kid)).toBe(true)
    const exit = await subject.stop()
    expect(exit).toMatchObject({ signal: 'SIGKILL', killed: true })
    // The child was in the subject's process group: the same signal reached it.
    const deadline = Date.now() + 2_000
    while (isProcessAlive(kid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(isProcessAlive(kid)).toBe(false)
  })
})

describe('startSubjectAsEngine', () => {
  test('behavior: in the engine slot it serves no metrics (every figure not measured) and reports an exit during the run', async () => {
    const { startSubjectAsEngine } = await import('./startSubjectAsEngine.ts')
    const { readEngineFigures } = await import('../readEngineFigures.ts')
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-subject-'))
    dirs.push(dir)
    const subject = node("console.log('watching'); setTimeout(() => { console.error('crashed on block 7'); process.exit(4) }, 200)")
    const engine = await startSubjectAsEngine({ subject: { ...subject, ready: { logLine: 'watching' } }, dir, chainId: 11155111, rpcUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1', orderbookUrl: 'http://127.0.0.1:2', blockTimeSeconds: 1, addresses: sepoliaAddresses })
    try {
      expect(engine.env.SHEPHERD_SUBJECT_CONFIG).toBe(join(dir, 'subject.json'))
      const metrics = await engine.metrics()
      const figures = readEngineFigures(metrics, metrics)
      expect(figures.traps).toEqual({ notMeasured: `shepherd_module_traps_total absent from /metrics of engine pid ${engine.pid}` })
      const deadline = Date.now() + 5_000
      while (!engine.exitedEarly() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(engine.exitedEarly()).toEqual({ code: 4, signal: null })
      expect(engine.logs()).toContain('crashed on block 7')
    } finally {
      await engine.stop()
    }
    // A subject the runner stopped did not exit early.
    const calm = await startSubjectAsEngine({ subject: { ...node("process.on('SIGTERM', () => process.exit(0)); console.log('watching'); setInterval(() => {}, 1000)"), ready: { logLine: 'watching' } }, dir, chainId: 11155111, rpcUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1', orderbookUrl: 'http://127.0.0.1:2', blockTimeSeconds: 1, addresses: sepoliaAddresses })
    await calm.stop()
    expect(calm.exitedEarly()).toBeUndefined()
  })
})
