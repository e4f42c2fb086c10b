import { bytesToHex, encodeAbiParameters, encodeFunctionData, keccak256, parseAbiParameters, type Address, type Hex } from 'viem'
import { randomBytes } from 'node:crypto'
import { composableCowAbi } from '../abis.ts'
import { encodeTwapStaticInput, type TwapData } from '../../twap/model.ts'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

/** TWAP static input (the handler's `Data` struct); the shared model in harness/twap owns it. */
export type { TwapData }

/** ComposableCoW's `ConditionalOrderParams`. */
export type ConditionalOrderParams = { handler: Address; salt: Hex; staticInput: Hex }

export type CreateTwapParameters = WriteOptions & {
  owner: Address
  params: TwapData
  /** Default: 32 random bytes, so two calls make two orders. */
  salt?: Hex
  /** 'createWithContext' stores the creation block's timestamp in the cabinet for t0 = 0. Default 'create'. */
  mode?: 'create' | 'createWithContext'
  /** Emit ConditionalOrderCreated (watchers only see dispatched orders). Default true. */
  dispatch?: boolean
}

export type CreateTwapReturnType = WriteResult & {
  params: ConditionalOrderParams
  /** `ComposableCoW.hash(params)`: the key of `singleOrders(owner, hash)` and of the cabinet. */
  orderHash: Hex
}

const paramsParameters = parseAbiParameters('(address handler, bytes32 salt, bytes staticInput)')

/** `ComposableCoW.hash(params)` = keccak256(abi.encode(params)), computed locally. */
export function hashConditionalOrderParams(params: ConditionalOrderParams): Hex {
  return keccak256(encodeAbiParameters(paramsParameters, [params]))
}

/**
 * Creates a TWAP conditional order on ComposableCoW as `owner` (impersonated), with the TWAP handler
 * at its Sepolia address.
 *
 * @example
 * const { params, orderHash } = await createTwap(client, { owner, params: twap, mode: 'createWithContext' })
 */
export async function createTwap(client: DevnetClient, parameters: CreateTwapParameters): Promise<CreateTwapReturnType> {
  const { owner, params: twap, salt = bytesToHex(randomBytes(32)), mode = 'create', dispatch = true, ...write } = parameters
  const params: ConditionalOrderParams = { handler: sepoliaAddresses.twap, salt, staticInput: encodeTwapStaticInput(twap) }
  const data =
    mode === 'create'
      ? encodeFunctionData({ abi: composableCowAbi, functionName: 'create', args: [params, dispatch] })
      : encodeFunctionData({
          abi: composableCowAbi,
          functionName: 'createWithContext',
          args: [params, sepoliaAddresses.currentBlockTimestampFactory, '0x', dispatch],
        })
  const result = await sendAs(client, { ...write, from: owner, to: sepoliaAddresses.composableCow, data, label: `createTwap (${mode})` })
  return { ...result, params, orderHash: hashConditionalOrderParams(params) }
}
