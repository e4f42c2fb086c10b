import { keccak256, stringToBytes, type Hex } from 'viem'
import type { OrderCreation } from '@cowprotocol/cow-sdk'
import type { LoadedModule } from '../../engine/module/loadModules.ts'
import type { BlockRef, Host, ModuleContext, ModuleDefinition } from '../../modules/sdk/module/types.ts'
import { computeStubOrderUid, orderDomain } from '../orderbook/computeStubOrderUid.ts'
import { parseOrderCreation } from '../orderbook/parseOrderCreation.ts'
import { encodeValue } from '../../engine/store/json.ts'
import type { CassetteOutcome } from './cassette.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type Outcome = Omit<CassetteOutcome, 't'>
export type OutcomeSink = (outcome: Outcome) => void

/** Store key prefixes that are outcomes (see ARCHITECTURE.md "Store markers"). */
export const OUTCOME_MARKERS = ['submitted:', 'dropped:', 'observed:'] as const

/** The UID an order would get, for a rejected submission (the orderbook answered none). */
export function orderUidOf(chainId: number, order: OrderCreation): string {
  const parsed = parseOrderCreation(order)
  if (!parsed.ok || !parsed.value.from) return '(unknown uid)'
  const { appData } = parsed.value
  const appDataHash = 'hash' in appData ? appData.hash : (parsed.value.appDataHash ?? keccak256(stringToBytes(appData.document)))
  try {
    return computeStubOrderUid(orderDomain(chainId), parsed.value, appDataHash, parsed.value.from)
  } catch {
    return '(unknown uid)'
  }
}

function failureOf(error: unknown): string {
  const e = error as { errorType?: unknown; status?: unknown; message?: unknown }
  if (typeof e?.errorType === 'string') return e.errorType
  if (typeof e?.status === 'number') return `http_${e.status}`
  return errorMessage(error)
}

/**
 * Wraps a loaded module so that, per event, it sees a host whose clock is the block's timestamp
 * (a replay and its recording then make the same time-based decisions), and everything it does
 * that a backtest judges is reported to `sink`: order submissions and rejections, alerts, outcome
 * store markers and handler throws. The module's code runs unchanged.
 *
 * @example
 * const modules = (await loadModules(config)).map((m) => instrumentModule(m, (o) => outcomes.push(o)))
 */
export function instrumentModule(loaded: LoadedModule, sink: OutcomeSink): LoadedModule {
  const name = loaded.entry.name
  const original = loaded.definition
  let lastBlock: BlockRef | undefined

  function hostFor(host: Host, block: BlockRef | undefined): Host {
    const at = block?.number ?? 0n
    const emit = (o: Omit<Outcome, 'module' | 'block'>) => sink({ module: name, block: at, ...o })
    return {
      ...host,
      clock: { now: () => (block ? Number(block.timestamp) * 1000 : host.clock.now()) },
      cowApi: {
        ...host.cowApi,
        async submitOrder(chainId, order) {
          try {
            const uid = await host.cowApi.submitOrder(chainId, order)
            emit({ kind: 'submitted', key: String(uid).toLowerCase() })
            return uid
          } catch (error) {
            emit({ kind: 'rejected', key: orderUidOf(chainId, order).toLowerCase(), detail: failureOf(error) })
            throw error
          }
        },
        getOrder: (chainId, uid) => host.cowApi.getOrder(chainId, uid),
        getAppData: (chainId, hash: Hex) => host.cowApi.getAppData(chainId, hash),
        request: (chainId, method, path, body) => host.cowApi.request(chainId, method, path, body),
      },
      store: {
        ...host.store,
        get: (key) => host.store.get(key),
        list: (prefix, options) => host.store.list(prefix, options),
        delete: (key) => host.store.delete(key),
        async set(key, value) {
          await host.store.set(key, value)
          if (OUTCOME_MARKERS.some((p) => key.startsWith(p))) emit({ kind: 'marker', key, detail: encodeValue(value) })
        },
      },
      metrics: {
        alert(kind, message, fields) {
          emit({ kind: 'alert', key: kind, detail: message })
          host.metrics.alert(kind, message, fields)
        },
        error: (kind, message, fields) => host.metrics.error(kind, message, fields),
      },
    }
  }

  async function guarded(block: BlockRef | undefined, run: () => Promise<void> | undefined) {
    try {
      await run()
    } catch (error) {
      sink({ module: name, block: block?.number ?? 0n, kind: 'strategy-error', key: 'throw', detail: errorMessage(error) })
      throw error
    }
  }

  const definition: ModuleDefinition<unknown> = {
    ...original,
    init: original.init && ((context: ModuleContext<unknown>) => original.init!({ ...context, host: hostFor(context.host, undefined) })),
    onBlock:
      original.onBlock &&
      ((context) => {
        lastBlock = context.block
        return guarded(context.block, () => original.onBlock!({ ...context, host: hostFor(context.host, context.block) }))
      }),
    onLogs:
      original.onLogs &&
      ((context) => {
        lastBlock = context.block
        return guarded(context.block, () => original.onLogs!({ ...context, host: hostFor(context.host, context.block) }))
      }),
    onReorg: original.onReorg && ((context) => guarded(lastBlock, () => original.onReorg!({ ...context, host: hostFor(context.host, lastBlock) }))),
  }
  return { ...loaded, definition }
}

/** Outcomes in a canonical order (module, block, kind, key, detail): the same run gives the same list. */
export function sortOutcomes<T extends Outcome>(outcomes: readonly T[]): T[] {
  const text = (o: Outcome) => `${o.kind}\u0000${o.key}\u0000${o.detail ?? ''}`
  return [...outcomes].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.block < b.block ? -1 : a.block > b.block ? 1 : text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0))
}
