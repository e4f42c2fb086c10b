import type { z } from 'zod'
import { ConfigError } from '../errors/config.ts'
import type { EnvReference } from './substituteEnv.ts'
import { configErrorFromZod } from './zodIssue.ts'

type Wanted = 'number' | 'boolean'

/** The type an issue says the schema wanted at its key, when it is one an env string can become. */
function wantedType(issue: z.core.$ZodIssue): Wanted | undefined {
  const typed = (i: z.core.$ZodIssue): Wanted | undefined =>
    i.code === 'invalid_type' && (i.expected === 'number' || i.expected === 'boolean') ? (i.expected as Wanted) : undefined
  if (issue.code !== 'invalid_union') return typed(issue)
  // A union (e.g. start_block: a number or "latest") says so in one of its branches.
  for (const branch of issue.errors) for (const i of branch) if (i.path.length === 0 && typed(i)) return typed(i)
  return undefined
}

const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const convert = (text: string, wanted: Wanted) =>
  wanted === 'number' ? (decimal.test(text) ? Number(text) : undefined) : text === 'true' ? true : text === 'false' ? false : undefined

function setAt(root: unknown, path: readonly PropertyKey[], value: unknown) {
  let node = root as Record<PropertyKey, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>
  node[path.at(-1)!] = value
}

export type ParseWithEnvTypesParameters<schema extends z.ZodType> = {
  schema: schema
  /** The document after `substituteEnv` (changed in place where a value is converted). */
  input: unknown
  whole: ReadonlyMap<string, EnvReference>
  file: string
}

/**
 * Validates a substituted config. Where the schema wants a number (or a boolean) and the value is
 * exactly one `${...}` reference, the string becomes that type: `poll_interval_ms = "${POLL}"`
 * with POLL=250 is the number 250. Only such values are converted: a literal `"250"` in the file is
 * still a type error. A value that does not convert is a ConfigError naming the file, the key, the
 * type wanted and what the variable held; other errors name the variable beside what was found.
 *
 * @example
 * const { value, whole } = substituteEnv(document, process.env, file)
 * const config = parseWithEnvTypes({ schema: engineConfigSchema, input: value, whole, file })
 */
export function parseWithEnvTypes<schema extends z.ZodType>({ schema, input, whole, file }: ParseWithEnvTypesParameters<schema>): z.output<schema> {
  // Each round converts every convertible issue it sees; a union may show its issue only after a sibling's conversion.
  for (let round = 0; ; round++) {
    const result = schema.safeParse(input)
    if (result.success) return result.data
    let converted = 0
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.')
      const reference = whole.get(key)
      const wanted = wantedType(issue)
      if (!reference || !wanted) continue
      let node: unknown = input
      for (const k of issue.path) node = (node as Record<PropertyKey, unknown>)[k]
      if (typeof node !== 'string') continue
      const value = convert(node, wanted)
      if (value === undefined)
        throw new ConfigError(`Environment variable ${reference.variable} is not a ${wanted}`, {
          file,
          key,
          expected: wanted === 'number' ? 'a number (e.g. 250 or 1.5), since the key is numeric' : 'true or false, since the key is a boolean',
          found: `${JSON.stringify(node)} from ${reference.text}`,
        })
      setAt(input, issue.path, value)
      converted++
    }
    if (converted === 0 || round >= 3)
      throw configErrorFromZod(result.error, input, file, [], (k) => {
        const reference = whole.get(k)
        return reference && `from ${reference.text}`
      })
  }
}
