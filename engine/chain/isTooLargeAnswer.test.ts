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
  test('behavior: starts at max_request_bytes, halves below each refused size, never below 64 KiB', () => {
    const changes: number[] = []
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000, onShrink: ({ to }) => changes.push(to) })
    expect(limit.bytes).toBe(1_000_000)
    expect(limit.shrink(3_000_000)).toBe(1_000_000) // a refusal of a body above the limit teaches nothing new
    expect(limit.shrink(900_000)).toBe(450_000)
    expect(limit.shrink(10_000)).toBe(65_536)
    expect(changes).toEqual([450_000, 65_536])
  })

  test('behavior: lowered on a suspicion (a connection broken twice), it grows back to max_request_bytes after runs of answered bodies, logged once per change', () => {
    const grows: Array<[number, number]> = []
    const limit = createRequestSizeLimit({ maxBytes: 1_572_864, growAfter: 10, onGrow: ({ from, to }) => grows.push([from, to]) })
    for (let i = 0; i < 5; i++) limit.shrink(limit.bytes + 1, 'broken') // a bad minute at a proxy: 1.5 MiB down to 64 KiB
    expect(limit.bytes).toBe(65_536)
    // Small bodies prove nothing about the limit: no growth however many.
    for (let i = 0; i < 100; i++) limit.answered(1_000)
    expect(limit.bytes).toBe(65_536)
    for (let round = 0; round < 10 && limit.bytes < 1_572_864; round++) for (let i = 0; i < 10; i++) limit.answered(limit.bytes)
    expect(limit.bytes).toBe(1_572_864)
    expect(grows).toEqual([
      [65_536, 131_072],
      [131_072, 262_144],
      [262_144, 524_288],
      [524_288, 1_048_576],
      [1_048_576, 1_572_864],
    ])
    for (let i = 0; i < 100; i++) limit.answered(1_500_000)
    expect(grows).toHaveLength(5) // at max_request_bytes: nothing more to learn, nothing logged
  })

  test('behavior: lowered by an answer, it grows back only below the refused size and stops probing once near it', () => {
    const limit = createRequestSizeLimit({ maxBytes: 4_000_000, growAfter: 4 })
    const nodeTakes = 2_097_152 // Anvil's 2 MiB
    let refusals = 0
    // A node that takes bodies up to 2 MiB; the client sends bodies as large as the limit allows.
    for (let i = 0; i < 2_000; i++) {
      const body = limit.bytes
      if (body > nodeTakes) {
        refusals++
        limit.shrink(body, 'answer')
      } else limit.answered(body)
    }
    expect(limit.bytes).toBeLessThanOrEqual(nodeTakes)
    expect(limit.bytes).toBeGreaterThan(nodeTakes * 0.75)
    expect(refusals).toBeLessThanOrEqual(4) // bounded: a few probes, not one every few bodies
  })

  test('behavior: a refusal resets the run: growth needs growAfter answered bodies in a row since the last refusal', () => {
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000, growAfter: 3 })
    limit.shrink(400_000, 'broken')
    limit.answered(200_000)
    limit.answered(200_000)
    limit.shrink(400_001, 'broken')
    limit.answered(200_000)
    limit.answered(200_000)
    expect(limit.bytes).toBe(200_000)
    limit.answered(200_000)
    expect(limit.bytes).toBe(400_000)
  })
})
