// A short saturation run for before/after measurements (not a test; numbers vary with machine load):
//   SCENARIO=saturation-parallel BLOCKS=10 node --import tsx harness/bench/runSaturation.ts
// MODULE_CONFIG='{"twap-monitor":{"submitConcurrency":64}}' overrides module config keys.
// Add SHEPHERD_ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the engine process.
import '../../engine/polyfills.ts'
import { runScenario } from '../scenario/runScenario.ts'

const name = process.env.SCENARIO ?? 'saturation'
const blocks = Number(process.env.BLOCKS ?? 10)
const overrides = JSON.parse(process.env.MODULE_CONFIG ?? '{}') as Record<string, Record<string, unknown>>
const { default: scenario } = (await import(`../../scenarios/${name}/scenario.ts`)) as { default: Parameters<typeof runScenario>[0] }
const run = await runScenario(
  {
    ...scenario,
    engine: { ...scenario.engine, mode: 'process', modules: scenario.engine.modules.map((m) => ({ ...m, isolation: 'worker' as const, config: { ...m.config, ...overrides[m.name] } })) },
    load: { ...scenario.load!, blocks },
  },
  { scale: 'ci' },
)
const cpu = process.cpuUsage()
console.log(JSON.stringify({ scenario: name, blocks, harnessCpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)), pass: run.verdict.pass, submission: run.submissionLatencyMs, handlers: run.engine.latency }))
process.exit(0)
