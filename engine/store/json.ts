/**
 * JSON with bigint support, so module state (block numbers, amounts) survives the store and a
 * worker boundary unchanged. A bigint is written as `{"$bigint":"123"}`.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
}

export function decodeValue<T = unknown>(text: string): T {
  // A reviver makes JSON.parse call back for every value: only pay for it when a bigint is there.
  return (text.includes('"$bigint"') ? JSON.parse(text, reviveBigint) : JSON.parse(text)) as T
}

function reviveBigint(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string' && !Array.isArray(v) && Object.keys(v).length === 1)
    return BigInt((v as { $bigint: string }).$bigint)
  return v
}
