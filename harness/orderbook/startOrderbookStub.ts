import type { Devnet } from '../devnet/startDevnet.ts'
import { createOrderbookStub, type CreateOrderbookStubParameters } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { followEthFlow, type EthFlowFollower, type FollowEthFlowParameters } from './followEthFlow.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'

export type StartOrderbookStubParameters = CreateOrderbookStubParameters & {
  /** Follow this devnet's EthFlow OrderPlacement events, as the real orderbook indexes them. */
  devnet?: Pick<Devnet, 'rpcUrl' | 'addresses'>
  ethFlow?: Omit<FollowEthFlowParameters, 'rpcUrl'>
  /** Port of the HTTP server on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
}

export type StartedOrderbookStub = OrderbookStub & {
  /** `http://127.0.0.1:<port>`: the `orderbook_url` for an engine. */
  baseUrl: string
  ethFlowFollower: EthFlowFollower | undefined
  /** Stops the EthFlow follower and the HTTP server. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * The orderbook stub, served over HTTP on 127.0.0.1 (so an engine in this process or another one
 * reaches it alike) and, given a devnet, indexing its EthFlow orders.
 *
 * @example
 * const net = await startDevnet()
 * const ob = await startOrderbookStub({ devnet: net })
 * // engine config: orderbook_url = ob.baseUrl
 * await ob.stop(); await net.stop()
 */
export async function startOrderbookStub({ devnet, ethFlow, port = 0, ...stubParameters }: StartOrderbookStubParameters = {}): Promise<StartedOrderbookStub> {
  const stub = createOrderbookStub(stubParameters)
  const server = await serveOrderbookStub(stub, { port })
  const ethFlowFollower = devnet
    ? followEthFlow(stub, { ethFlowAddress: devnet.addresses.ethFlow, pollIntervalMs: 100, ...ethFlow, rpcUrl: devnet.rpcUrl })
    : undefined
  let stopping: Promise<void> | undefined
  return Object.assign(stub, {
    baseUrl: server.baseUrl,
    ethFlowFollower,
    stop() {
      stopping ??= (async () => {
        await ethFlowFollower?.stop()
        await server.close()
      })()
      return stopping
    },
  })
}
