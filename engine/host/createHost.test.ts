import { describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { ChainCallError, ChainRequestError } from '../errors/chain.ts'
import { CowApiError } from '../errors/cowApi.ts'
import { createHealthBoard } from '../health/createHealthBoard.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { createHost } from './createHost.ts'
import { createLogger } from './createLogger.ts'

const chainId = 11155111

async function value(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) {
  const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? []
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value
}

function setup() {
  const mock = createMockHost({ module: 'probe' })
  const metrics = createMetrics()
  const health = createHealthBoard({ now: () => 42 })
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  const host = createHost({ module: 'probe', chain: mock.host.chain, cowApi: mock.host.cowApi, store: mock.host.store, logger, metrics, health })
  return { mock, metrics, health, host, lines }
}

describe('createHost', () => {
  test('behavior: host.metrics.error counts the handled error by kind and logs it; it is not a trap', async () => {
    const { host, metrics, lines } = setup()
    host.metrics.error('cow_api_retry', 'post failed, retrying', { uid: '0x01' })
    host.metrics.error('cow_api_retry', 'post failed, retrying')
    expect(await value(metrics, 'shepherd_module_errors_total', { module: 'probe', error_kind: 'cow_api_retry' })).toBe(2)
    expect(await value(metrics, 'shepherd_module_traps_total', { module: 'probe' })).toBeUndefined()
    expect(lines.filter((l) => l.includes('post failed, retrying'))).toHaveLength(2)
  })

  test('behavior: host.health reports reach the board and the gauge; a repeated report logs once; ok clears both', async () => {
    const { host, metrics, health, lines } = setup()
    host.health.degraded('submissions', 'orderbook answered 404 to 20 posts')
    host.health.degraded('submissions', 'orderbook answered 404 to 20 posts')
    expect(health.problems()).toEqual([{ source: 'module:probe', check: 'submissions', reason: 'orderbook answered 404 to 20 posts', since: 42 }])
    expect(await value(metrics, 'shepherd_module_degraded', { module: 'probe', check: 'submissions' })).toBe(1)
    expect(lines.filter((l) => l.includes('degraded'))).toHaveLength(1)
    host.health.ok('submissions')
    expect(health.problems()).toEqual([])
    expect(await value(metrics, 'shepherd_module_degraded', { module: 'probe', check: 'submissions' })).toBe(0)
  })

  test('behavior: Host calls that reject to the module are counted per capability; a revert is an answer, not a failure', async () => {
    const { host, mock, metrics } = setup()
    mock.chain.onCall({ data: '0xdead' }, { revert: '0x08c379a0' })
    await expect(host.chain.call(chainId, { to: '0x00000000000000000000000000000000000000aa', data: '0xdead' })).rejects.toBeInstanceOf(ChainCallError)
    expect(await value(metrics, 'shepherd_module_host_failures_total', { module: 'probe', capability: 'chain' })).toBeUndefined()
    mock.faults.throwNext('chain.multicall', 1, new ChainRequestError('RPC eth_call failed', { chainId, method: 'eth_call' }))
    await expect(host.chain.multicall(chainId, [{ target: '0x00000000000000000000000000000000000000aa', callData: '0x01' }])).rejects.toBeInstanceOf(ChainRequestError)
    mock.cowApi.onSubmit(new CowApiError({ status: 500, errorType: 'InternalServerError', description: 'boom' }))
    await expect(host.cowApi.submitOrder(chainId, {} as never)).rejects.toBeInstanceOf(CowApiError)
    expect(await value(metrics, 'shepherd_module_host_failures_total', { module: 'probe', capability: 'chain' })).toBe(1)
    expect(await value(metrics, 'shepherd_module_host_failures_total', { module: 'probe', capability: 'cow_api' })).toBe(1)
  })
})
