import { concatHex, encodeAbiParameters, encodeFunctionData, getContractAddress, isAddressEqual, parseEther, type Address, type Hex } from 'viem'
import { chainlinkAggregatorAbi, gpv2AllowListAbi } from './abis.ts'
import { sepoliaAddresses } from './addresses.ts'
import { cowDeploymentSalt } from './create2Salt.ts'
import type { DevnetClient } from './createDevnetClient.ts'
import { DevnetError } from './DevnetError.ts'
import { doublePlacements, initialOracleAnswer } from './doubles.ts'
import { loadSepoliaDeployment, type SepoliaDeploymentName } from './loadSepoliaDeployment.ts'
import { loadWeth9Runtime } from './loadWeth9Runtime.ts'
import { multicall3Runtime } from './multicall3Runtime.ts'
import { ethFlowRelayerAllowance, weth9Storage } from './wethStorage.ts'

/** Sends the deployment transactions. Our own address, so Anvil's dev accounts keep nonce 0. */
export const devnetDeployer: Address = '0x5e9E9d000000000000000000000000000000De91'

/** Anvil's first dev account; made a GPv2 solver so settlement tests can use it directly. */
export const devnetSolver: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

export type DeployProtocolParameters = {
  /** Added to the allow list by the (impersonated) manager. Default: Anvil's first dev account. */
  solver?: Address
  /** The oracle double's first answer (8 decimals). Default 3000e8. */
  oracleAnswer?: bigint
}

export type DeployProtocolReturnType = { block: bigint; transactions: readonly Hex[] }

// Gas per deployment, ~1.3x what each uses, so no estimate is needed (the proxy's estimate would
// fail anyway: its implementation only exists once the first transaction ran).
const gpv2Steps: readonly { name: SepoliaDeploymentName; expected: Address; gas: bigint }[] = [
  { name: 'GPv2AllowListAuthentication_Implementation', expected: sepoliaAddresses.gpv2AllowListAuthenticationImplementation, gas: 1_100_000n },
  { name: 'GPv2AllowListAuthentication_Proxy', expected: sepoliaAddresses.gpv2AllowListAuthentication, gas: 850_000n },
  { name: 'GPv2Settlement', expected: sepoliaAddresses.gpv2Settlement, gas: 6_000_000n },
]
const fees = { maxFeePerGas: parseEther('100', 'gwei'), maxPriorityFeePerGas: 0n } as const

/**
 * Deploys CoW Protocol on a fresh devnet at its Sepolia addresses: the real GPv2 contracts through
 * the CREATE2 deployer (asserting each lands at its Sepolia address), WETH9 and Multicall3 by
 * `anvil_setCode`, our doubles by `anvil_setCode`, the oracle's first answer, and one solver. Every
 * independent step runs concurrently; all transactions go into one mined block.
 *
 * @example
 * const client = createDevnetClient({ rpcUrl })
 * await deployProtocol(client)
 */
export async function deployProtocol(client: DevnetClient, parameters: DeployProtocolParameters = {}): Promise<DeployProtocolReturnType> {
  const solver = parameters.solver ?? devnetSolver
  const manager = sepoliaAddresses.gpv2AllowListManager
  const creations = gpv2Steps.map((step) => {
    const deployment = loadSepoliaDeployment(step.name)
    const args = deployment.constructorInputs.length ? encodeAbiParameters(deployment.constructorInputs, deployment.args) : '0x'
    const initcode = concatHex([deployment.bytecode, args])
    const address = getContractAddress({ opcode: 'CREATE2', from: sepoliaAddresses.create2Deployer, salt: cowDeploymentSalt, bytecode: initcode })
    if (!isAddressEqual(address, step.expected))
      throw new DevnetError(`${step.name} would not land at its Sepolia address`, {
        details: [`expected: ${step.expected}`, `computed: ${address}`, `salt: ${cowDeploymentSalt}`],
        hint: 'The initcode must come from @cowprotocol/contracts/deployments/sepolia (not lib/), with its args ABI-encoded.',
      })
    return { ...step, data: concatHex([cowDeploymentSalt, initcode]) }
  })

  const gasMoney = parseEther('100')
  const [deployerNonce, managerNonce] = await Promise.all([
    client.getTransactionCount({ address: devnetDeployer }),
    client.getTransactionCount({ address: manager }),
    client.impersonateAccount({ address: devnetDeployer }),
    client.impersonateAccount({ address: manager }),
    client.setBalance({ address: devnetDeployer, value: gasMoney }),
    client.setBalance({ address: manager, value: gasMoney }),
    client.setCode({ address: sepoliaAddresses.weth, bytecode: loadWeth9Runtime() }),
    ...weth9Storage.map(({ slot, value }) => client.setStorageAt({ address: sepoliaAddresses.weth, index: slot, value })),
    // The real EthFlow approves the vault relayer for WETH in its constructor, which setCode skips.
    client.setStorageAt({ address: sepoliaAddresses.weth, index: ethFlowRelayerAllowance.slot, value: ethFlowRelayerAllowance.value }),
    multicall3Runtime(client).then((bytecode) => client.setCode({ address: sepoliaAddresses.multicall3, bytecode })),
    ...doublePlacements.map(({ address, deployedBytecode }) => client.setCode({ address, bytecode: deployedBytecode })),
  ])

  // Explicit nonces and gas: the pool orders them, so they can be sent concurrently and still run
  // implementation -> proxy (whose constructor calls it) -> settlement within one block.
  const transactions = await Promise.all([
    ...creations.map((creation, index) =>
      client.sendTransaction({
        account: devnetDeployer,
        chain: null,
        to: sepoliaAddresses.create2Deployer,
        data: creation.data,
        gas: creation.gas,
        nonce: deployerNonce + index,
        ...fees,
      }),
    ),
    client.sendTransaction({
      account: devnetDeployer,
      chain: null,
      to: sepoliaAddresses.chainlinkEthUsd,
      data: encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'setAnswer', args: [parameters.oracleAnswer ?? initialOracleAnswer] }),
      gas: 200_000n,
      nonce: deployerNonce + creations.length,
      ...fees,
    }),
  ])
  await client.mine({ blocks: 1 })
  // addSolver only after the proxy exists: in the same block the manager's transaction may be
  // ordered first, call an address without code, "succeed" and do nothing.
  transactions.push(
    await client.sendTransaction({
      account: manager,
      chain: null,
      to: sepoliaAddresses.gpv2AllowListAuthentication,
      data: encodeFunctionData({ abi: gpv2AllowListAbi, functionName: 'addSolver', args: [solver] }),
      gas: 200_000n,
      nonce: managerNonce,
      ...fees,
    }),
  )
  await client.mine({ blocks: 1 })

  const receipts = await Promise.all(transactions.map((hash) => client.getTransactionReceipt({ hash }).catch(() => undefined)))
  const names = [...creations.map((creation) => creation.name), 'ChainlinkAggregator.setAnswer', 'GPv2AllowListAuthentication.addSolver']
  const failed = receipts.flatMap((receipt, index) => (receipt?.status === 'success' ? [] : [`${names[index]}: ${receipt ? 'reverted' : 'not mined'} (${transactions[index]})`]))
  if (failed.length) throw new DevnetError('Protocol deployment transactions failed', { details: failed })

  const codes = await Promise.all(creations.map((creation) => client.getCode({ address: creation.expected })))
  const missing = creations.filter((_, index) => !codes[index] || codes[index] === '0x').map((creation) => `${creation.name} at ${creation.expected}`)
  if (missing.length) throw new DevnetError('Deployed protocol contracts have no code', { details: missing })

  return { block: receipts.reduce((max, receipt) => (receipt && receipt.blockNumber > max ? receipt.blockNumber : max), 0n), transactions }
}
