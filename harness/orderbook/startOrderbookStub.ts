import type { Devnet } from '../devnet/startDevnet.ts'
import { createOrderbookStub, type CreateOrderbookStubParameters } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { followEthFlow, type EthFlowFollower, type FollowEthFlowParameters } from './followEthFlow.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'
import { createChainReader, type ChainReader } from './createChainReader.ts'

export type StartOrderbookStubParameters = Omit<CreateOrderbookStubParameters, 'chain'> & {
  /**
   * Follow this devnet's EthFlow OrderPlacement events, as the real orderbook indexes them, and
   * (unless `chain` says otherwise) read it for the chain checks, at its own RPC URL: a fault proxy
   * put in front of the engine must not fail the stub's checks.
   */
  devnet?: Pick<Devnet, 'rpcUrl' | 'addresses'>
  /** The node the chain checks read; default the devnet's. `null`: none (the chain checks are then `unchecked`). */
  chain?: ChainReader | string | null
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
 * reaches it alike) and, given a devnet, indexing its EthFlow orders and running the chain checks
 * (signatures, validTo, funds) against it, strict unless `knobs.checks` turns some off.
 *
 * @example
 * const net = await startDevnet()
 * const ob = await startOrderbookStub({ devnet: net })
 * // engine config: orderbook_url = ob.baseUrl
 * await ob.stop(); await net.stop()
 */
export async function startOrderbookStub({ devnet, ethFlow, port = 0, chain, ...stubParameters }: StartOrderbookStubParameters = {}): Promise<StartedOrderbookStub> {
  const reader =
    chain !== undefined
      ? (chain ?? undefined)
      : devnet
        ? createChainReader({ rpcUrl: devnet.rpcUrl, settlement: devnet.addresses.gpv2Settlement, vaultRelayer: devnet.addresses.gpv2VaultRelayer, multicall3: devnet.addresses.multicall3 })
        : undefined
  const stub = createOrderbookStub({ ...stubParameters, ...(reader !== undefined ? { chain: reader } : {}) })
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
