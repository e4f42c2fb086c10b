// Startup benchmark (not a test): spawns `shepherd run` with twap-monitor, ethflow-watcher and a
// path module (three worker threads) against a running devnet, and times spawn -> /healthz 200.
//   node bin/shepherd.js devnet --port 18545 &
//   node engine/bundle/benchEngineStart.mjs http://127.0.0.1:18545 [runs]
//   SHEPHERD_NO_BUNDLE=1 node engine/bundle/benchEngineStart.mjs http://127.0.0.1:18545    (sources through tsx)
//   SHEPHERD_FROM_BUILD=1 node engine/bundle/benchEngineStart.mjs http://127.0.0.1:18545   (dist/, as installed; npm run build first)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const rpcUrl = process.argv[2] ?? 'http://127.0.0.1:8545'
const runs = Number(process.argv[3] ?? 3)
const root = new URL('../../', import.meta.url).pathname
const port = 19100 + Math.floor(Math.random() * 800)

async function startOnce() {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-bench-'))
  const config = join(dir, 'engine.toml')
  writeFileSync(
    config,
    `[engine]\nstate_dir = "${dir}/state"\nlog_level = "warn"\n[engine.metrics]\nenabled = true\nbind = "127.0.0.1:${port}"\n` +
      `[chains.11155111]\nrpc_url = "${rpcUrl}"\nconfirmations = 0\npoll_interval_ms = 1000\n` +
      `[[modules]]\nname = "twap-monitor"\n[[modules]]\nname = "ethflow-watcher"\n` +
      `[[modules]]\nname = "traps-every-k"\npath = "${root}engine/testing/fixtures/trapsEveryK.ts"\n[modules.config]\nn = 1000000\n`,
  )
  const started = performance.now()
  const child = spawn(process.execPath, [join(root, 'bin/shepherd.js'), 'run', '--config', config], { stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`shepherd exited with ${child.exitCode}`)
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false)
      if (ok) return performance.now() - started
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

const times = []
for (let i = 0; i < runs; i++) times.push(await startOnce())
console.log(`${process.env.SHEPHERD_FROM_BUILD === '1' ? 'build (dist)' : process.env.SHEPHERD_NO_BUNDLE === '1' ? 'source (tsx)' : 'source (mirror)'} engine spawn -> /healthz 200: ${times.map((t) => `${Math.round(t)} ms`).join(', ')}`)
