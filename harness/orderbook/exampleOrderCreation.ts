import { getAddress, type Address } from 'viem'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'

/** Sepolia WETH and COW: a realistic token pair for examples and tests. */
export const SEPOLIA_WETH: Address = '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14'
export const SEPOLIA_COW: Address = '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59'

/**
 * A valid POST /api/v1/orders body shaped like a conditional-order part: EIP-1271, `from` = the
 * checksummed owner, amounts as decimal strings, appData = keccak256("{}"). Override any field.
 *
 * @example
 * const body = exampleOrderCreation({ owner: '0x1111111111111111111111111111111111111111', sellAmount: '42' })
 */
export function exampleOrderCreation(
  overrides: { owner?: Address } & Record<string, unknown> = {},
): Record<string, unknown> {
  const { owner = '0x1111111111111111111111111111111111111111', ...rest } = overrides
  const from = getAddress(owner)
  return {
    sellToken: SEPOLIA_WETH,
    buyToken: SEPOLIA_COW,
    receiver: from,
    sellAmount: '1000000000000000000',
    buyAmount: '2000000000000000000',
    validTo: 1_900_000_000,
    appData: EMPTY_APP_DATA_HASH,
    feeAmount: '0',
    kind: 'sell',
    partiallyFillable: false,
    sellTokenBalance: 'erc20',
    buyTokenBalance: 'erc20',
    signingScheme: 'eip1271',
    signature: '0x1234',
    from,
    ...rest,
  }
}
