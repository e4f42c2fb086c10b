import { http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import type { OrderbookStub } from './orderbookStubTypes.ts'

export type StartInProcessStubParameters = {
  /** The fake origin the stub answers on. Default `http://orderbook.shepherd.test`. */
  baseUrl?: string
  /**
   * What to do with requests to other hosts (127.0.0.1 always passes through, so RPC to Anvil and
   * local servers work). Default 'error': a test can never reach a real orderbook by mistake.
   */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass'
}

export type InProcessStub = { baseUrl: string; close(): void }

/**
 * Serves the stub inside this process by intercepting fetch/http with MSW's `setupServer`.
 * Only one MSW server can be active per process: close it before starting another.
 *
 * @example
 * const { baseUrl, close } = startInProcessStub(stub)
 * await fetch(`${baseUrl}/api/v1/version`)
 * close()
 */
export function startInProcessStub(stub: OrderbookStub, parameters: StartInProcessStubParameters = {}): InProcessStub {
  const baseUrl = (parameters.baseUrl ?? 'http://orderbook.shepherd.test').replace(/\/+$/, '')
  const server = setupServer(
    ...stub.handlers(baseUrl),
    // After the stub's own handlers: anything else on 127.0.0.1 (Anvil, local servers) goes out for real.
    http.all(/^http:\/\/127\.0\.0\.1(:\d+)?\//, () => passthrough()),
  )
  server.listen({ onUnhandledRequest: parameters.onUnhandledRequest ?? 'error' })
  return { baseUrl, close: () => server.close() }
}
