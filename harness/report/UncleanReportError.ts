import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/** Why a report's source cannot be trusted for publishing. */
export type UncleanReason = 'dirty tree' | 'not in history' | 'unknown commit'

/**
 * A report was made from a source nobody can check out again: a dirty working tree, a commit that
 * is not in the current history, or no known commit. `reports:publish` refuses it unless told why
 * with `--allow-unclean`.
 *
 * @example
 * throw new UncleanReportError('reports/baseline-2026-11-24.md', [{ reason: 'dirty tree', detail: 'changed: package-lock.json' }])
 */
export class UncleanReportError extends ShepherdError {
  override name = 'UncleanReportError'
  readonly reasons: readonly UncleanReason[]

  constructor(report: string, problems: ReadonlyArray<{ reason: UncleanReason; detail: string }>) {
    super('Report was not made from a clean commit of this history', {
      details: [`report: ${report}`, ...problems.map((p) => `${p.reason}: ${p.detail}`)],
      hint: 'Commit your changes, check out a commit of this branch and run the scenario again. For an exceptional case, pass --allow-unclean "<why>": the reason is stamped in the published index.',
    })
    this.reasons = problems.map((p) => p.reason)
  }
}
