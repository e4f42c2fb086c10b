import { stringToHex } from 'viem'

/**
 * The salt CoW Protocol deploys with: bytes32 of "Mattresses in Berlin!", right-padded. With the
 * deployments' initcode and Anvil's CREATE2 deployer it reproduces the Sepolia addresses.
 */
export const cowDeploymentSalt = stringToHex('Mattresses in Berlin!', { size: 32 })
