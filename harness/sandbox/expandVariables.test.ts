import { describe, expect, test } from 'vitest'
import { expandDeep, expandVariables, unresolvedReferences } from './expandVariables.ts'

describe('expandVariables', () => {
  test('behavior: ${VAR} and ${VAR:-default} follow the shell (an empty value takes the default)', () => {
    const env = { A: 'a', EMPTY: '' }
    expect(expandVariables('${A}-${A:-x}-${B:-b}-${EMPTY:-e}-${B:-}', { env })).toBe('a-a-b-e-')
  })

  test('behavior: a variable with no value and no default is reported, and expands to nothing', () => {
    const missing: string[] = []
    expect(expandVariables('x${NOPE}y', { env: {}, onMissing: (n) => missing.push(n) })).toBe('xy')
    expect(missing).toEqual(['NOPE'])
  })

  test('behavior: service references resolve once known, and stay as written until then; ${PORT} waits for the process', () => {
    const text = 'http://127.0.0.1:${services.my-bot.port}/h?o=${services.orderbook.url}&p=${PORT}'
    expect(expandVariables(text, { env: {} })).toBe(text)
    expect(unresolvedReferences(text)).toEqual(['services.my-bot.port', 'services.orderbook.url'])
    expect(expandVariables(text, { env: { PORT: '7' }, services: { 'my-bot': { port: 4000 }, orderbook: { url: 'http://o' } } })).toBe('http://127.0.0.1:4000/h?o=http://o&p=7')
  })

  test('behavior: expandDeep walks objects and arrays and leaves keys and non-strings alone', () => {
    expect(expandDeep({ '${A}': ['${A:-1}', 2, { b: '${A}' }], n: null }, { env: { A: 'z' } })).toEqual({ '${A}': ['z', 2, { b: 'z' }], n: null })
  })
})
