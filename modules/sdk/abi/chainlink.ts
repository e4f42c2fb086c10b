/** Chainlink aggregator `AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)`. */
export const answerUpdatedEvent = {
  type: 'event',
  name: 'AnswerUpdated',
  inputs: [
    { name: 'current', type: 'int256', indexed: true },
    { name: 'roundId', type: 'uint256', indexed: true },
    { name: 'updatedAt', type: 'uint256', indexed: false },
  ],
} as const

/** Chainlink `latestRoundData()` and `decimals()`. */
export const chainlinkAggregatorAbi = [
  answerUpdatedEvent,
  {
    type: 'function',
    name: 'latestRoundData',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      { name: 'roundId', type: 'uint80' },
      { name: 'answer', type: 'int256' },
      { name: 'startedAt', type: 'uint256' },
      { name: 'updatedAt', type: 'uint256' },
      { name: 'answeredInRound', type: 'uint80' },
    ],
  },
  { type: 'function', name: 'decimals', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint8' }] },
] as const
