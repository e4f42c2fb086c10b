import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import type { RunMetadata } from './types.ts'

/**
 * The base name of a report's files: `<scenario>-<YYYY-MM-DD>[-<label>]`, each part reduced to
 * lowercase letters, digits and dashes so it is safe in a path and a URL.
 *
 * @example
 * reportFileName({ scenario: 'saturation', date: '2026-11-23T20:00:00Z', label: 'CI run' }) // 'saturation-2026-11-23-ci-run'
 */
export function reportFileName(metadata: Pick<RunMetadata, 'scenario' | 'date' | 'label'>): string {
  const scenario = slug(metadata.scenario)
  if (!scenario) throw new ShepherdError('Report scenario name is empty', { details: [`found: ${JSON.stringify(metadata.scenario)}`], hint: 'Name the scenario, e.g. "saturation".' })
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(metadata.date)?.[1]
  if (!day) throw new ShepherdError('Report date is not ISO 8601', { details: [`found: ${JSON.stringify(metadata.date)}`, 'expected: YYYY-MM-DD...'] })
  const label = metadata.label ? slug(metadata.label) : ''
  return label ? `${scenario}-${day}-${label}` : `${scenario}-${day}`
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
