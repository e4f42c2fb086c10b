// `npm run demo`: the main job on the embedded devnet. Runs the baseline scenario at full length
// (120 s of 1 x (5 + 5) load per block), judges it from ground truth and prints where the report is.
import '../engine/polyfills.ts'
import { runAndReport } from '../harness/scenario/runAndReport.ts'
import baseline from './baseline/scenario.ts'

const scale = process.env.SHEPHERD_SCALE === 'ci' ? 'ci' : 'full'
console.info(`Shepherd demo: scenario "${baseline.name}" at ${scale} length on an embedded devnet.\n${baseline.description}\n`)
const { run, paths } = await runAndReport(baseline, { scale })
console.info(`\nverdict: ${run.verdict.pass ? 'PASS' : 'FAIL'}`)
const label = { pass: 'PASS', fail: 'FAIL', 'not measured': 'NOT MEASURED', 'not applicable': 'N/A' } as const
for (const bar of run.verdict.bars) console.info(`  ${label[bar.status ?? (bar.pass ? 'pass' : 'fail')]}  ${bar.name}: ${bar.measured}   (bar: ${bar.bar})`)
console.info(`\nreport: ${paths.markdown}\nchart:  ${paths.svg}\ndata:   ${paths.json}`)
console.info(`publish it with: npm run reports:publish -- ${paths.markdown}`)
process.exit(run.verdict.pass ? 0 : 1)
