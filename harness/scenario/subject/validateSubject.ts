import type { ScenarioSubject } from './subjectTypes.ts'

/** Error for a bad `subject`: names the scenario, the key, what was expected and what was found. */
const bad = (scenario: string, key: string, expected: string, found: unknown) =>
  new TypeError(`Scenario "${scenario}": subject.${key} must be ${expected}, found ${found === undefined ? 'nothing' : JSON.stringify(found instanceof RegExp ? String(found) : found)}`)

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks a scenario's `subject` (data from a user's file: read as unknown). Throws a TypeError that
 * names the scenario, the key, what was expected and what was found.
 *
 * @example
 * validateSubject('baseline', { command: 'node', args: ['bot.mjs'], ready: { logLine: 'ready' } })
 */
export function validateSubject(scenario: string, subject: unknown): asserts subject is ScenarioSubject | undefined {
  if (subject === undefined) return
  if (!isRecord(subject)) throw bad(scenario, '', "{ kind: 'engine' } or { command, args?, env?, cwd?, ready, stop? }", subject)
  if (subject.kind === 'engine') return
  if (subject.kind !== undefined && subject.kind !== 'external') throw bad(scenario, 'kind', '"engine" or "external"', subject.kind)
  if (typeof subject.command !== 'string' || subject.command.trim() === '') throw bad(scenario, 'command', 'a non-empty string (an executable, run without a shell)', subject.command)
  if (subject.args !== undefined && !(Array.isArray(subject.args) && subject.args.every((a) => typeof a === 'string'))) throw bad(scenario, 'args', 'an array of strings', subject.args)
  if (subject.env !== undefined && !(isRecord(subject.env) && Object.values(subject.env).every((v) => typeof v === 'string'))) throw bad(scenario, 'env', 'an object of string values', subject.env)
  if (subject.cwd !== undefined && (typeof subject.cwd !== 'string' || subject.cwd === '')) throw bad(scenario, 'cwd', 'a folder path', subject.cwd)
  if (subject.stop !== undefined && subject.stop !== 'SIGTERM' && subject.stop !== 'SIGINT') throw bad(scenario, 'stop', '"SIGTERM" or "SIGINT"', subject.stop)
  for (const key of ['readyTimeoutMs', 'stopTimeoutMs'] as const) {
    const value = subject[key]
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 600_000)) throw bad(scenario, key, 'a number of milliseconds in (0, 600000]', value)
  }
  const ready = subject.ready
  const readyShape = '{ url: "http://..." } or { logLine: "text" | /regex/ } or { afterMs: number }'
  if (!isRecord(ready)) throw bad(scenario, 'ready', readyShape, ready)
  const keys = Object.keys(ready)
  if (keys.length !== 1) throw bad(scenario, 'ready', `exactly one of ${readyShape}`, ready)
  if ('url' in ready) {
    if (typeof ready.url !== 'string' || !/^https?:\/\//.test(ready.url)) throw bad(scenario, 'ready.url', 'an http(s):// URL', ready.url)
  } else if ('logLine' in ready) {
    if (!(ready.logLine instanceof RegExp) && !(typeof ready.logLine === 'string' && ready.logLine !== '')) throw bad(scenario, 'ready.logLine', 'a non-empty string or a RegExp', ready.logLine)
  } else if ('afterMs' in ready) {
    if (!(typeof ready.afterMs === 'number' && Number.isFinite(ready.afterMs) && ready.afterMs >= 0 && ready.afterMs <= 600_000)) throw bad(scenario, 'ready.afterMs', 'a number of milliseconds in [0, 600000]', ready.afterMs)
  } else throw bad(scenario, 'ready', readyShape, ready)
}
