import { gpv2OrderComponents } from './gpv2.ts'

/** `IConditionalOrder.ConditionalOrderParams`: (address handler, bytes32 salt, bytes staticInput). */
export const conditionalOrderParamsComponents = [
  { name: 'handler', type: 'address' },
  { name: 'salt', type: 'bytes32' },
  { name: 'staticInput', type: 'bytes' },
] as const

/** ComposableCoW `ConditionalOrderCreated(address indexed owner, ConditionalOrderParams params)`. */
export const conditionalOrderCreatedEvent = {
  type: 'event',
  name: 'ConditionalOrderCreated',
  inputs: [
    { name: 'owner', type: 'address', indexed: true },
    { name: 'params', type: 'tuple', indexed: false, components: conditionalOrderParamsComponents },
  ],
} as const

/** ComposableCoW `MerkleRootSet(address indexed owner, bytes32 root, (uint256 location, bytes data) proof)`. */
export const merkleRootSetEvent = {
  type: 'event',
  name: 'MerkleRootSet',
  inputs: [
    { name: 'owner', type: 'address', indexed: true },
    { name: 'root', type: 'bytes32', indexed: false },
    {
      name: 'proof',
      type: 'tuple',
      indexed: false,
      components: [
        { name: 'location', type: 'uint256' },
        { name: 'data', type: 'bytes' },
      ],
    },
  ],
} as const

/** ComposableCoW `getTradeableOrderWithSignature(owner, params, offchainInput, proof)` (view). */
export const getTradeableOrderWithSignatureFunction = {
  type: 'function',
  name: 'getTradeableOrderWithSignature',
  stateMutability: 'view',
  inputs: [
    { name: 'owner', type: 'address' },
    { name: 'params', type: 'tuple', components: conditionalOrderParamsComponents },
    { name: 'offchainInput', type: 'bytes' },
    { name: 'proof', type: 'bytes32[]' },
  ],
  outputs: [
    { name: 'order', type: 'tuple', components: gpv2OrderComponents },
    { name: 'signature', type: 'bytes' },
  ],
} as const

/**
 * The custom errors a conditional order poll reverts with: the watcher turns them into scheduling
 * hints (see `decodePollRevert`).
 */
export const pollErrorsAbi = [
  { type: 'error', name: 'OrderNotValid', inputs: [{ name: 'reason', type: 'string' }] },
  { type: 'error', name: 'PollTryNextBlock', inputs: [{ name: 'reason', type: 'string' }] },
  {
    type: 'error',
    name: 'PollTryAtBlock',
    inputs: [
      { name: 'blockNumber', type: 'uint256' },
      { name: 'reason', type: 'string' },
    ],
  },
  {
    type: 'error',
    name: 'PollTryAtEpoch',
    inputs: [
      { name: 'timestamp', type: 'uint256' },
      { name: 'reason', type: 'string' },
    ],
  },
  { type: 'error', name: 'PollNever', inputs: [{ name: 'reason', type: 'string' }] },
  { type: 'error', name: 'ProofNotAuthed', inputs: [] },
  { type: 'error', name: 'SingleOrderNotAuthed', inputs: [] },
] as const

/** The ComposableCoW ABI items the SDK uses, as one array for viem's `abi` parameters. */
export const composableCowAbi = [
  conditionalOrderCreatedEvent,
  merkleRootSetEvent,
  getTradeableOrderWithSignatureFunction,
  ...pollErrorsAbi,
] as const
