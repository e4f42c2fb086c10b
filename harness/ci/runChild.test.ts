import { describe, expect, test } from 'vitest'
import { runChild, withoutVitestEnv } from './runChild.ts'

describe('runChild', () => {
  test('behavior: collects the output and exit code of a child without blocking', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const run = await runChild(process.execPath, ['-e', 'setTimeout(() => { console.log("out"); console.error("err"); process.exit(3) }, 200)'], { cwd: process.cwd(), timeoutMs: 10_000 })
    clearInterval(timer)
    expect(run).toMatchObject({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' })
    // The event loop kept turning while the child ran (spawnSync would have frozen it).
    expect(ticks).toBeGreaterThan(5)
  })

  test('behavior: a child past its time is killed and the promise says so', async () => {
    await expect(runChild(process.execPath, ['-e', 'console.log("started"); setTimeout(() => {}, 60_000)'], { cwd: process.cwd(), timeoutMs: 300 })).rejects.toThrow(/ran over 300 ms and was killed; its output so far:\nstarted/)
  })

  test('behavior: the default environment leaves out every VITEST variable', () => {
    expect(withoutVitestEnv({ VITEST: 'true', VITEST_POOL_ID: '1', PATH: '/bin' })).toEqual({ PATH: '/bin' })
  })
})
