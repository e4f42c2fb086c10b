// `shepherd run` with twap-monitor, ethflow-watcher and a path module (three worker threads) against
// a devnet, timed from spawn to /healthz 200: `npm run bench -- engine-start`. Sources through the
// mirror (the default) and through tsx (SHEPHERD_NO_BUNDLE=1); dist/ as installed too when it is built.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { benchOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startDevnet } from '../../harness/devnet/startDevnet.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
/** Bounded: an engine that is not healthy in this long is a failure, not a slow sample. */
const HEALTHY_WITHIN_MS = 30_000

async function startOnce(rpcUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  const port = await findFreePort()
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-bench-'))
  const config = join(dir, 'engine.toml')
  writeFileSync(
    config,
    `[engine]\nstate_dir = "${dir}/state"\nlog_level = "warn"\n[engine.metrics]\nenabled = true\nbind = "127.0.0.1:${port}"\n` +
      `[chains.11155111]\nrpc_url = "${rpcUrl}"\nconfirmations = 0\npoll_interval_ms = 1000\n` +
      `[[modules]]\nname = "twap-monitor"\n[[modules]]\nname = "ethflow-watcher"\n` +
      `[[modules]]\nname = "traps-every-k"\npath = "${root}engine/testing/fixtures/trapsEveryK.ts"\n[modules.config]\nn = 1000000\n`,
  )
  const child = spawn(process.execPath, [join(root, 'bin/shepherd.js'), 'run', '--config', config], { stdio: ['ignore', 'ignore', 'inherit'], env })
  const started = performance.now()
  try {
    while (performance.now() - started < HEALTHY_WITHIN_MS) {
      if (child.exitCode !== null) throw new Error(`shepherd exited with ${child.exitCode}`)
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false)
      if (ok) return
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`shepherd run was not healthy within ${HEALTHY_WITHIN_MS} ms`)
  } finally {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

export default defineBenchmark({
  name: 'engine-start',
  summary: '`shepherd run` with three worker modules, spawn to /healthz 200 (mirror, tsx, and dist when built)',
  async run({ quick }) {
    const net = await startDevnet({ log: () => {} })
    try {
      const bench = new Bench(benchOptions(quick, { iterations: 3, timeMs: 0, warmupIterations: 0 }))
        .add('source (mirror)', () => startOnce(net.rpcUrl, process.env))
        .add('source (tsx, SHEPHERD_NO_BUNDLE=1)', () => startOnce(net.rpcUrl, { ...process.env, SHEPHERD_NO_BUNDLE: '1' }))
      if (existsSync(join(root, 'dist/cli/main.js'))) bench.add('build (dist, SHEPHERD_FROM_BUILD=1)', () => startOnce(net.rpcUrl, { ...process.env, SHEPHERD_FROM_BUILD: '1' }))
      await bench.run()
      return { rows: rowsOf(bench, { benchmark: 'engine-start', unit: 'start' }) }
    } finally {
      await net.stop()
    }
  },
})
