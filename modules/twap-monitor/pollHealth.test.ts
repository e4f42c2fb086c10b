import { expect, test } from 'vitest'
import { ChainRequestError, ChainUnreachableError } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { blockAt, createdLog, modelAnswer, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'

const host = mockHostsForEachTest()

test('behavior: a poll multicall that keeps failing is reported every block, degrades the polls check after 3 blocks naming the cause, and clears when a poll answers', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  const cause = new ChainRequestError('RPC Request failed: -32600 Invalid request (body over 2 MiB)', { chainId: 11155111, method: 'eth_call' })
  mock.faults.throwNext('chain.multicall', 4, cause)
  for (let n = 10n; n <= 11n; n++) await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
  expect(mock.errors.map((e) => e.kind)).toEqual(['poll_failed', 'poll_failed'])
  expect(mock.errors[0]?.fields).toMatchObject({ block: 10n, watches: 1, cause: 'RPC Request failed: -32600 Invalid request (body over 2 MiB)' })
  expect(mock.health.checks.size).toBe(0)

  await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(12n) })
  const check = mock.health.checks.get('polls')
  expect(check?.reason).toContain('-32600 Invalid request')
  expect(check?.reason).toMatch(/What to do: /)
  expect(mock.logs.filter((l) => l.level === 'error' && l.message.includes('-32600'))).toHaveLength(1)
  await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(13n) })
  expect(mock.logs.filter((l) => l.level === 'error' && l.message.includes('-32600'))).toHaveLength(1) // said once
  expect(mock.cowApi.submissions).toHaveLength(0)

  // The node answers again: the check clears and the part due all along is posted.
  await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(14n) })
  expect(mock.health.checks.size).toBe(0)
  expect(mock.cowApi.submissions).toHaveLength(1)
  expect(mock.errors.filter((e) => e.kind === 'poll_failed')).toHaveLength(4)
})

test('behavior: a multicall answering the wrong shape counts as a failed poll', async () => {
  const mock = host()
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  mock.faults.inject({ on: 'chain.multicall', fault: { kind: 'garbage', value: [] }, times: 3 })
  for (let n = 10n; n <= 12n; n++) await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
  expect(mock.health.checks.get('polls')?.reason).toContain('the multicall answered 0 results for 1 calls')
})

test('behavior: a poll that fails because the RPC did not answer (ChainUnreachableError) is no module error: Warned, streaked and degraded as any failed poll', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  mock.faults.throwNext('chain.multicall', 3, new ChainUnreachableError('Multicall3 aggregate3 failed', { chainId: 11155111, method: 'eth_call', cause: new Error('WebSocket to ws://127.0.0.1:1 is down') }))
  for (let n = 10n; n <= 12n; n++) await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(n) })
  expect(mock.errors).toEqual([])
  expect(mock.logs.filter((l) => l.level === 'warn' && l.message.startsWith('polling the due watches failed'))).toHaveLength(3)
  expect(mock.health.checks.get('polls')?.reason).toContain('Multicall3 aggregate3 failed')
  // The RPC answers again: the part due all along is posted.
  await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(13n) })
  expect(mock.health.checks.size).toBe(0)
  expect(mock.cowApi.submissions).toHaveLength(1)
})
