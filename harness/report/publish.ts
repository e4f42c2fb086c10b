// CLI: `npx tsx harness/report/publish.ts <report.md> [--docs-dir DIR] [--allow-unclean "<why>"]`
// (`npm run reports:publish -- <report.md>`): copies a report into docs/operations/load-reports
// and updates its index.md. Refuses a report made from a dirty tree or from a commit outside the
// current history unless --allow-unclean says why (stamped in the index). Exit 0 on success, 2 on
// bad usage, a missing report or a refused one.
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { publishReport } from './publishReport.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

const usage = 'usage: tsx harness/report/publish.ts <report.md> [--docs-dir docs/operations/load-reports] [--allow-unclean "<why this report may be published anyway>"]'

/**
 * Runs the publish command; resolves to the exit code.
 *
 * @example
 * process.exitCode = await publishCommand(['reports/saturation-2026-11-23.md'])
 */
export async function publishCommand(argv: string[], print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { 'docs-dir': { type: 'string' }, 'allow-unclean': { type: 'string' } } })
  } catch (error) {
    printError(`${errorMessage(error)}\n${usage}`)
    return 2
  }
  if (parsed.positionals.length !== 1) {
    printError(`expected exactly one report path, got ${parsed.positionals.length}\n${usage}`)
    return 2
  }
  try {
    const docsDir = parsed.values['docs-dir']
    const allowUnclean = parsed.values['allow-unclean']
    if (allowUnclean !== undefined && !allowUnclean.trim()) {
      printError(`--allow-unclean needs the reason, which the index will show\n${usage}`)
      return 2
    }
    const { copied, index, unclean } = publishReport(parsed.positionals[0]!, { ...(docsDir ? { docsDir } : {}), allowUnclean })
    for (const file of copied) print(`published ${file}`)
    if (unclean.length) printError(`warning: published a report with an unclean source (${unclean.join(', ')}), because: ${allowUnclean}; the index says so`)
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
