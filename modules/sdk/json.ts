/**
 * JSON with bigint, as module stores keep values: a bigint is written `{"$bigint":"<decimal>"}`.
 * `assertStorable` rejects what would not come back the same (functions, Maps, Dates, class
 * instances, NaN, cycles...), so a test against MockHost catches a value the engine would mangle.
 */

/** Why a value cannot be stored: the path to the offending part and what it is. */
export class NotStorableError extends TypeError {
  override name = 'NotStorableError'
  constructor(readonly path: string, readonly found: string) {
    super(`Value at ${path} is not storable as JSON-with-bigint: found ${found}. Store plain objects, arrays, strings, finite numbers, booleans, null and bigint.`)
  }
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'an unknown class'}`
  if (typeof value === 'number') return String(value)
  return typeof value
}

/**
 * Throws `NotStorableError` naming the path of the first part of `value` that JSON-with-bigint
 * would not round-trip. `undefined` object properties are allowed (dropped, as JSON does).
 *
 * @example
 * assertStorable({ next: 5n }) // ok
 * assertStorable({ seen: new Set() }) // throws: Value at $.seen ... an instance of Set
 */
export function assertStorable(value: unknown, path = '$', seen = new Set<object>()): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return
    case 'number':
      if (!Number.isFinite(value)) throw new NotStorableError(path, String(value))
      return
    case 'object': {
      if (value === null) return
      if (seen.has(value)) throw new NotStorableError(path, 'a cycle')
      seen.add(value)
      if (Array.isArray(value)) {
        value.forEach((item, index) => {
          if (item === undefined) throw new NotStorableError(`${path}[${index}]`, 'undefined (JSON turns it into null)')
          assertStorable(item, `${path}[${index}]`, seen)
        })
      } else {
        const proto = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null) throw new NotStorableError(path, describe(value))
        for (const [key, item] of Object.entries(value)) if (item !== undefined) assertStorable(item, `${path}.${key}`, seen)
      }
      seen.delete(value)
      return
    }
    default:
      throw new NotStorableError(path, describe(value))
  }
}

/**
 * Serialises a storable value (see `assertStorable`, which it runs first).
 *
 * @example
 * stringifyStored({ at: 12n }) // '{"at":{"$bigint":"12"}}'
 */
export function stringifyStored(value: unknown): string {
  if (value === undefined) throw new NotStorableError('$', 'undefined (use delete to remove a key)')
  assertStorable(value)
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? { $bigint: item.toString(10) } : item))
}

/**
 * Parses what `stringifyStored` wrote, turning `{"$bigint":"..."}` back into bigint.
 *
 * @example
 * parseStored('{"at":{"$bigint":"12"}}') // { at: 12n }
 */
export function parseStored(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const keys = Object.keys(item)
      const big = (item as { $bigint?: unknown }).$bigint
      if (keys.length === 1 && typeof big === 'string' && /^-?\d+$/.test(big)) return BigInt(big)
    }
    return item
  })
}
