import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BaseError, ContractFunctionRevertedError, createPublicClient, http, parseAbi, zeroAddress, zeroHash } from 'viem'
import { sepoliaAddresses } from './addresses.ts'
import { startDevnet, type Devnet } from './startDevnet.ts'

// What a third-party watcher that knows nothing of Shepherd relies on: blocks near wall-clock time
// (watchers decide by the block's timestamp) and the protocol's views at their canonical addresses,
// read with the ABI from the protocol's own interface (not our abis.ts).
const composableCowViews = parseAbi([
  'struct Params { address handler; bytes32 salt; bytes staticInput; }',
  'function getTradeableOrderWithSignature(address owner, Params params, bytes offchainInput, bytes32[] proof) view returns ((address,address,address,uint256,uint256,uint32,bytes32,uint256,bytes32,bool,bytes32,bytes32) order, bytes signature)',
  'function domainSeparator() view returns (bytes32)',
  'error SingleOrderNotAuthed()',
  'error ProofNotAuthed()',
])
const ethFlowViews = parseAbi(['function orders(bytes32 orderHash) view returns (address owner, uint32 validTo)', 'function wrappedNativeToken() view returns (address)'])

describe('the devnet serves a third-party watcher unchanged', () => {
  let net: Devnet
  beforeAll(async () => {
    net = await startDevnet({ blockTime: 1, log: () => {} })
  })
  afterAll(async () => {
    await net?.stop()
  })

  test('behavior: with interval mining, each new block carries a timestamp within 2 s of the wall clock', async () => {
    // cacheTime 0: viem caches the block number for 4 s by default.
    const client = createPublicClient({ transport: http(net.rpcUrl), cacheTime: 0 })
    const first = await client.getBlockNumber()
    const deadline = Date.now() + 10_000
    const diffs: number[] = []
    let seen = first
    while (diffs.length < 3 && Date.now() < deadline) {
      const n = await client.getBlockNumber()
      if (n > seen) {
        seen = n
        const block = await client.getBlock({ blockNumber: n })
        diffs.push(Date.now() / 1000 - Number(block.timestamp))
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(diffs.length).toBe(3)
    for (const diff of diffs) expect(Math.abs(diff)).toBeLessThan(2)
  })

  test('behavior: ComposableCoW answers getTradeableOrderWithSignature at its canonical address (an unknown order reverts SingleOrderNotAuthed)', async () => {
    const client = createPublicClient({ transport: http(net.rpcUrl) })
    const error = await client
      .readContract({ address: sepoliaAddresses.composableCow, abi: composableCowViews, functionName: 'getTradeableOrderWithSignature', args: [zeroAddress, { handler: sepoliaAddresses.twap, salt: zeroHash, staticInput: '0x' }, '0x', []] })
      .catch((e: unknown) => e)
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined
    expect((reverted as ContractFunctionRevertedError | undefined)?.data?.errorName).toBe('SingleOrderNotAuthed')
    expect(await client.readContract({ address: sepoliaAddresses.composableCow, abi: composableCowViews, functionName: 'domainSeparator' })).toMatch(/^0x[0-9a-f]{64}$/)
  })

  test('behavior: EthFlow answers orders(bytes32) at its canonical address (unknown: owner zero)', async () => {
    const client = createPublicClient({ transport: http(net.rpcUrl) })
    const [owner] = await client.readContract({ address: sepoliaAddresses.ethFlow, abi: ethFlowViews, functionName: 'orders', args: [zeroHash] })
    expect(owner).toBe(zeroAddress)
  })
})
