import { afterEach, describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { ChainCallError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { ChainMethodNotAllowedError } from '../errors/host.ts'
import { createHealthBoard } from '../health/createHealthBoard.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { createWorkerRunner } from '../runner/createWorkerRunner.ts'
import { createHost } from './createHost.ts'
import { createLogger } from './createLogger.ts'

const chainId = 11155111

async function value(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) {
  const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? []
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function setup(allowMethods?: readonly string[]) {
  const mock = createMockHost({ module: 'probe' })
  const metrics = createMetrics()
  const health = createHealthBoard({ now: () => 42 })
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  const host = createHost({ module: 'probe', chain: mock.host.chain, cowApi: mock.host.cowApi, store: mock.host.store, logger, metrics, health, allowMethods, allowMethodsKey: 'modules.3.allow_methods' })
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

  test('behavior: host.chain.request sends read methods; any other method is refused with a typed error naming the method, the module and the key', async () => {
    const { host, mock } = setup()
    mock.chain.onRequest('eth_getBalance', '0x1')
    expect(await host.chain.request(chainId, 'eth_getBalance', ['0x00000000000000000000000000000000000000aa', 'latest'])).toBe('0x1')
    for (const method of ['eth_sendTransaction', 'eth_sendRawTransaction', 'anvil_setBalance', 'evm_mine', 'debug_traceTransaction', 'eth_newFilter', 'personal_sign', 'eth_sign']) {
      const error = await host.chain.request(chainId, method, []).then(() => undefined, (e: unknown) => e)
      expect(error, method).toBeInstanceOf(ChainMethodNotAllowedError)
      expect((error as ChainMethodNotAllowedError).shortMessage).toBe(`Module "probe" may not send ${method} through host.chain.request`)
      expect((error as ChainMethodNotAllowedError).message).toContain('config key: modules.3.allow_methods')
      expect((error as ChainMethodNotAllowedError).hint).toContain(`add "${method}" to modules.3.allow_methods`)
      expect((error as ChainMethodNotAllowedError).action).toBe('stop')
    }
    // Nothing refused reached the chain.
    expect(mock.chain.requests.map((r) => r.method)).toEqual(['eth_getBalance'])
    await expect(host.chain.request(chainId, 42 as unknown as string, [])).rejects.toBeInstanceOf(ChainMethodNotAllowedError)
  })

  test('behavior: allow_methods adds exact methods and namespaces (anvil_*)', async () => {
    const { host, mock } = setup(['debug_traceCall', 'anvil_*'])
    mock.chain.onRequest('debug_traceCall', { ok: 1 })
    mock.chain.onRequest('anvil_mine', null)
    expect(await host.chain.request(chainId, 'debug_traceCall', [])).toEqual({ ok: 1 })
    expect(await host.chain.request(chainId, 'anvil_mine', [])).toBeNull()
    await expect(host.chain.request(chainId, 'debug_traceTransaction', [])).rejects.toBeInstanceOf(ChainMethodNotAllowedError)
    await expect(host.chain.request(chainId, 'eth_sendTransaction', [])).rejects.toBeInstanceOf(ChainMethodNotAllowedError)
  })

  test('behavior: a module in a worker is held to the same allowlist (the worker proxy sends through this Host)', async () => {
    const url = new URL('../testing/fixtures/requestsChainMethod.ts', import.meta.url).href
    const run = async (method: string, allowMethods?: readonly string[]) => {
      const { host, mock } = setup(allowMethods)
      mock.chain.onRequest('eth_sendTransaction', '0xabc')
      const runner = createWorkerRunner({
        module: { name: 'probe', url, config: { method } },
        host,
        memoryMb: 64,
        deadlineMs: 5_000,
        log: host.log,
      })
      cleanups.push(() => runner.stop(), () => mock.dispose())
      await runner.init()
      await runner.run({ kind: 'block', block: { chainId, number: 1n, hash: `0x${'1'.padStart(64, '0')}`, parentHash: `0x${'0'.padStart(64, '0')}`, timestamp: 1n } })
      return { answer: await mock.store.get('answer'), requests: mock.chain.requests.map((r) => r.method) }
    }
    const refused = await run('eth_sendTransaction')
    expect(refused.answer).toMatchObject({ ok: false, shortMessage: 'Module "probe" may not send eth_sendTransaction through host.chain.request', action: 'stop' })
    expect(refused.requests).toEqual([])
    const allowed = await run('eth_sendTransaction', ['eth_sendTransaction'])
    expect(allowed.answer).toEqual({ ok: true, value: '0xabc' })
  })
})
