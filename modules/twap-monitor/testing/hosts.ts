// MockHosts of twap-monitor for test files (uses vitest's afterEach: tests only, not benches).
import { afterEach } from 'vitest'
import { createMockHost, type MockHost } from '../../sdk/index.ts'
import { twapMonitorConfig } from '../config.ts'
import twapMonitor from '../index.ts'

/** twap-monitor's config as the engine parses `{}`: every default. */
export const config = twapMonitorConfig.parse({})

/** getTradeableOrderWithSignature's selector: what the module's poll multicall calls. */
export const POLL = { selector: '0x26e0a196' } as const

/**
 * A MockHost factory for one test file: twap-monitor's by default, each host disposed after each test.
 *
 * @example
 * const host = mockHostsForEachTest()
 * const mock = host({ storeBackend })
 */
export function mockHostsForEachTest(): (options?: Partial<Parameters<typeof createMockHost>[0]>) => MockHost {
  const made: MockHost[] = []
  afterEach(() => {
    for (const mock of made.splice(0)) mock.dispose()
  })
  return (options = {}) => {
    const mock = createMockHost({ module: twapMonitor, ...options })
    made.push(mock)
    return mock
  }
}
