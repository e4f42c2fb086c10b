import { gpv2OrderComponents } from './gpv2.ts'

/** CoWSwapEthFlow `OrderPlacement(address indexed sender, GPv2Order.Data order, OnchainSignature signature, bytes data)`. */
export const orderPlacementEvent = {
  type: 'event',
  name: 'OrderPlacement',
  inputs: [
    { name: 'sender', type: 'address', indexed: true },
    { name: 'order', type: 'tuple', indexed: false, components: gpv2OrderComponents },
    {
      name: 'signature',
      type: 'tuple',
      indexed: false,
      components: [
        { name: 'scheme', type: 'uint8' },
        { name: 'data', type: 'bytes' },
      ],
    },
    { name: 'data', type: 'bytes', indexed: false },
  ],
} as const

/** CoWSwapEthFlow `OrderInvalidation(bytes orderUid)`. */
export const orderInvalidationEvent = {
  type: 'event',
  name: 'OrderInvalidation',
  inputs: [{ name: 'orderUid', type: 'bytes', indexed: false }],
} as const

/** CoWSwapEthFlow `OrderRefund(bytes orderUid, address indexed refunder)`. */
export const orderRefundEvent = {
  type: 'event',
  name: 'OrderRefund',
  inputs: [
    { name: 'orderUid', type: 'bytes', indexed: false },
    { name: 'refunder', type: 'address', indexed: true },
  ],
} as const

/** The EthFlow events, as one array for viem's `abi` parameters. */
export const ethFlowEventsAbi = [orderPlacementEvent, orderInvalidationEvent, orderRefundEvent] as const
