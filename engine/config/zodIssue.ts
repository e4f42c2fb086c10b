import type { z } from 'zod'
import { ConfigError } from '../errors/config.ts'

/** Renders a found value briefly, for an error message. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)'
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected
    case 'unrecognized_keys':
      return 'only known keys'
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small':
      return `${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`
    case 'too_big':
      return `${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`
    case 'invalid_key':
      return issue.issues[0]?.message ?? 'a valid key'
    default:
      return issue.message.replace(/^Invalid input: /, '')
  }
}

/**
 * Turns the first zod issue into a ConfigError naming the file, the key, what was expected and
 * what was found; the remaining issues are listed as details so one run shows every problem.
 * `note(key)` may add where a found value came from (e.g. `from ${PORT}`).
 */
export function configErrorFromZod(error: z.ZodError, input: unknown, file: string, keyPrefix: string[] = [], note?: (key: string) => string | undefined): ConfigError {
  const [first, ...rest] = error.issues
  if (!first) return new ConfigError('Invalid configuration', { file })
  const key = (issue: z.core.$ZodIssue) => [...keyPrefix, ...issue.path.map(String)].join('.') || '(top level)'
  if (first.code === 'unrecognized_keys') {
    const where = key(first)
    return new ConfigError(`Unknown key ${first.keys.map((k) => `"${k}"`).join(', ')} in ${where === '(top level)' ? 'the top level' : `[${where}]`}`, {
      file,
      key: [...keyPrefix, ...first.path.map(String), first.keys[0]].join('.'),
      expected: 'only known keys',
      found: first.keys.join(', '),
      hint: rest.length ? `Also: ${rest.map((i) => `${key(i)}: ${i.message}`).join('; ')}` : 'Check the spelling against the example engine.toml.',
    })
  }
  if (first.code === 'invalid_key') {
    const badKey = String(first.path.at(-1) ?? '')
    return new ConfigError(`Invalid key "${badKey}" in [${[...keyPrefix, ...first.path.slice(0, -1).map(String)].join('.')}]`, {
      file,
      key: key(first),
      expected: expectedOf(first),
      found: JSON.stringify(badKey),
    })
  }
  return new ConfigError(`Invalid value for ${key(first)}: ${first.message.replace(/^Invalid input: /, '')}`, {
    file,
    key: key(first),
    expected: expectedOf(first),
    found: [describeFound(valueAt(input, first.path)), note?.(key(first))].filter(Boolean).join(' '),
    hint: rest.length ? `Also: ${rest.map((i) => `${key(i)}: ${i.message}`).join('; ')}` : undefined,
  })
}
