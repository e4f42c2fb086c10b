import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { parse as parseShell } from 'shell-quote'
import { ConfigError } from '../engine/errors/config.ts'
import { runAndReport } from '../harness/scenario/runAndReport.ts'
import { defineScenario, type ScenarioDefinition } from '../harness/scenario/defineScenario.ts'
import type { RunScenarioOptions } from '../harness/scenario/runScenario.ts'
import type { ExternalSubject } from '../harness/scenario/subject/subjectTypes.ts'
import { importModuleUrl } from '../engine/module/importModuleUrl.ts'
import { runsFromBuild } from '../engine/packageInfo.ts'

export const scenarioUsage = 'shepherd scenario <name-or-file> [--subject-cmd "command args..."] [--ready-line TEXT | --ready-url URL | --ready-after-ms N] [--scale ci|full] [--out DIR]'

// The built-ins sit beside cli/: scenarios/<name>/scenario.ts in the checkout, dist/scenarios/<name>/scenario.js
// in an installed package (the build compiles them).
const scenariosRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios')
const scenarioFileName = runsFromBuild ? 'scenario.js' : 'scenario.ts'

/**
 * Built-ins whose verdict needs a runner beside the data (a during-hook that kills the engine,
 * triggers orders or judges extra bars): run as data only, they would judge a different run.
 */
const needsRunner: Readonly<Record<string, string>> = {
  'crash-loop': 'its kills live in scenarios/crash-loop/runCrashLoop.ts',
  e2e: 'its triggers and terminal markers live in scenarios/e2e/e2e.test.ts (for the signed, resumable run against a devnet or a live testnet: shepherd e2e)',
}

const usageError = (key: string, expected: string, found: string) => new ConfigError(`Bad ${key}`, { file: '(command line)', key, expected, found, hint: `Usage: ${scenarioUsage}` })

/**
 * The built-in scenarios: each folder under `scenarios/` with a `scenario.ts`.
 *
 * @example
 * builtInScenarios() // ['baseline', 'chaos', 'crash-loop', 'e2e', 'medium', 'saturation', 'saturation-parallel']
 */
export function builtInScenarios(): string[] {
  return readdirSync(scenariosRoot)
    .filter((name) => existsSync(resolve(scenariosRoot, name, scenarioFileName)))
    .sort()
}

/**
 * Splits `--subject-cmd` like a POSIX shell splits words (quotes and backslashes), without running a
 * shell: `$VAR` stays literal text, and an operator (`|`, `&&`, `>`, `;`) or a glob is refused, since
 * nothing would interpret it. Wrap a pipeline in `sh -c '...'` if you need one.
 *
 * @example
 * splitCommand(`node "my bot.mjs" --stall-blocks=30`) // ['node', 'my bot.mjs', '--stall-blocks=30']
 */
export function splitCommand(text: string): string[] {
  const words = parseShell(text, (key) => `$${key}`)
  const out: string[] = []
  for (const word of words) {
    if (typeof word === 'string') out.push(word)
    else if ('op' in word && word.op === 'glob') throw usageError('--subject-cmd', 'words without glob patterns (no shell expands them: quote them)', word.pattern)
    else if ('comment' in word) break
    else throw usageError('--subject-cmd', `one command and its arguments (no shell runs it; for "${'op' in word ? word.op : '?'}" use sh -c '...')`, text)
  }
  if (out.length === 0) throw usageError('--subject-cmd', 'a command, e.g. "node bot.mjs"', JSON.stringify(text))
  return out
}

/**
 * Finds and imports the scenario: a built-in folder name, or a file whose default export is
 * `defineScenario(...)` (and an optional named export `during`, the hook `runScenario` takes).
 */
async function loadScenario(nameOrFile: string): Promise<{ definition: ScenarioDefinition; during?: RunScenarioOptions['during'] }> {
  const builtIn = resolve(scenariosRoot, nameOrFile, scenarioFileName)
  const isBuiltIn = /^[a-z0-9][a-z0-9-]*$/.test(nameOrFile) && existsSync(builtIn)
  if (isBuiltIn && needsRunner[nameOrFile])
    throw usageError('<name-or-file>', `a scenario the CLI can run as data (${builtInScenarios().filter((n) => !needsRunner[n]).join(', ')}, or your file)`, `"${nameOrFile}": ${needsRunner[nameOrFile]}; run it with: npx vitest run scenarios/${nameOrFile}`)
  const file = isBuiltIn ? builtIn : resolve(nameOrFile)
  if (!existsSync(file) || !statSync(file).isFile())
    throw usageError('<name-or-file>', `a built-in scenario (${builtInScenarios().join(', ')}) or a scenario file (.ts/.js/.mjs)`, JSON.stringify(nameOrFile))
  // A user's TypeScript scenario loads from an installed package too (tsx registered on demand).
  const loaded = (await importModuleUrl(pathToFileURL(file).href)) as { default?: unknown; during?: unknown }
  if (loaded.during !== undefined && typeof loaded.during !== 'function') throw new ConfigError('Invalid during export', { file, key: 'during', expected: 'a function (context) => Promise<ExtraBars | void>', found: typeof loaded.during })
  if (loaded.default === undefined) throw new ConfigError('Scenario file has no default export', { file, key: 'default export', expected: 'export default defineScenario({ ... })', found: 'nothing' })
  try {
    // Checked again: a user's file may build its definition by hand.
    return { definition: defineScenario(loaded.default as ScenarioDefinition), during: loaded.during as RunScenarioOptions['during'] }
  } catch (error) {
    if (error instanceof TypeError) throw new ConfigError('Invalid scenario', { file, key: 'default export', expected: 'a valid defineScenario({ ... })', found: error.message })
    throw error
  }
}

/** The `ready` of a --subject-cmd: one of the ready flags, default a 2 s wait (document a ready line instead). */
function readyOf(values: { 'ready-line'?: string | undefined; 'ready-url'?: string | undefined; 'ready-after-ms'?: string | undefined }): ExternalSubject['ready'] {
  const given = (['ready-line', 'ready-url', 'ready-after-ms'] as const).filter((k) => values[k] !== undefined)
  if (given.length > 1) throw usageError(`--${given[1]}`, 'at most one of --ready-line, --ready-url, --ready-after-ms', given.map((k) => `--${k}`).join(' and '))
  if (values['ready-line'] !== undefined) return { logLine: values['ready-line'] }
  if (values['ready-url'] !== undefined) return { url: values['ready-url'] }
  const ms = values['ready-after-ms'] ?? '2000'
  if (!/^\d+$/.test(ms)) throw usageError('--ready-after-ms', 'milliseconds (a whole number)', ms)
  return { afterMs: Number(ms) }
}

/**
 * `shepherd scenario <name-or-file> ...`: runs a built-in or user-defined scenario, writes its
 * report under `--out` (default `reports/`), and exits with the verdict: 0 PASS, 1 FAIL (2 for bad
 * input, from the CLI's error handling).
 *
 * @example
 * process.exitCode = await scenarioCommand(['baseline', '--scale', 'ci', '--subject-cmd', 'node bot.mjs', '--ready-line', 'watching'])
 */
export async function scenarioCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'subject-cmd': { type: 'string' },
      'ready-line': { type: 'string' },
      'ready-url': { type: 'string' },
      'ready-after-ms': { type: 'string' },
      scale: { type: 'string', default: 'full' },
      out: { type: 'string', default: 'reports' },
    },
    allowPositionals: true,
    strict: true,
  })
  if (positionals.length !== 1) throw usageError('<name-or-file>', 'one scenario name or file', positionals.join(' ') || 'nothing')
  if (values.scale !== 'ci' && values.scale !== 'full') throw usageError('--scale', 'ci or full', values.scale ?? '')
  const subjectCmd = values['subject-cmd']
  if (subjectCmd === undefined && (values['ready-line'] ?? values['ready-url'] ?? values['ready-after-ms']) !== undefined)
    throw usageError('--ready-*', 'to come with --subject-cmd', 'no --subject-cmd')
  const scenario = await loadScenario(positionals[0]!)
  let definition = scenario.definition
  if (subjectCmd !== undefined) {
    const [command, ...args] = splitCommand(subjectCmd)
    const subject: ExternalSubject = { command: command!, args, ready: readyOf(values), stop: 'SIGTERM' }
    try {
      definition = defineScenario({ ...definition, subject })
    } catch (error) {
      if (error instanceof TypeError) throw usageError('--subject-cmd', 'a valid subject', error.message)
      throw error
    }
  }
  const { run, paths } = await runAndReport(definition, { scale: values.scale, reportDir: values.out, during: scenario.during })
  console.log(`scenario ${definition.name}: ${run.verdict.pass ? 'PASS' : 'FAIL'} (report ${paths.markdown})`)
  return run.verdict.pass ? 0 : 1
}
