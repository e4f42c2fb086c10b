// `npm run build` (also run by `prepare` and `prepack`): compiles the published entry points to dist/
// with tsc (JavaScript + .d.ts; tsconfig.build.json), then copies the plain-JavaScript files the
// runtime starts by URL (worker bootstraps), which tsc does not emit. dist/ is rebuilt from scratch so
// a deleted source never ships a stale file. A stamp of the sources' content lets a repeated
// `npm install` (prepare) or `npm pack` (prepack, then prepare) skip a build that would change nothing.
// `--force` rebuilds anyway.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dist = join(root, 'dist')

/** Files loaded by URL at run time (`new Worker(new URL(...))`), relative to the package root. */
export const runtimeAssets = ['engine/runner/workerBootstrap.mjs', 'harness/scenario/headWatcher.worker.mjs', 'harness/sandbox/reaper.mjs']

const stampFile = join(dist, '.build-stamp')
const sourceDirs = ['cli', 'engine', 'harness', 'modules']
const rootInputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json']

/** Every file under `dir` the build may read, in a stable order. */
function filesUnder(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) filesUnder(path, found)
    // Tests and benches never enter the build (tsconfig.build.json excludes them): editing one must not rebuild.
    else if (/\.(ts|mts|mjs|json)$/.test(entry.name) && !/\.(test|bench)\.ts$/.test(entry.name)) found.push(path)
  }
  return found
}

const buildInputs = () => [...rootInputs.map((file) => join(root, file)), ...sourceDirs.flatMap((dir) => filesUnder(join(root, dir)))]

function sourceStamp() {
  const hash = createHash('sha256').update(process.version.split('.')[0])
  for (const file of buildInputs()) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

const started = performance.now()
const stamp = sourceStamp()
if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`build: dist/ is current (sources unchanged), nothing to do (${Math.round(performance.now() - started)} ms)`)
  process.exit(0)
}
rmSync(dist, { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' })
if (run.status !== 0) {
  console.error(`build: tsc -p tsconfig.build.json failed (exit ${run.status ?? run.signal}); dist/ is incomplete`)
  process.exit(run.status ?? 1)
}
for (const asset of runtimeAssets) {
  if (!existsSync(join(root, asset))) {
    console.error(`build: runtime asset ${asset} is missing (listed in engine/bundle/build.mjs)`)
    process.exit(1)
  }
  mkdirSync(dirname(join(dist, asset)), { recursive: true })
  copyFileSync(join(root, asset), join(dist, asset))
}
writeFileSync(stampFile, stamp)
console.log(`build: dist/ written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
