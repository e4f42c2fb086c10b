import { describe, expect, test } from 'vitest'
import { concatHex, encodeAbiParameters, getAddress, getContractAddress } from 'viem'
import { sepoliaAddresses } from './addresses.ts'
import { cowDeploymentSalt } from './create2Salt.ts'
import { loadSepoliaDeployment, type SepoliaDeploymentName } from './loadSepoliaDeployment.ts'
import { multicall3Initcode } from './multicall3Runtime.ts'
import { loadWeth9Runtime } from './loadWeth9Runtime.ts'
import { doublePlacements } from './doubles.ts'

describe('protocol deployment inputs', () => {
  test('behavior: every address in sepoliaAddresses is checksummed', () => {
    for (const [name, address] of Object.entries(sepoliaAddresses)) expect(address, name).toBe(getAddress(address))
  })

  test('behavior: the CREATE2 salt is bytes32("Mattresses in Berlin!")', () => {
    expect(cowDeploymentSalt).toBe('0x4d61747472657373657320696e204265726c696e210000000000000000000000')
  })

  test.each([
    ['GPv2AllowListAuthentication_Implementation', sepoliaAddresses.gpv2AllowListAuthenticationImplementation],
    ['GPv2AllowListAuthentication_Proxy', sepoliaAddresses.gpv2AllowListAuthentication],
    ['GPv2Settlement', sepoliaAddresses.gpv2Settlement],
  ] as const)('behavior: %s initcode + args lands at its Sepolia address through the CREATE2 deployer', (name: SepoliaDeploymentName, expected) => {
    const deployment = loadSepoliaDeployment(name)
    expect(deployment.address).toBe(expected)
    const args = deployment.constructorInputs.length ? encodeAbiParameters(deployment.constructorInputs, deployment.args) : '0x'
    const bytecode = concatHex([deployment.bytecode, args])
    expect(getContractAddress({ opcode: 'CREATE2', from: sepoliaAddresses.create2Deployer, salt: cowDeploymentSalt, bytecode })).toBe(expected)
  })

  test('behavior: bundled bytecodes are present and non-trivial', () => {
    expect(multicall3Initcode().length).toBeGreaterThan(1000)
    expect(loadWeth9Runtime().length).toBeGreaterThan(1000)
    for (const double of doublePlacements) expect(double.deployedBytecode.length, double.name).toBeGreaterThan(10)
  })

  test('behavior: each double goes to a distinct address', () => {
    expect(new Set(doublePlacements.map((d) => d.address)).size).toBe(doublePlacements.length)
  })
})
