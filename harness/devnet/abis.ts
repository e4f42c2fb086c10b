import { parseAbi } from 'viem'

// The protocol's public interfaces as the real contracts expose them (protocol-facts.md), so the
// helpers work the same against our doubles and against a fork of the real chain.

/** GPv2Settlement (the parts the harness uses). */
export const gpv2SettlementAbi = parseAbi([
  'function domainSeparator() view returns (bytes32)',
  'function vaultRelayer() view returns (address)',
  'function authenticator() view returns (address)',
  'function setPreSignature(bytes orderUid, bool signed)',
  'function preSignature(bytes orderUid) view returns (uint256)',
  'function filledAmount(bytes orderUid) view returns (uint256)',
  'event PreSignature(address indexed owner, bytes orderUid, bool signed)',
])

/** GPv2AllowListAuthentication. */
export const gpv2AllowListAbi = parseAbi([
  'function manager() view returns (address)',
  'function addSolver(address solver)',
  'function isSolver(address prospectiveSolver) view returns (bool)',
])

/** ComposableCoW. */
export const composableCowAbi = parseAbi([
  'struct ConditionalOrderParams { address handler; bytes32 salt; bytes staticInput; }',
  'struct GPv2OrderData { address sellToken; address buyToken; address receiver; uint256 sellAmount; uint256 buyAmount; uint32 validTo; bytes32 appData; uint256 feeAmount; bytes32 kind; bool partiallyFillable; bytes32 sellTokenBalance; bytes32 buyTokenBalance; }',
  'event ConditionalOrderCreated(address indexed owner, ConditionalOrderParams params)',
  'function create(ConditionalOrderParams params, bool dispatch)',
  'function createWithContext(ConditionalOrderParams params, address factory, bytes data, bool dispatch)',
  'function remove(bytes32 singleOrderHash)',
  'function singleOrders(address owner, bytes32 hash) view returns (bool)',
  'function cabinet(address owner, bytes32 key) view returns (bytes32)',
  'function hash(ConditionalOrderParams params) pure returns (bytes32)',
  'function domainSeparator() view returns (bytes32)',
  'function getTradeableOrderWithSignature(address owner, ConditionalOrderParams params, bytes offchainInput, bytes32[] proof) view returns (GPv2OrderData order, bytes signature)',
])

/** CoWSwapEthFlow. */
export const ethFlowAbi = parseAbi([
  'struct EthFlowOrder { address buyToken; address receiver; uint256 sellAmount; uint256 buyAmount; bytes32 appData; uint256 feeAmount; uint32 validTo; bool partiallyFillable; int64 quoteId; }',
  'struct GPv2OrderData { address sellToken; address buyToken; address receiver; uint256 sellAmount; uint256 buyAmount; uint32 validTo; bytes32 appData; uint256 feeAmount; bytes32 kind; bool partiallyFillable; bytes32 sellTokenBalance; bytes32 buyTokenBalance; }',
  'struct OnchainSignature { uint8 scheme; bytes data; }',
  'event OrderPlacement(address indexed sender, GPv2OrderData order, OnchainSignature signature, bytes data)',
  'function createOrder(EthFlowOrder order) payable returns (bytes32 orderHash)',
  'function invalidateOrder(EthFlowOrder order)',
  'function orders(bytes32 orderHash) view returns (address owner, uint32 validTo)',
])

/** Chainlink aggregator (read surface of the real feed, plus our double's setter). */
export const chainlinkAggregatorAbi = parseAbi([
  'event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)',
  'function decimals() view returns (uint8)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function setAnswer(int256 answer)',
])

/** WETH9. */
export const weth9Abi = parseAbi([
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function balanceOf(address) view returns (uint256)',
  'function allowance(address, address) view returns (uint256)',
  'function deposit() payable',
  'function approve(address guy, uint256 wad) returns (bool)',
])

/** Minimal ERC20. */
export const erc20Abi = parseAbi([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function balanceOf(address owner) view returns (uint256)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
])
