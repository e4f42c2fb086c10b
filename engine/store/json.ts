/**
 * JSON with bigint support, so module state (block numbers, amounts) survives the store and a
 * worker boundary unchanged. A bigint is written as `{"$bigint":"123"}`.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
}

export function decodeValue<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v)
      if (keys.length === 1 && keys[0] === '$bigint' && typeof (v as { $bigint: unknown }).$bigint === 'string')
        return BigInt((v as { $bigint: string }).$bigint)
    }
    return v
  }) as T
}
