import type { Address } from 'viem'

/**
 * Where the protocol's contracts live on Sepolia (and on every Shepherd devnet, chain 11155111):
 * the addresses the generated logs come from. The SDK imports nothing of the harness, so the few
 * it needs are written here (protocol-facts.md; `arbitraries.test.ts` pins them checksummed).
 *
 * @example
 * import { protocolAddresses } from 'shepherd/sdk/testing'
 * mock.chain.onCall({ to: protocolAddresses.composableCow, selector: '0x26e0a196' }, answer)
 */
export const protocolAddresses = {
  composableCow: '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74',
  twapHandler: '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5',
  ethFlow: '0xbA3cB449bD2B4ADddBc894D8697F5170800EAdeC',
  gpv2Settlement: '0x9008D19f58AAbD9eD0D60971565AA8510560ab41',
  weth: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
} as const satisfies Record<string, Address>

/**
 * Sepolia's chain id, the default `chainId` of generated logs.
 *
 * @example
 * fc.sample(tradeLogs(), 1)[0]!.log.chainId === SEPOLIA_CHAIN_ID // true
 */
export const SEPOLIA_CHAIN_ID = 11155111
