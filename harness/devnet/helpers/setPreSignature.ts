import { encodeFunctionData, size, type Address, type Hex } from 'viem'
import { gpv2SettlementAbi } from '../abis.ts'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

/**
 * Pre-signs (or revokes) an order on GPv2Settlement as its owner. The settlement only accepts it from
 * the owner encoded in the UID.
 *
 * @example
 * await setPreSignature(client, owner, orderUid, true)
 */
export async function setPreSignature(client: DevnetClient, owner: Address, orderUid: Hex, signed: boolean, options: WriteOptions = {}): Promise<WriteResult> {
  if (size(orderUid) !== 56) throw new RangeError(`setPreSignature: an order UID is 56 bytes, got ${size(orderUid)}`)
  return sendAs(client, {
    ...options,
    from: owner,
    to: sepoliaAddresses.gpv2Settlement,
    data: encodeFunctionData({ abi: gpv2SettlementAbi, functionName: 'setPreSignature', args: [orderUid, signed] }),
    label: 'setPreSignature',
  })
}
