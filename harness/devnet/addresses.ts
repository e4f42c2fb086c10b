import type { Address } from 'viem'

/**
 * Where the protocol lives on Sepolia (chain id 11155111), and so on every devnet this folder starts:
 * the real GPv2 contracts are CREATE2-deployed at these addresses, the others are placed there with
 * `anvil_setCode`. All checksummed (a unit test pins that).
 *
 * @example
 * import { sepoliaAddresses } from './addresses.ts'
 * await client.readContract({ address: sepoliaAddresses.gpv2Settlement, abi, functionName: 'domainSeparator' })
 */
export const sepoliaAddresses = {
  gpv2Settlement: '0x9008D19f58AAbD9eD0D60971565AA8510560ab41',
  /** Created by the settlement constructor. */
  gpv2VaultRelayer: '0xC92E8bdf79f0507f65a392b0ab4667716BFE0110',
  gpv2AllowListAuthentication: '0x2c4c28DDBdAc9C5E7055b4C863b72eA0149D8aFE',
  gpv2AllowListAuthenticationImplementation: '0x9E7Ae8Bdba9AA346739792d219a808884996Db67',
  /** Owner and manager of the allow list: impersonate it to `addSolver`. */
  gpv2AllowListManager: '0x6Fb5916c0f57f88004d5b5EB25f6f4D77353a1eD',
  /** Constructor argument of the settlement; needs no code on a devnet. */
  balancerVault: '0xBA12222222228d8Ba445958a75a0704d566BF2C8',
  composableCow: '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74',
  twap: '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5',
  currentBlockTimestampFactory: '0x52eD56Da04309Aca4c3FECC595298d80C2f16BAc',
  ethFlow: '0xbA3cB449bD2B4ADddBc894D8697F5170800EAdeC',
  ethFlowBarn: '0xb37aDD6AC288BD3825a901Cba6ec65A89f31B8CC',
  weth: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  cowToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  chainlinkEthUsd: '0x694AA1769357215DE4FAC081bf1f309aDC325306',
  multicall3: '0xcA11bde05977b3631167028862bE2a173976CA11',
  /** Anvil ships this CREATE2 deployer in its genesis. */
  create2Deployer: '0x4e59b44847b379578588920cA78FbF26c0B4956C',
  /** Our own engine-test contract; any free address does, this one is easy to spot in logs. */
  logEmitter: '0x00000000000000000000000000000000000051e9',
} as const satisfies Record<string, Address>

/** The table's type: one checksummed address per contract name. */
export type SepoliaAddresses = typeof sepoliaAddresses

/** Sepolia's chain id, which every devnet uses so domain separators match the real ones. */
export const devnetChainId = 11155111

/** GPv2 EIP-712 domain separator of the settlement at its Sepolia address, chain 11155111. */
export const sepoliaDomainSeparator = '0xdaee378bd0eb30ddf479272accf91761e697bc00e067a268f95f1d2732ed230b' as const
