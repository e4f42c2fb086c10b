// CLI: `npx tsx harness/report/publish.ts <report.md> [--docs-dir DIR]`
// (`npm run reports:publish -- <report.md>`): copies a report into docs/operations/load-reports
// and updates its index.md. Exit 0 on success, 2 on bad usage or a missing report.
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { ShepherdError } from '../../engine/errors/base.ts'
import { publishReport } from './publishReport.ts'

const usage = 'usage: tsx harness/report/publish.ts <report.md> [--docs-dir docs/operations/load-reports]'

/**
 * Runs the publish command; resolves to the exit code.
 *
 * @example
 * process.exitCode = await publishCommand(['reports/saturation-2026-11-23.md'])
 */
export async function publishCommand(argv: string[], print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { 'docs-dir': { type: 'string' } } })
  } catch (error) {
    printError(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    return 2
  }
  if (parsed.positionals.length !== 1) {
    printError(`expected exactly one report path, got ${parsed.positionals.length}\n${usage}`)
    return 2
  }
  try {
    const docsDir = parsed.values['docs-dir']
    const { copied, index } = publishReport(parsed.positionals[0]!, docsDir ? { docsDir } : {})
    for (const file of copied) print(`published ${file}`)
    print(`updated ${index}`)
    return 0
  } catch (error) {
    if (error instanceof ShepherdError) {
      printError(error.message)
      return 2
    }
    throw error
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await publishCommand(process.argv.slice(2))
}
