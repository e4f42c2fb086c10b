import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runChild, withoutVitestEnv, type RunChildReturnType } from './runChild.ts'

// The package as another project gets it: `npm pack` (prepack builds dist/), a fresh project made
// from fixtures/consumer, `npm install <tarball>` there (registry or npm cache only), then that
// project's own checks through the public entry points only: `tsc --noEmit` against the published
// .d.ts, its engine config parsed by `shepherd`, a module unit test with createMockHost, and the baseline scenario at CI scale with the
// installed `shepherd` bin running twap-monitor, ethflow-watcher and the project's module by path.
// Exports maps make a deep import (shepherd/dist/...) fail, so "public only" is enforced by Node.
const root = process.cwd()
const dir = mkdtempSync(join(tmpdir(), 'shepherd-pack-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A child npm or vitest must not take our run's npm lifecycle or vitest worker state for its own.
const env = {
  ...Object.fromEntries(Object.entries(withoutVitestEnv()).filter(([key]) => !key.startsWith('npm_lifecycle') && !key.startsWith('npm_package'))),
  TMPDIR: dir,
  NO_COLOR: '1',
  SHEPHERD_SCALE: 'ci',
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const timings: Record<string, number> = {}

async function step(name: string, command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<RunChildReturnType> {
  const run = await runChild(command, args, { cwd, env, timeoutMs })
  timings[name] = Math.round(run.durationMs)
  if (run.code !== 0) throw new Error(`${name}: ${command} ${args.join(' ')} exited ${run.code ?? run.signal} in ${cwd}\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-4000)}`)
  return run
}

test('proof: the packed tarball installs into a fresh project, whose module test and baseline scenario pass through the public entry points', async () => {
  const started = performance.now()
  const packed = await step('npm pack', npm, ['pack', '--json', '--pack-destination', dir], root, 180_000)
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>
  const files = info!.files.map((f) => f.path)
  // What ships: the build and the bin; never tests, benches or the TypeScript sources.
  expect(files).toContain('dist/engine/runner/workerBootstrap.mjs')
  expect(files).toContain('dist/harness/scenario/headWatcher.worker.mjs')
  expect(files).toContain('dist/modules/twap-monitor/index.js')
  expect(files).toContain('dist/scenarios/baseline/scenario.js')
  expect(files).toContain('bin/shepherd.js')
  expect(files.filter((f) => /\.(test|bench)\.|(?<!\.d)\.ts$/.test(f))).toEqual([])

  const project = join(dir, 'consumer')
  cpSync(join(root, 'fixtures/consumer'), project, { recursive: true })
  await step('npm install', npm, ['install', join(dir, info!.filename), '--no-audit', '--no-fund', '--prefer-offline'], project, 300_000)
  await step('tsc', process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project], project, 120_000)
  const resultsFile = join(dir, 'results.json')
  const vitest = await runChild(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`], { cwd: project, env, timeoutMs: 480_000 })
  timings['consumer vitest'] = Math.round(vitest.durationMs)
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }> }
  const outcomes = results.testResults.flatMap((file) => file.assertionResults.map((a) => `${a.status}: ${a.fullName}`)).sort()
  console.info(`[pack-install] ${JSON.stringify(timings)}; total ${Math.round((performance.now() - started) / 1000)} s`)
  expect(outcomes, `${vitest.stdout.slice(-6000)}\n${vitest.stderr.slice(-3000)}`).toEqual([
    'passed: bad input: an unknown key is a ConfigError naming file and key',
    'passed: bad input: the installed bin names its built-in scenarios when asked for an unknown one',
    'passed: behavior: consecutive blocks leave no gap; a skipped block is counted once',
    'passed: behavior: the devnet and orderbook stub the globalSetup provides answer',
    "passed: behavior: the project's engine.toml parses with its module by path",
    'passed: property: every TWAP created on ComposableCoW gets one entry with its parts and interval',
    "passed: scenario: baseline passes with the project's own module in Shepherd's engine",
  ])
  expect(vitest.code).toBe(0)
}, 900_000)
