import { encodeFunctionData, type Address } from 'viem'
import { chainlinkAggregatorAbi } from '../abis.ts'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { devnetDeployer } from '../deployProtocol.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

export type SetOraclePriceOptions = WriteOptions & { oracle?: Address; from?: Address }

/**
 * Starts a new round on the oracle double with `answer` (8 decimals: 3000e8 is 3,000 USD); it emits
 * `AnswerUpdated`. Only our double has the setter: on a fork of the real feed this reverts.
 *
 * @example
 * await setOraclePrice(client, 2500_00000000n)
 */
export async function setOraclePrice(client: DevnetClient, answer: bigint, options: SetOraclePriceOptions = {}): Promise<WriteResult> {
  const { oracle = sepoliaAddresses.chainlinkEthUsd, from = devnetDeployer, ...write } = options
  return sendAs(client, {
    ...write,
    from,
    to: oracle,
    data: encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'setAnswer', args: [answer] }),
    label: 'setOraclePrice',
  })
}
