/**
 * @packageDocumentation
 * `shepherd/sdk/testing`: fast-check arbitraries (orders, TWAPs, poll answers, chain events) and fixtures for testing modules. Test code only: it needs fast-check.
 *
 * @module shepherd/sdk/testing
 */
// `shepherd/sdk/testing`: fast-check arbitraries and fixtures for testing modules. Test code only:
// it needs fast-check, which a module's runtime never loads. Explicit names, no `export *`.

// Orders and the orderbook's POST body.
export { addresses, decodedOrders, gpv2Orders, hexBytes, orderCreations, uint256 } from './orderArbitraries.ts'
export type { GPv2OrdersParameters, OrderCreationSample } from './orderArbitraries.ts'

// TWAPs within (and just outside) the handler's rules.
export { invalidTwapStaticInputs, twapStaticInputs } from './twapArbitraries.ts'
export type { TwapInvalidReason, TwapStaticInputsParameters } from './twapArbitraries.ts'

// Every answer a poll can give, with the outcome the SDK must read.
export { garbagePollAnswers, orderAnswers, pollAnswers, pollErrorAnswers } from './pollAnswerArbitraries.ts'
export type { PollAnswer } from './pollAnswerArbitraries.ts'
export { POLL_ERROR_NAMES, canonicalOrderResults, canonicalPollErrors, nonCanonicalOrderResults, nonCanonicalPollErrors } from './nonCanonical.ts'

// Chain events as the engine delivers them (`ModuleLog`), with their decoded values.
export { conditionalOrderCreatedLogs, ethFlowPlacementLogs, tradeLogs, twapCreatedLogs } from './chainEventArbitraries.ts'
export type { ConditionalOrderCreatedLogsParameters, LogPlacementParameters, LogSample, Trade } from './chainEventArbitraries.ts'
export { SEPOLIA_CHAIN_ID, protocolAddresses } from './protocolAddresses.ts'

// A programmable Chainlink feed on MockHost (price-alert, stop-loss).
export { FEED, T0, blockAt, encodeRound, programFeed } from './chainlinkFeed.ts'
