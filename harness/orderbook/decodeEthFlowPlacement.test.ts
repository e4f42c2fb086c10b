import { describe, expect, test } from 'vitest'
import { encodeAbiParameters, keccak256, stringToBytes, toEventSelector } from 'viem'
import { orderDomain } from './computeStubOrderUid.ts'
import { decodeEthFlowPlacement, ETH_FLOW_ADDRESS, ORDER_PLACEMENT_TOPIC, orderPlacementEvent } from './decodeEthFlowPlacement.ts'
import { ETH_FLOW, expectedUid, order, placementLog, USER } from './ethFlowTestVectors.ts'

describe('decodeEthFlowPlacement', () => {
  test('behavior: the event ABI has the topic0 of protocol-facts.md', () => {
    expect(toEventSelector(orderPlacementEvent)).toBe(ORDER_PLACEMENT_TOPIC)
    expect(ETH_FLOW_ADDRESS).toBe(ETH_FLOW.toLowerCase())
  })

  test('behavior: decodes a hand-built log and computes the UID with owner = EthFlow, validTo = 0xffffffff', () => {
    const placement = decodeEthFlowPlacement(placementLog(), orderDomain(11155111))
    expect(placement.uid).toBe(expectedUid())
    expect(placement).toMatchObject({
      owner: ETH_FLOW,
      sender: USER,
      quoteId: -7n,
      userValidTo: 1_900_000_123,
      signingScheme: 'eip1271',
      signature: ETH_FLOW.toLowerCase(),
      blockNumber: 5n,
      fields: { kind: 'sell', sellAmount: order.sellAmount, validTo: 0xffffffff, sellTokenBalance: 'erc20' },
    })
  })

  test('behavior: refuses a log with an unknown kind marker or short data', () => {
    const log = placementLog()
    const [, ...dataParams] = orderPlacementEvent.inputs
    const badKind = { ...log, data: encodeAbiParameters(dataParams, [{ ...order, kind: keccak256(stringToBytes('swap')) }, { scheme: 0, data: ETH_FLOW }, '0x00']) }
    expect(() => decodeEthFlowPlacement(badKind, orderDomain(11155111))).toThrow(/unknown kind/)
    const shortData = { ...log, data: encodeAbiParameters(dataParams, [order, { scheme: 0, data: ETH_FLOW }, '0x0102']) }
    expect(() => decodeEthFlowPlacement(shortData, orderDomain(11155111))).toThrow(/12|int64/)
  })
})

