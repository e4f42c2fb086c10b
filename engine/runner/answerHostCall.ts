import type { ChainHost, CowApiHost, Host, StoreHost } from '../../modules/sdk/module/types.ts'
import type { HostCallPath } from './workerProtocol.ts'

type Args<fn extends (...args: never[]) => unknown> = Parameters<fn>

// One entry per path: a worker can reach exactly these methods and nothing else on the Host.
const table: Record<HostCallPath, (host: Host, args: unknown[]) => Promise<unknown>> = {
  'chain.request': (host, args) => host.chain.request(...(args as Args<ChainHost['request']>)),
  'chain.call': (host, args) => host.chain.call(...(args as Args<ChainHost['call']>)),
  'chain.multicall': (host, args) => host.chain.multicall(...(args as Args<ChainHost['multicall']>)),
  'chain.getBalance': (host, args) => host.chain.getBalance(...(args as Args<ChainHost['getBalance']>)),
  'cowApi.submitOrder': (host, args) => host.cowApi.submitOrder(...(args as Args<CowApiHost['submitOrder']>)),
  'cowApi.getOrder': (host, args) => host.cowApi.getOrder(...(args as Args<CowApiHost['getOrder']>)),
  'cowApi.getAppData': (host, args) => host.cowApi.getAppData(...(args as Args<CowApiHost['getAppData']>)),
  'cowApi.request': (host, args) => host.cowApi.request(...(args as Args<CowApiHost['request']>)),
  'store.get': (host, args) => host.store.get(...(args as Args<StoreHost['get']>)),
  'store.set': (host, args) => host.store.set(...(args as Args<StoreHost['set']>)),
  'store.delete': (host, args) => host.store.delete(...(args as Args<StoreHost['delete']>)),
  'store.list': (host, args) => host.store.list(...(args as Args<StoreHost['list']>)),
}

/**
 * Runs one Host call a worker asked for, on the real Host. The arguments are passed as they came:
 * the Host implementation validates them as it does for an in-process module.
 *
 * @example
 * const value = await answerHostCall(host, 'store.get', ['watch:1'])
 */
export async function answerHostCall(host: Host, path: HostCallPath, args: unknown[]): Promise<unknown> {
  return table[path](host, Array.isArray(args) ? args : [])
}
