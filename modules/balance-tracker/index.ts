import type { Address } from 'viem'
import { defineModule, type BlockRef, type Host, errorMessage } from '../sdk/index.ts'
import { balanceTrackerConfig, type BalanceTrackerConfig } from './config.ts'
import { isDue } from '../sdk/index.ts'

/** What `balance:<address>` holds: the last balance read and the block it was read at. */
export type StoredBalance = { wei: bigint; block: bigint }

const LAST_READ = 'last-read'
const MAX_UINT256 = 2n ** 256n - 1n
/** The store key of an address's last balance (lower-case address, so config spelling does not matter). */
export const balanceKey = (address: Address) => `balance:${address.toLowerCase()}`

async function readBalance(host: Host, chainId: number, address: Address, blockNumber: bigint): Promise<{ ok: true; wei: bigint } | { ok: false; reason: string }> {
  let value: unknown
  try {
    value = await host.chain.getBalance(chainId, address, { blockNumber })
  } catch (error) {
    return { ok: false, reason: errorMessage(error) }
  }
  // The host crosses a worker boundary: check the shape rather than trust the type.
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT256) return { ok: false, reason: `not a uint256 balance: ${String(value).slice(0, 80)}` }
  return { ok: true, wei: value }
}

async function trackAddress(host: Host, config: BalanceTrackerConfig, address: Address, block: BlockRef): Promise<boolean> {
  const key = balanceKey(address)
  const previous = await host.store.get<StoredBalance>(key)
  if (previous !== undefined && previous.block >= block.number) {
    host.log.debug('balance already read at or after this block; skipped', { address, block: block.number, stored: previous.block })
    return true
  }
  const read = await readBalance(host, config.chainId, address, block.number)
  if (!read.ok) {
    host.log.warn('balance unreadable; kept the last value', { address, block: block.number, reason: read.reason })
    return false
  }
  await host.store.set(key, { wei: read.wei, block: block.number } satisfies StoredBalance)
  if (previous === undefined) return true // the first observation is the baseline, never an alert
  const delta = read.wei - previous.wei
  if ((delta < 0n ? -delta : delta) >= config.threshold)
    host.metrics.alert('balance-change', `Balance of ${address} changed by ${delta} wei (threshold ${config.threshold}) at block ${block.number}`, {
      address, previous: previous.wei, current: read.wei, delta, threshold: config.threshold, block: block.number, since: previous.block,
    })
  return true
}

/**
 * balance-tracker: reads the native balance of each configured address every N blocks (at that
 * block, so replays answer the same) and raises `balance-change` when it moved by at least
 * `threshold` wei since the last stored value. The first observation only sets the baseline.
 *
 * @example
 * // engine.toml
 * // [modules.balance-tracker]
 * // addresses = ["0x9008D19f58AAbD9eD0D60971565AA8510560ab41"]
 * // threshold = "1000000000000000000"
 */
export default defineModule<BalanceTrackerConfig>({
  name: 'balance-tracker',
  config: balanceTrackerConfig,
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
  async onBlock({ host, config, block }) {
    if (!isDue(block.number, config.everyNBlocks, await host.store.get<bigint>(LAST_READ))) return
    // One getBalance per address, concurrently; the production host batches them as JSON-RPC.
    const results = await Promise.all(config.addresses.map((address) => trackAddress(host, config, address, block)))
    // A block counts as read only when every address was: a failed address is retried next block.
    if (results.every(Boolean)) await host.store.set(LAST_READ, block.number)
  },
  async onReorg({ host, reorg }) {
    // Values read on the replaced branch stay as the comparison base, but their blocks must be read again.
    for (const [key, stored] of await host.store.list<StoredBalance>('balance:'))
      if (stored.block >= reorg.fromBlock) await host.store.set(key, { ...stored, block: reorg.fromBlock - 1n })
    const lastRead = await host.store.get<bigint>(LAST_READ)
    if (lastRead !== undefined && lastRead >= reorg.fromBlock) await host.store.set(LAST_READ, reorg.fromBlock - 1n)
  },
})
