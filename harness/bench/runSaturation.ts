// A short saturation run for before/after measurements (not a test; numbers vary with machine load):
//   SCENARIO=saturation-parallel BLOCKS=10 node --import tsx harness/bench/runSaturation.ts
// Add SHEPHERD_ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the engine process.
import '../../engine/polyfills.ts'
import { runScenario } from '../scenario/runScenario.ts'

const name = process.env.SCENARIO ?? 'saturation'
const blocks = Number(process.env.BLOCKS ?? 10)
const { default: scenario } = (await import(`../../scenarios/${name}/scenario.ts`)) as { default: Parameters<typeof runScenario>[0] }
const run = await runScenario(
  {
    ...scenario,
    engine: { ...scenario.engine, mode: 'process', modules: scenario.engine.modules.map((m) => ({ ...m, isolation: 'worker' as const })) },
    load: { ...scenario.load!, blocks },
  },
  { scale: 'ci' },
)
console.log(JSON.stringify({ scenario: name, blocks, pass: run.verdict.pass, submission: run.submissionLatencyMs, handlers: run.engine.latency }))
process.exit(0)
