import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPublicClient, decodeFunctionResult, encodeFunctionData, hashDomain, multicall3Abi, parseEther, webSocket } from 'viem'
import { chainlinkAggregatorAbi, gpv2AllowListAbi, gpv2SettlementAbi, weth9Abi } from './abis.ts'
import { sepoliaDomainSeparator } from './addresses.ts'
import { devnetSolver } from './deployProtocol.ts'
import { startDevnet, type Devnet } from './startDevnet.ts'

describe('startDevnet (deployed protocol)', () => {
  let net: Devnet
  beforeAll(async () => {
    net = await startDevnet({ log: () => {} })
  })
  afterAll(async () => {
    await net?.stop()
  })

  test('behavior: runs chain id 11155111 on 127.0.0.1 and reports its start-up time', async () => {
    expect(net.rpcUrl).toBe(`http://127.0.0.1:${net.port}`)
    expect(net.wsUrl).toBe(`ws://127.0.0.1:${net.port}`)
    expect(await net.client.getChainId()).toBe(11155111)
    expect(net.startedInMs).toBeGreaterThan(0)
  })

  test('behavior: the WebSocket endpoint answers too', async () => {
    const transport = webSocket(net.wsUrl)
    const ws = createPublicClient({ transport })
    try {
      expect(await ws.getBlockNumber()).toBe(await net.client.getBlockNumber())
    } finally {
      const { socket } = await ws.transport.getRpcClient()
      socket.close()
    }
  })

  test('behavior: GPv2 contracts have code at their Sepolia addresses', async () => {
    const { gpv2Settlement, gpv2VaultRelayer, gpv2AllowListAuthentication, gpv2AllowListAuthenticationImplementation } = net.addresses
    for (const address of [gpv2Settlement, gpv2VaultRelayer, gpv2AllowListAuthentication, gpv2AllowListAuthenticationImplementation]) {
      const code = await net.client.getCode({ address })
      expect(code && code.length > 2, `code at ${address}`).toBe(true)
    }
  })

  test('behavior: the settlement has the Sepolia domain separator and vault relayer', async () => {
    const address = net.addresses.gpv2Settlement
    expect(await net.client.readContract({ address, abi: gpv2SettlementAbi, functionName: 'domainSeparator' })).toBe(sepoliaDomainSeparator)
    expect(await net.client.readContract({ address, abi: gpv2SettlementAbi, functionName: 'vaultRelayer' })).toBe('0xC92E8bdf79f0507f65a392b0ab4667716BFE0110')
    expect(await net.client.readContract({ address, abi: gpv2SettlementAbi, functionName: 'authenticator' })).toBe(net.addresses.gpv2AllowListAuthentication)
  })

  test('behavior: the allow list is managed by the Sepolia manager and knows the dev solver', async () => {
    const address = net.addresses.gpv2AllowListAuthentication
    expect(await net.client.readContract({ address, abi: gpv2AllowListAbi, functionName: 'manager' })).toBe(net.addresses.gpv2AllowListManager)
    expect(await net.client.readContract({ address, abi: gpv2AllowListAbi, functionName: 'isSolver', args: [devnetSolver] })).toBe(true)
  })

  test('behavior: WETH reads back name, symbol and decimals from storage', async () => {
    const address = net.addresses.weth
    expect(await net.client.readContract({ address, abi: weth9Abi, functionName: 'name' })).toBe('Wrapped Ether')
    expect(await net.client.readContract({ address, abi: weth9Abi, functionName: 'symbol' })).toBe('WETH')
    expect(await net.client.readContract({ address, abi: weth9Abi, functionName: 'decimals' })).toBe(18)
  })

  test('behavior: Multicall3 aggregate3 batches calls at its canonical address', async () => {
    const calls = [
      { target: net.addresses.weth, allowFailure: false, callData: encodeFunctionData({ abi: weth9Abi, functionName: 'symbol' }) },
      { target: net.addresses.chainlinkEthUsd, allowFailure: false, callData: encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'decimals' }) },
      { target: net.addresses.gpv2Settlement, allowFailure: true, callData: '0xdeadbeef' as const },
    ]
    const results = await net.client.readContract({ address: net.addresses.multicall3, abi: multicall3Abi, functionName: 'aggregate3', args: [calls] })
    expect(results).toHaveLength(3)
    expect(decodeFunctionResult({ abi: weth9Abi, functionName: 'symbol', data: results[0]!.returnData })).toBe('WETH')
    expect(decodeFunctionResult({ abi: chainlinkAggregatorAbi, functionName: 'decimals', data: results[1]!.returnData })).toBe(8)
    expect(results[2]!.success).toBe(false)
  })

  test('behavior: the oracle double starts at 3000 USD with 8 decimals', async () => {
    const address = net.addresses.chainlinkEthUsd
    expect(await net.client.readContract({ address, abi: chainlinkAggregatorAbi, functionName: 'decimals' })).toBe(8)
    const [roundId, answer] = await net.client.readContract({ address, abi: chainlinkAggregatorAbi, functionName: 'latestRoundData' })
    expect(answer).toBe(3000_00000000n)
    expect(roundId).toBe(1n)
  })

  test('behavior: every double and the LogEmitter have code', async () => {
    const { composableCow, twap, currentBlockTimestampFactory, ethFlow, cowToken, logEmitter } = net.addresses
    for (const address of [composableCow, twap, currentBlockTimestampFactory, ethFlow, cowToken, logEmitter]) {
      const code = await net.client.getCode({ address })
      expect(code && code.length > 2, `code at ${address}`).toBe(true)
    }
  })

  test('behavior: revert(snapshot) undoes balance changes and blocks', async () => {
    const account = '0x00000000000000000000000000000000000a11ce'
    const id = await net.snapshot()
    const blockBefore = await net.client.getBlockNumber()
    await net.fund(account, parseEther('5'))
    await net.mine(3)
    expect(await net.client.getBalance({ address: account })).toBe(parseEther('5'))
    await net.revert(id)
    expect(await net.client.getBalance({ address: account })).toBe(0n)
    expect(await net.client.getBlockNumber()).toBe(blockBefore)
  })

  test('behavior: dumpState / loadState carry the protocol into a devnet that deployed nothing', async () => {
    const account = '0x00000000000000000000000000000000000b0b00'
    await net.fund(account, 123n)
    const state = await net.dumpState()
    const other = await startDevnet({ deploy: false, log: () => {} })
    try {
      expect(await other.client.getCode({ address: net.addresses.gpv2Settlement })).toBeUndefined()
      await other.loadState(state)
      expect(await other.client.getBalance({ address: account })).toBe(123n)
      expect(await other.client.readContract({ address: net.addresses.gpv2Settlement, abi: gpv2SettlementAbi, functionName: 'domainSeparator' })).toBe(sepoliaDomainSeparator)
    } finally {
      await other.stop()
    }
  })
})

describe('startDevnet({ chainId })', () => {
  test('behavior: chain 100 runs the protocol at the same addresses, with the domain separator of chain 100; two devnets of different ids run side by side', async () => {
    const gnosis = await startDevnet({ chainId: 100, log: () => {} })
    const sepolia = await startDevnet({ log: () => {} })
    try {
      expect(gnosis.chainId).toBe(100)
      expect(await gnosis.client.getChainId()).toBe(100)
      expect(await sepolia.client.getChainId()).toBe(11155111)
      expect(gnosis.addresses).toEqual(sepolia.addresses)
      for (const address of [gnosis.addresses.gpv2Settlement, gnosis.addresses.composableCow, gnosis.addresses.ethFlow, gnosis.addresses.multicall3]) {
        const code = await gnosis.client.getCode({ address })
        expect(code && code.length > 2, `code at ${address}`).toBe(true)
      }
      const separator = await gnosis.client.readContract({ address: gnosis.addresses.gpv2Settlement, abi: gpv2SettlementAbi, functionName: 'domainSeparator' })
      const expected = hashDomain({ domain: { name: 'Gnosis Protocol', version: 'v2', chainId: 100n, verifyingContract: gnosis.addresses.gpv2Settlement }, types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }] } })
      expect(separator).toBe(expected)
      expect(separator).not.toBe(sepoliaDomainSeparator)
    } finally {
      await Promise.all([gnosis.stop(), sepolia.stop()])
    }
  })

  test('bad input: a chain id that is not a positive integer is refused before Anvil starts', async () => {
    await expect(startDevnet({ chainId: 0, log: () => {} })).rejects.toThrow(/Invalid chainId/)
  })
})

describe('startDevnet({ blockSeconds })', () => {
  test('behavior: blocks mined every 0.5 s carry 12 s of chain time each', async () => {
    const net = await startDevnet({ blockTime: 0.5, blockSeconds: 12, log: () => {} })
    try {
      const first = await net.client.getBlockNumber()
      const deadline = Date.now() + 10_000
      while ((await net.client.getBlockNumber()) < first + 3n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      const [a, b, c] = await Promise.all([first + 1n, first + 2n, first + 3n].map((blockNumber) => net.client.getBlock({ blockNumber })))
      expect([b!.timestamp - a!.timestamp, c!.timestamp - b!.timestamp]).toEqual([12n, 12n])
    } finally {
      await net.stop()
    }
  })

  test('bad input: blockSeconds that is not a whole number of seconds >= 1 is refused before Anvil starts', async () => {
    await expect(startDevnet({ blockSeconds: 0.5, log: () => {} })).rejects.toThrow(/Invalid blockSeconds/)
  })
})
