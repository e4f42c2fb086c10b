import { afterEach, expect, test } from 'vitest'
import { CowApiError } from '../errors/cowApi.ts'
import { classifyApiError } from '../classifyApiError.ts'
import { createMockHost, type MockHost } from '../mockHost.ts'
import { submissionGate } from './submissionGate.ts'

let mock: MockHost
afterEach(() => mock?.dispose())
const refused = new CowApiError({ status: 404, description: 'Not Found', url: 'http://x/api/v1/orders' })

function post(gate: ReturnType<typeof submissionGate>, error?: unknown) {
  const ticket = gate.admit()
  if (!ticket.go) return { ticket, wait: ticket.retryInSeconds }
  return { ticket, wait: gate.settle(ticket, error, error === undefined ? undefined : classifyApiError(error)) }
}

test('behavior: stops after stopAfter refusals in a row, probes at doubling intervals up to 60 s, reopens on a sensible answer', () => {
  mock = createMockHost({ module: 'm', now: 0 })
  const gate = submissionGate(mock.host, { stopAfter: 3, chainId: 1 })
  expect(post(gate, refused).wait).toBe(5)
  expect(post(gate, refused).wait).toBe(5)
  expect(gate.stopped).toBe(false)
  expect(post(gate, refused).wait).toBe(5) // third: stopped, next probe in 5 s
  expect(gate.stopped).toBe(true)
  expect(mock.health.checks.get('submissions')?.reason).toContain('[chains.1] orderbook_url')
  expect(gate.admit()).toEqual({ go: false, retryInSeconds: 5 })
  const intervals: number[] = []
  for (let i = 0; i < 6; i++) {
    mock.clock.advance(60_000)
    const { ticket, wait } = post(gate, refused)
    expect(ticket).toEqual({ go: true, probe: true })
    intervals.push(wait!)
  }
  expect(intervals).toEqual([10, 20, 40, 60, 60, 60])
  // A probe out: the others ask again in a second; its success reopens for everyone.
  mock.clock.advance(60_000)
  const probe = gate.admit()
  expect(probe).toEqual({ go: true, probe: true })
  expect(gate.admit()).toEqual({ go: false, retryInSeconds: 1 })
  gate.settle(probe as { go: true; probe: boolean })
  expect(gate.stopped).toBe(false)
  expect(mock.health.checks.size).toBe(0)
  expect(gate.admit()).toEqual({ go: true, probe: false })
})

test('behavior: a known errorType is a sensible answer (resets the count); a 5xx or transport fault says nothing', () => {
  mock = createMockHost({ module: 'm', now: 0 })
  const gate = submissionGate(mock.host, { stopAfter: 2 })
  post(gate, refused)
  post(gate, new CowApiError({ status: 400, errorType: 'InsufficientBalance' }))
  post(gate, refused)
  expect(gate.stopped).toBe(false)
  post(gate, new CowApiError({ status: 503 }))
  post(gate, new CowApiError({ status: 0 }))
  expect(gate.stopped).toBe(false)
  post(gate, refused)
  expect(gate.stopped).toBe(true)
  // An inconclusive probe keeps the gate stopped and the interval as it was.
  mock.clock.advance(5_000)
  post(gate, new CowApiError({ status: 502 }))
  expect(gate.stopped).toBe(true)
  expect(gate.admit()).toEqual({ go: false, retryInSeconds: 5 })
})

test('behavior: one gate per Host, shared by every caller', () => {
  mock = createMockHost({ module: 'm', now: 0 })
  for (let i = 0; i < 5; i++) post(submissionGate(mock.host), refused)
  expect(submissionGate(mock.host).stopped).toBe(true)
  const other = createMockHost({ module: 'm', now: 0 })
  expect(submissionGate(other.host).stopped).toBe(false)
  other.dispose()
})
