import { decodeAbiParameters, getAddress, toHex, type Address, type Hex } from 'viem'
import { rpcCall } from '../../harness/load/rpcBatch.ts'
import { groundTruthOrderUid } from '../../harness/scenario/orderUid.ts'
import { decodeTwapStaticInput, twapPartOrder, twapPartValidTo } from '../../harness/twap/model.ts'
import { conditionalOrderCreatedTopic } from './createScaleTwaps.ts'

export type ReadExpectedPartsParameters = {
  rpcUrl: string
  composableCow: Address
  /** Creation block ranges (inclusive) to read. */
  ranges: ReadonlyArray<readonly [bigint, bigint]>
  /** A TWAP whose t0 is inside [from, to] (inclusive) is expected to post its first part. */
  windows: ReadonlyArray<{ name: string; from: bigint; to: bigint }>
}

/**
 * The first-part UIDs the run must see at the orderbook, from the chain alone: every
 * ConditionalOrderCreated log of ComposableCoW in `ranges` (read one block at a time), its static
 * input decoded, and the part-0 UID computed with viem's EIP-712 hashing (not the engine's code)
 * for each TWAP whose t0 falls in a window. Keyed by window name.
 *
 * @example
 * const expected = await readExpectedParts({ rpcUrl, composableCow, ranges: [[10n, 12n]], windows: [{ name: 'burst', from: t0, to: t0 }] })
 */
export async function readExpectedParts({ rpcUrl, composableCow, ranges, windows }: ReadExpectedPartsParameters): Promise<Map<string, Set<Hex>>> {
  const found = new Map(windows.map((w) => [w.name, new Set<Hex>()]))
  for (const [from, to] of ranges) {
    for (let block = from; block <= to; block++) {
      const logs = (await rpcCall(rpcUrl, 'eth_getLogs', [{ fromBlock: toHex(block), toBlock: toHex(block), address: composableCow, topics: [conditionalOrderCreatedTopic] }])) as Array<{ topics: Hex[]; data: Hex }>
      for (const log of logs) {
        const [params] = decodeAbiParameters([{ type: 'tuple', components: [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes' }] }], log.data) as unknown as [[Address, Hex, Hex]]
        const data = decodeTwapStaticInput(params[2])
        const window = windows.find((w) => data.t0 >= w.from && data.t0 <= w.to)
        if (!window) continue
        const owner = getAddress(`0x${log.topics[1]!.slice(26)}`)
        found.get(window.name)!.add(groundTruthOrderUid(twapPartOrder(data, twapPartValidTo(data, 0n)), owner))
      }
    }
  }
  return found
}
