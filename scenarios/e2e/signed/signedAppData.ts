import type { Hex } from 'viem'
import { buildLoadAppData, type LoadAppDataDocument } from '../../../harness/load/loadAppData.ts'
import { ShepherdError } from '../../../modules/sdk/errors/base.ts'
import type { SignedWorld } from './signedWorld.ts'

/** The appData documents the signed run's orders carry: the TWAP's and the EthFlow order's. */
export type SignedAppData = { twap: LoadAppDataDocument; ethFlow: LoadAppDataDocument }

const pick = (documents: readonly LoadAppDataDocument[], name: string): LoadAppDataDocument => {
  const found = documents.find((d) => d.name === name)
  if (!found) throw new ShepherdError(`The load's appData mix has no document "${name}"`, { details: [`documents: ${documents.map((d) => d.name).join(', ')}`] })
  return found
}

/**
 * The realistic appData of a signed run, taken from the load's mix (harness/load/loadAppData.ts, built
 * and validated against the published schema by cow-sdk), never a copy of it: the TWAP names the
 * partner fee and referrer document (orderClass "twap"), the EthFlow order the hooks document. The run
 * registers both at the orderbook before its first trigger, as a client would. The documents'
 * `environment` says where the orders were made: `devnet` on the devnet, `production` on a live
 * network (the real orderbook keeps the document, so it must not claim a devnet). The same world gives
 * the same hashes on every run, which a resumed run relies on.
 *
 * @example
 * const appData = await signedAppData({ world: 'live' })
 * appData.twap.hash // keccak256 of appData.twap.fullAppData
 */
export async function signedAppData({ world = 'devnet' }: { world?: SignedWorld } = {}): Promise<SignedAppData> {
  const documents = await buildLoadAppData({ environment: world === 'live' ? 'production' : 'devnet' })
  return { twap: pick(documents, 'partner-fee-referrer'), ethFlow: pick(documents, 'hooks') }
}

/** The hashes a plan's orders name. */
export type SignedAppDataHashes = { twap: Hex; ethFlow: Hex }
