import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { concatHex, decodeEventLog, keccak256, maxUint256, numberToHex, parseEther, parseEventLogs, stringToHex, zeroHash, type Hex } from 'viem'
import { chainlinkAggregatorAbi, composableCowAbi, ethFlowAbi, gpv2SettlementAbi, weth9Abi } from './abis.ts'
import { forwarderOwnerRuntime } from './ownerSetupCalls.ts'
import { startDevnet, type Devnet } from './startDevnet.ts'
import type { TwapData } from './helpers/createTwap.ts'

// One manual-mining devnet; each test starts from the same snapshot. `mine: true` makes write
// helpers mine their block and return the receipt.
describe('devnet helpers', () => {
  let net: Devnet
  let snapshot: Hex
  const owner = '0x000000000000000000000000000000000000a11c' as const
  const mined = { mine: true } as const

  beforeAll(async () => {
    net = await startDevnet({ log: () => {} })
  })
  beforeEach(async () => {
    if (snapshot) await net.revert(snapshot)
    snapshot = await net.snapshot()
  })
  afterAll(async () => {
    await net?.stop()
  })

  const latestTimestamp = async () => (await net.client.getBlock()).timestamp

  test('behavior: fund sets an exact balance', async () => {
    await net.fund(owner, 42n)
    expect(await net.client.getBalance({ address: owner })).toBe(42n)
  })

  test('behavior: mine(n) adds n blocks', async () => {
    const before = await net.client.getBlockNumber()
    await net.mine(5)
    expect(await net.client.getBlockNumber()).toBe(before + 5n)
  })

  test('behavior: warp moves block time forward by at least the given seconds', async () => {
    const before = await latestTimestamp()
    const after = await net.warp(3600)
    expect(after).toBeGreaterThanOrEqual(before + 3600n)
    expect(await latestTimestamp()).toBe(after)
  })

  test('behavior: setNextBlockTimestamp fixes the next block time', async () => {
    const target = (await latestTimestamp()) + 1000n
    await net.setNextBlockTimestamp(target)
    await net.mine()
    expect(await latestTimestamp()).toBe(target)
  })

  test('behavior: impersonate lets a keyless address send', async () => {
    await net.impersonate(owner)
    await net.fund(owner, parseEther('1'))
    const hash = await net.client.sendTransaction({ account: owner, chain: null, to: owner, value: 1n })
    await net.mine()
    expect((await net.client.getTransactionReceipt({ hash })).from).toBe(owner)
  })

  test('behavior: setOraclePrice emits AnswerUpdated and changes latestRoundData', async () => {
    const { receipt } = await net.setOraclePrice(2500_00000000n, mined)
    const [event] = parseEventLogs({ abi: chainlinkAggregatorAbi, logs: receipt!.logs, eventName: 'AnswerUpdated' })
    expect(event?.args.current).toBe(2500_00000000n)
    expect(event?.args.roundId).toBe(2n)
    const [, answer] = await net.client.readContract({ address: net.addresses.chainlinkEthUsd, abi: chainlinkAggregatorAbi, functionName: 'latestRoundData' })
    expect(answer).toBe(2500_00000000n)
  })

  test('behavior: wrapWeth turns ETH into WETH', async () => {
    await net.fund(owner, parseEther('2'))
    await net.wrapWeth(owner, parseEther('1'), mined)
    expect(await net.client.readContract({ address: net.addresses.weth, abi: weth9Abi, functionName: 'balanceOf', args: [owner] })).toBe(parseEther('1'))
  })

  test('behavior: approveVaultRelayer sets the allowance of the GPv2 vault relayer', async () => {
    await net.approveVaultRelayer(owner, net.addresses.weth, 777n, mined)
    const allowance = await net.client.readContract({ address: net.addresses.weth, abi: weth9Abi, functionName: 'allowance', args: [owner, net.addresses.gpv2VaultRelayer] })
    expect(allowance).toBe(777n)
  })

  test('behavior: prepareOwners gives code, a backed WETH balance and an unlimited allowance, read back through the tokens\' own views', async () => {
    const second = '0x000000000000000000000000000000000000a11d' as const
    const wethEth = await net.client.getBalance({ address: net.addresses.weth })
    await net.prepareOwners({ owners: [owner, second], sellToken: net.addresses.weth, balance: 123n })
    for (const who of [owner, second]) {
      expect(await net.client.getCode({ address: who })).toBe(forwarderOwnerRuntime)
      expect(await net.client.readContract({ address: net.addresses.weth, abi: weth9Abi, functionName: 'balanceOf', args: [who] })).toBe(123n)
      expect(await net.client.readContract({ address: net.addresses.weth, abi: weth9Abi, functionName: 'allowance', args: [who, net.addresses.gpv2VaultRelayer] })).toBe(maxUint256)
    }
    expect(await net.client.getBalance({ address: net.addresses.weth })).toBe(wethEth + 246n)
    // The COW double's layout differs (balanceOf 1, allowance 2); a PreSign owner gets no code.
    const presign = '0x000000000000000000000000000000000000a11e' as const
    await net.prepareOwners({ owners: [presign], sellToken: net.addresses.cowToken, balance: 9n, allowance: 8n, withCode: false })
    expect(await net.client.getCode({ address: presign })).toBeUndefined()
    expect(await net.client.readContract({ address: net.addresses.cowToken, abi: weth9Abi, functionName: 'balanceOf', args: [presign] })).toBe(9n)
    expect(await net.client.readContract({ address: net.addresses.cowToken, abi: weth9Abi, functionName: 'allowance', args: [presign, net.addresses.gpv2VaultRelayer] })).toBe(8n)
  })

  test('behavior: the EthFlow contract lets the vault relayer pull its WETH, as the real constructor sets up', async () => {
    const allowance = await net.client.readContract({ address: net.addresses.weth, abi: weth9Abi, functionName: 'allowance', args: [net.addresses.ethFlow, net.addresses.gpv2VaultRelayer] })
    expect(allowance).toBe(maxUint256)
  })

  test('behavior: setPreSignature marks an order UID of the owner as pre-signed, and unmarks it', async () => {
    const uid = concatHex([keccak256(stringToHex('some order')), owner, numberToHex(2_000_000_000, { size: 4 })])
    const { receipt } = await net.setPreSignature(owner, uid, true, mined)
    const [event] = parseEventLogs({ abi: gpv2SettlementAbi, logs: receipt!.logs, eventName: 'PreSignature' })
    expect(event?.args).toMatchObject({ owner, orderUid: uid, signed: true })
    const read = () => net.client.readContract({ address: net.addresses.gpv2Settlement, abi: gpv2SettlementAbi, functionName: 'preSignature', args: [uid] })
    expect(await read()).not.toBe(0n)
    await net.setPreSignature(owner, uid, false, mined)
    expect(await read()).toBe(0n)
  })

  const twap = (t0: bigint): TwapData => ({
    sellToken: net.addresses.weth,
    buyToken: net.addresses.cowToken,
    receiver: owner,
    partSellAmount: parseEther('1'),
    minPartLimit: 100n,
    t0,
    n: 10n,
    t: 3600n,
    span: 0n,
    appData: zeroHash,
  })

  test('behavior: createTwap emits ConditionalOrderCreated and a TWAP started in the past is tradeable', async () => {
    // A contract owner: ComposableCoW, as the real one, reverts a poll for an owner without code.
    await net.client.request({ method: 'anvil_setCode', params: [owner, forwarderOwnerRuntime] } as never)
    const t0 = (await latestTimestamp()) - 60n
    const { receipt, params, orderHash } = await net.createTwap({ owner, params: twap(t0), ...mined })
    const [event] = parseEventLogs({ abi: composableCowAbi, logs: receipt!.logs, eventName: 'ConditionalOrderCreated' })
    expect(event?.args.owner).toBe(owner)
    expect(event?.args.params).toEqual(params)
    expect(await net.client.readContract({ address: net.addresses.composableCow, abi: composableCowAbi, functionName: 'hash', args: [params] })).toBe(orderHash)
    expect(await net.client.readContract({ address: net.addresses.composableCow, abi: composableCowAbi, functionName: 'singleOrders', args: [owner, orderHash] })).toBe(true)
    const [order] = await net.client.readContract({
      address: net.addresses.composableCow,
      abi: composableCowAbi,
      functionName: 'getTradeableOrderWithSignature',
      args: [owner, params, '0x', []],
    })
    expect(order).toMatchObject({ sellToken: net.addresses.weth, buyToken: net.addresses.cowToken, sellAmount: parseEther('1'), buyAmount: 100n })
    expect(BigInt(order.validTo)).toBe(t0 + 3600n - 1n)
  })

  test('behavior: createTwap with createWithContext starts a t0 = 0 TWAP at the creation block', async () => {
    // A contract owner: ComposableCoW, as the real one, reverts a poll for an owner without code.
    await net.client.request({ method: 'anvil_setCode', params: [owner, forwarderOwnerRuntime] } as never)
    const { receipt, params, orderHash } = await net.createTwap({ owner, params: twap(0n), mode: 'createWithContext', ...mined })
    const created = (await net.client.getBlock({ blockNumber: receipt!.blockNumber })).timestamp
    const cabinet = await net.client.readContract({ address: net.addresses.composableCow, abi: composableCowAbi, functionName: 'cabinet', args: [owner, orderHash] })
    expect(BigInt(cabinet)).toBe(created)
    const [order] = await net.client.readContract({
      address: net.addresses.composableCow,
      abi: composableCowAbi,
      functionName: 'getTradeableOrderWithSignature',
      args: [owner, params, '0x', []],
    })
    expect(BigInt(order.validTo)).toBe(created + 3600n - 1n)
  })

  test('behavior: createTwap without dispatch emits nothing but authorises the order', async () => {
    const { receipt, orderHash } = await net.createTwap({ owner, params: twap(1n), dispatch: false, ...mined })
    expect(parseEventLogs({ abi: composableCowAbi, logs: receipt!.logs, eventName: 'ConditionalOrderCreated' })).toHaveLength(0)
    expect(await net.client.readContract({ address: net.addresses.composableCow, abi: composableCowAbi, functionName: 'singleOrders', args: [owner, orderHash] })).toBe(true)
  })

  test('behavior: placeEthFlowOrder emits OrderPlacement, records orders(hash) and returns the UID', async () => {
    const validTo = Number(await latestTimestamp()) + 3600
    const order = {
      buyToken: net.addresses.cowToken,
      receiver: owner,
      sellAmount: parseEther('0.1'),
      buyAmount: 5n,
      appData: zeroHash,
      feeAmount: 0n,
      validTo,
      partiallyFillable: false,
      quoteId: 7n,
    }
    const { receipt, orderHash, orderUid } = await net.placeEthFlowOrder({ sender: owner, order, ...mined })
    const log = receipt!.logs.find((entry) => entry.address.toLowerCase() === net.addresses.ethFlow.toLowerCase())
    const event = decodeEventLog({ abi: ethFlowAbi, eventName: 'OrderPlacement', data: log!.data, topics: log!.topics })
    expect(event.args.sender).toBe(owner)
    expect(event.args.order).toMatchObject({ sellToken: net.addresses.weth, sellAmount: parseEther('0.1'), validTo: 0xffffffff })
    expect(event.args.data).toBe(concatHex([numberToHex(7n, { size: 8 }), numberToHex(validTo, { size: 4 })]))
    const [recordedOwner, recordedValidTo] = await net.client.readContract({ address: net.addresses.ethFlow, abi: ethFlowAbi, functionName: 'orders', args: [orderHash] })
    expect(recordedOwner).toBe(owner)
    expect(recordedValidTo).toBe(validTo)
    expect(orderUid).toBe(concatHex([orderHash, net.addresses.ethFlow, '0xffffffff']))
    expect(await net.client.getBalance({ address: net.addresses.ethFlow })).toBe(parseEther('0.1'))
  })

  test('behavior: a reverting write names the helper in its DevnetError', async () => {
    const order = { buyToken: net.addresses.cowToken, receiver: owner, sellAmount: 0n, buyAmount: 1n, appData: zeroHash, feeAmount: 0n, validTo: 2_000_000_000, partiallyFillable: false, quoteId: 0n }
    await expect(net.placeEthFlowOrder({ sender: owner, order, ...mined })).rejects.toThrow(/placeEthFlowOrder was refused/)
  })
})
