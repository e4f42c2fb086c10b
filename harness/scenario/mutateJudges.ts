// `npm run mutate:judges`: a mutation check of the judges. In a scratch copy of the sources, it
// inverts each comparison and drops each bar of the judge files, one mutant at a time, and runs the
// judge tests against each. A mutant the tests do not notice "survives": a bar that could be wrong
// without any test failing. Exit 0 when every mutant is killed, 1 otherwise (survivors listed).
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import ts from 'typescript'

/** One mutation of one judge file: where, what, and the mutated text. */
export type Mutant = { file: string; line: number; kind: 'inverted comparison' | 'dropped bar'; description: string; text: string }

/** A judge source file and the tests that judge it. */
export type JudgeTarget = { file: string; tests: readonly string[] }

/** The judges and their tests (paths relative to the repo root). */
export const judgeTargets: readonly JudgeTarget[] = [
  { file: 'harness/scenario/judge.ts', tests: ['harness/scenario/judge.test.ts', 'scenarios/chaos/judgeChaos.unit.test.ts', 'harness/scenario/subject/judgeSubject.test.ts', 'harness/scenario/judgeAppData.test.ts', 'harness/scenario/judgeEthFlowAppData.test.ts'] },
  { file: 'harness/scenario/judgeEthFlowAppData.ts', tests: ['harness/scenario/judgeEthFlowAppData.test.ts'] },
  { file: 'harness/scenario/judgeAppData.ts', tests: ['harness/scenario/judgeAppData.test.ts'] },
  { file: 'harness/scenario/judgeValidityRefusals.ts', tests: ['harness/scenario/judgeValidityRefusals.test.ts'] },
  { file: 'harness/scenario/judgeDelivery.ts', tests: ['harness/scenario/judgeDelivery.test.ts', 'harness/scenario/toReportResult.test.ts'] },
  { file: 'scenarios/chaos/judgeChaos.ts', tests: ['scenarios/chaos/judgeChaos.unit.test.ts'] },
  { file: 'scenarios/chaos/judgeChaosSubject.ts', tests: ['scenarios/chaos/judgeChaos.unit.test.ts'] },
  { file: 'scenarios/chaos/chaosBars.ts', tests: ['scenarios/chaos/judgeChaos.unit.test.ts'] },
  { file: 'harness/replay/judgeBacktest.ts', tests: ['harness/replay/judgeBacktest.test.ts'] },
  { file: 'scenarios/crash-loop/judgeCrashLoop.ts', tests: ['scenarios/crash-loop/judgeCrashLoop.unit.test.ts'] },
  { file: 'scenarios/scale/judgeScale.ts', tests: ['scenarios/scale/judgeScale.unit.test.ts'] },
  { file: 'scenarios/soak/judgeSoak.ts', tests: ['scenarios/soak/judgeSoak.unit.test.ts'] },
  { file: 'harness/scenario/multichain/judgeMultichain.ts', tests: ['harness/scenario/multichain/judgeMultichain.test.ts'] },
  // What the judges read the engine's metrics through: a wrong sum or filter here feeds every bar.
  { file: 'harness/scenario/runMetrics.ts', tests: ['harness/scenario/readEngineFigures.test.ts'] },
  { file: 'harness/scenario/readEngineFigures.ts', tests: ['harness/scenario/readEngineFigures.test.ts'] },
]

const inverse: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: '>=',
  [ts.SyntaxKind.LessThanEqualsToken]: '>',
  [ts.SyntaxKind.GreaterThanToken]: '<=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '<',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
}
/** Calls that add a bar (or a failure line) to a verdict; a statement that is one of them is a bar. */
const barCalls = /^(add|bounded|bars\.push|results\.push|failures\.push)$/

/**
 * Every mutant of one judge file: each comparison operator inverted (`<` to `>=`, `===` to `!==`,
 * ...) and each statement that adds a bar (`add(...)`, `bars.push(...)`, `failures.push(...)`, a
 * derived bound `bounds.x = ...`) replaced by nothing. Found with the TypeScript parser, so text in
 * strings and comments is never touched.
 *
 * @example
 * listMutants('harness/scenario/judge.ts', readFileSync('harness/scenario/judge.ts', 'utf8')).length
 */
export function listMutants(file: string, source: string): Mutant[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const mutants: Mutant[] = []
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1
  const splice = (start: number, end: number, replacement: string) => source.slice(0, start) + replacement + source.slice(end)
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node)) {
      const replacement = inverse[node.operatorToken.kind]
      if (replacement) {
        const op = node.operatorToken
        mutants.push({
          file,
          line: lineOf(op.getStart()),
          kind: 'inverted comparison',
          description: `${node.getText().replace(/\s+/g, ' ').slice(0, 90)}: ${op.getText()} -> ${replacement}`,
          text: splice(op.getStart(), op.getEnd(), replacement),
        })
      }
    }
    if (ts.isExpressionStatement(node)) {
      const e = node.expression
      const callee = ts.isCallExpression(e) ? e.expression.getText() : undefined
      const boundAssignment = ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && /^bounds\.\w+$/.test(e.left.getText())
      if ((callee && barCalls.test(callee)) || boundAssignment)
        mutants.push({
          file,
          line: lineOf(node.getStart()),
          kind: 'dropped bar',
          description: node.getText().replace(/\s+/g, ' ').slice(0, 90),
          text: splice(node.getStart(), node.getEnd(), 'void 0'),
        })
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return mutants
}

export type MutationReport = { total: number; killed: number; survivors: Mutant[]; durationMs: number }

/**
 * Runs every mutant of the judge files against their tests, in a scratch copy of the sources (the
 * working tree is never written). Vitest runs in this process and re-runs only the tests of the
 * mutated file, each in a fresh child process with a 192 MiB heap (a mutant that loops forever
 * allocating dies fast, and counts as killed); the original must pass again after the first and
 * the last mutant of each file, so no mutant lingers in a reused worker.
 *
 * @example
 * const report = await mutateJudges()
 * console.log(`${report.killed}/${report.total} mutants killed`)
 */
export async function mutateJudges({ root = process.cwd(), targets = judgeTargets, timeoutMs = 120_000, log = (line: string) => console.info(line) } = {}): Promise<MutationReport> {
  const started = performance.now()
  const scratch = mkdtempSync(join(tmpdir(), 'shepherd-mutants-'))
  // An interrupted check must not leave its scratch copy behind.
  const interrupted = () => {
    rmSync(scratch, { recursive: true, force: true })
    process.exit(130)
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  try {
    for (const dir of ['engine', 'harness', 'modules', 'scenarios']) cpSync(join(root, dir), join(scratch, dir), { recursive: true })
    for (const file of ['package.json', 'tsconfig.json']) cpSync(join(root, file), join(scratch, file))
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir')
    const { createVitest } = await import('vitest/node')
    const allTests = [...new Set(targets.flatMap((t) => t.tests))].map((t) => join(scratch, t))
    const vitest = await createVitest(
      'test',
      { config: false, root: scratch, watch: false, reporters: [{}], pool: 'forks', isolate: true, execArgv: ['--max-old-space-size=192'], setupFiles: [join(scratch, 'engine/polyfills.ts')], include: allTests.map((t) => relative(scratch, t)) },
      { logLevel: 'silent' },
    )
    try {
      const run = async (tests: readonly string[]) => {
        const files = [...new Set(tests)].map((t) => join(scratch, t))
        // Bounded: a mutant that makes a loop run forever without allocating would hang the check.
        let timer: NodeJS.Timeout | undefined
        const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the tests ${files.map((f) => relative(scratch, f)).join(', ')} ran over ${timeoutMs} ms on a mutant; stopping`)), timeoutMs)))
        const result = await Promise.race([vitest.runTestFiles(files), hung]).finally(() => clearTimeout(timer))
        // The result lists every test module Vitest knows; judge by the ones asked for, each of which must have run.
        const asked = result.testModules.filter((m) => files.includes(m.moduleId))
        return { result: { ...result, testModules: asked }, pass: result.unhandledErrors.length === 0 && asked.length === files.length && asked.every((m) => m.ok()) }
      }
      const passes = async (tests: readonly string[]) => (await run(tests)).pass
      const mustPass = async (tests: readonly string[], when: string) => {
        const { result, pass } = await run(tests)
        if (pass) return
        const failed = result.testModules
          .filter((m) => !m.ok())
          .map((m) => `${relative(scratch, m.moduleId)}: ${[...m.errors().map((e) => e.message), ...[...m.children.allTests('failed')].map((t) => `${t.fullName}: ${t.result().errors?.[0]?.message ?? ''}`)].join('; ')}`)
        throw new Error(`The judge tests fail ${when} (${result.testModules.length} of ${tests.length} test files ran: ${result.testModules.map((m) => relative(scratch, m.moduleId)).join(", ")}).\n${[...failed, ...result.unhandledErrors.map(String)].join('\n')}`)
      }
      await mustPass(targets.flatMap((t) => t.tests), 'before any mutation: fix them first')
      const survivors: Mutant[] = []
      let total = 0
      for (const target of targets) {
        const path = join(scratch, target.file)
        const original = readFileSync(path, 'utf8')
        const mutants = listMutants(target.file, original)
        const fileStarted = performance.now()
        let killed = 0
        const restore = async (when: string) => {
          writeFileSync(path, original)
          vitest.invalidateFile(path)
          // The original must pass again, or a mutant lingered and the score means nothing.
          await mustPass(target.tests, `on the original ${target.file} ${when} (a mutant lingered: the score cannot be trusted)`)
        }
        for (const mutant of mutants) {
          writeFileSync(path, mutant.text)
          vitest.invalidateFile(path)
          if (await passes(target.tests)) survivors.push(mutant)
          else if (++killed === 1) await restore('after its first killed mutant')
        }
        await restore('after its last mutant')
        total += mutants.length
        log(`${target.file}: ${killed}/${mutants.length} mutants killed (${((performance.now() - fileStarted) / 1000).toFixed(1)} s)`)
      }
      return { total, killed: total - survivors.length, survivors, durationMs: performance.now() - started }
    } finally {
      await vitest.close()
    }
  } finally {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  // --file <judge file> (repeatable) checks only those judges, e.g. the one you just changed.
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, file: { type: 'string', multiple: true } }, strict: true })
  const only = values.file?.map((f) => relative(process.cwd(), resolve(f)))
  const unknown = only?.filter((f) => !judgeTargets.some((t) => t.file === f)) ?? []
  if (unknown.length) {
    console.error(`mutate:judges: not a judge target: ${unknown.join(', ')} (known: ${judgeTargets.map((t) => t.file).join(', ')})`)
    process.exit(2)
  }
  const report = await mutateJudges({ log: values.json ? () => {} : undefined, targets: only ? judgeTargets.filter((t) => only.includes(t.file)) : judgeTargets })
  if (values.json) console.log(JSON.stringify(report.survivors.length ? report : { ...report, survivors: [] }))
  else {
    console.info(`mutation score: ${report.killed}/${report.total} killed in ${(report.durationMs / 1000).toFixed(1)} s`)
    for (const s of report.survivors) console.info(`  survived: ${s.file}:${s.line} ${s.kind}: ${s.description}`)
  }
  process.exit(report.survivors.length ? 1 : 0)
}
