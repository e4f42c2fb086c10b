import { describe, expect, test } from 'vitest'
import { createRequestSizeLimit } from './createRequestSizeLimit.ts'
import { isTooLargeAnswer } from './isTooLargeAnswer.ts'

const big = 3_000_000
describe('isTooLargeAnswer', () => {
  test.each([
    ['HTTP 413 (nginx, Kestrel, any proxy)', { status: 413, bytes: 100 }, true],
    ['Anvil 1.7.1: HTTP 200, id null, -32600 Invalid request, for a body over 2 MiB', { status: 200, bodyError: { code: -32600, message: 'Invalid request' }, bytes: big }, true],
    ['geth: content length too large', { status: 500, bodyError: 'content length too large (6000000>5242880)', bytes: big }, true],
    ['a provider: request body exceeds the maximum size', { status: 200, bodyError: { code: -32000, message: 'Request body exceeds the maximum size' }, bytes: big }, true],
    ['a provider: payload too big', { status: 400, bodyError: 'payload too big', bytes: big }, true],
    ['geth: batch too large', { status: 200, bodyError: { code: -32600, message: 'batch too large' }, bytes: 1_000 }, true],
    ['a small body answered -32600: a real invalid request', { status: 200, bodyError: { code: -32600, message: 'Invalid request' }, bytes: 1_000 }, false],
    ['an execution error that says "exceeds" about gas', { status: 200, bodyError: { code: -32000, message: 'gas required exceeds allowance (30000000)' }, bytes: big }, false],
    ['a server error', { status: 500, bodyError: 'internal error', bytes: big }, false],
    ['no error at all', { status: 200, bytes: big }, false],
  ] as const)('behavior: %s -> %s', (_, answer, expected) => {
    expect(isTooLargeAnswer(answer)).toBe(expected)
  })
})

describe('createRequestSizeLimit', () => {
  test('behavior: starts at max_request_bytes, halves below each refused size, never grows, never below 64 KiB', () => {
    const changes: number[] = []
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000, onShrink: ({ to }) => changes.push(to) })
    expect(limit.bytes).toBe(1_000_000)
    expect(limit.shrink(3_000_000)).toBe(1_000_000) // a refusal of a body above the limit teaches nothing new
    expect(limit.shrink(900_000)).toBe(450_000)
    expect(limit.shrink(10_000)).toBe(65_536)
    expect(changes).toEqual([450_000, 65_536])
  })
})
