/**
 * @packageDocumentation
 * `shepherd/sdk`: the module SDK. `defineModule`, the Host and event types, codecs, the error taxonomy and `createMockHost`. Modules import from here only; it imports nothing of the engine.
 *
 * @module shepherd/sdk
 */
// The Shepherd module SDK: modules import from here only. Explicit names, no `export *`.

// Module definition and the Host types (owned by engine/module).
export { defineModule, resolveSubscriptions } from './module/defineModule.ts'
export type {
  AppDataDocument,
  BlockRef,
  BlockSubscription,
  ChainHost,
  ClockHost,
  CowApiFailure,
  CowApiHost,
  CowOrder,
  Host,
  LogFields,
  HealthHost,
  LogHost,
  LogSubscription,
  MetricsHost,
  ModuleContext,
  ModuleDefinition,
  ModuleLog,
  MulticallCall,
  RawLog,
  MulticallResult,
  ReadOptions,
  ReorgNotice,
  StoreHost,
  Subscriptions,
} from './module/types.ts'

// Config helpers: the zod types a module's config schema is built from.
export { zAddress, zBigint, zBytes32 } from './config/zodTypes.ts'
// Sharding watches across engine instances by owner (`shard = "i/n"`).
export { inShard, shardOf, zShard } from './config/shard.ts'
export type { Shard } from './config/shard.ts'

// Errors modules meet: the base (its `action` says retry, drop or stop), the one short-message helper.
export { ShepherdError, decideAction, findStopCause } from './errors/base.ts'
export type { ErrorAction, ShepherdErrorParameters } from './errors/base.ts'
export { errorMessage } from './errors/errorMessage.ts'
export { CowApiError, isCowApiFailure } from './errors/cowApi.ts'
export { ChainCallError, ChainRequestError, ChainUnreachableError, isChainUnreachable } from './errors/chain.ts'
export { AbiDecodeError, InvalidOrderError, LogDecodeError } from './errors/decode.ts'
export type { DecodeResult, LogDecodeErrorReason } from './errors/decode.ts'

// ABI items.
export { answerUpdatedEvent, chainlinkAggregatorAbi } from './abi/chainlink.ts'
export {
  composableCowAbi,
  conditionalOrderCreatedEvent,
  conditionalOrderParamsComponents,
  getTradeableOrderWithSignatureFunction,
  merkleRootSetEvent,
  pollErrorsAbi,
} from './abi/composableCow.ts'
export { ethFlowEventsAbi, orderInvalidationEvent, orderPlacementEvent, orderRefundEvent } from './abi/ethFlow.ts'
export { gpv2OrderComponents, setPreSignatureFunction, tradeEvent } from './abi/gpv2.ts'
export { twapStaticInputParameters } from './abi/twap.ts'

// Codecs.
export { decodeLogWith } from './codecs/decodeEventLog.ts'
export type { LogParts } from './codecs/decodeEventLog.ts'
export { decodeConditionalOrderCreated } from './codecs/decodeConditionalOrderCreated.ts'
export type { ConditionalOrderCreated, ConditionalOrderParams } from './codecs/decodeConditionalOrderCreated.ts'
export { decodeAnswerUpdated } from './codecs/decodeAnswerUpdated.ts'
export type { AnswerUpdated } from './codecs/decodeAnswerUpdated.ts'
export { decodeEthFlowPlacementData, decodeOrderInvalidation, decodeOrderPlacement, decodeOrderRefund } from './codecs/decodeEthFlowLogs.ts'
export type { EthFlowPlacementData, OrderInvalidation, OrderPlacement, OrderRefund } from './codecs/decodeEthFlowLogs.ts'
export { decodeTwapStaticInput, encodeTwapStaticInput } from './codecs/twapStaticInput.ts'
export type { TwapStaticInput } from './codecs/twapStaticInput.ts'
export {
  decodePollResult,
  decodePollReturn,
  decodePollRevert,
  encodeGetTradeableOrderWithSignature,
  pollOutcomeFromError,
} from './codecs/pollOutcome.ts'
export type { PollOutcome } from './codecs/pollOutcome.ts'
export { canonicalHex, parseRevertData } from './codecs/revertData.ts'

// Orders.
export {
  BALANCE_ERC20,
  BALANCE_EXTERNAL,
  BALANCE_INTERNAL,
  ORDER_KIND_BUY,
  ORDER_KIND_SELL,
  balanceOf,
  orderKindOf,
} from './orders/gpv2Order.ts'
export type { GPv2OrderData } from './orders/gpv2Order.ts'
export { buildOrderCreation } from './orders/buildOrderCreation.ts'
export type { BuildOrderCreationParameters } from './orders/buildOrderCreation.ts'
export { computeUid, toCowSdkOrder } from './orders/computeUid.ts'
export { keccak256, keccak256Utf8, keccakBackend, keccakReady } from './hash/keccak256.ts'
export { decodeOrderWithSignature } from './codecs/decodeOrderWithSignature.ts'
export { gpv2Domain, sepoliaDomain } from './orders/gpv2Domain.ts'
export type { Gpv2Domain } from './orders/gpv2Domain.ts'
export { ensureCowSdkAdapter } from './orders/ensureCowSdkAdapter.ts'

// Orderbook helpers.
export { EMPTY_APP_DATA_HASH, resolveAppData } from './appData.ts'
export type { ResolveAppDataReturnType } from './appData.ts'
export {
  ERROR_TYPE_POLICY,
  MAX_RETRY_AFTER_SECONDS,
  RATE_LIMIT_BACKOFF_SECONDS,
  REFUSED_BACKOFF_SECONDS,
  TRANSPORT_BACKOFF_SECONDS,
  classifyApiError,
  readApiError,
  refusalReason,
} from './classifyApiError.ts'
export type { ApiErrorAction, ApiErrorFields } from './classifyApiError.ts'
export { FINAL_ERROR_TYPES, ORDER_POST_ERROR_TYPES, cowApiErrorAction } from './orderPostErrorTypes.ts'
export {
  DEFAULT_STOP_AFTER_REFUSALS,
  FIRST_PROBE_SECONDS,
  MAX_PROBE_SECONDS,
  SUBMISSIONS_CHECK,
  submissionGate,
} from './submissions/submissionGate.ts'
export type { SubmissionGate, SubmissionGateParameters, SubmissionTicket } from './submissions/submissionGate.ts'
export { fitRetryToWindow } from './submissions/fitRetryToWindow.ts'
export type { OrderPostErrorType } from './orderPostErrorTypes.ts'

// Chainlink feeds (price-alert, stop-loss).
export { readFeedDecimals, readLatestRound } from './chainlink/readLatestRound.ts'
export type { LatestRound, ReadResult } from './chainlink/readLatestRound.ts'
export { DECIMAL_PATTERN, toFeedUnits } from './chainlink/toFeedUnits.ts'
export type { ToFeedUnitsReturnType } from './chainlink/toFeedUnits.ts'

// Failures a module meets repeatedly (polls, lookups): metered, and a health check past a streak.
export { reportFailure, reportSuccess } from './health/failureStreak.ts'
export type { ReportFailureParameters } from './health/failureStreak.ts'

// The chain's time when catching up.
export { STALE_BLOCK_SECONDS, readHeadTime } from './chain/readHeadTime.ts'
export type { ReadHeadTimeParameters, ReadHeadTimeReturnType } from './chain/readHeadTime.ts'

// Watches a module removed by its own decision, kept for an operator to list and restore.
export { REMOVED_PREFIX, listRemovedWatches, recordRemovedWatch, restoreRemovedWatch } from './store/removedWatches.ts'
export type { RemovedWatch } from './store/removedWatches.ts'

// Markers of finished work, pruned after a retention (`retainFinishedBlocks`) through a block-ordered index.
export {
  DEFAULT_RETAIN_FINISHED_BLOCKS,
  FINISHED_BLOCK_PREFIX,
  FINISHED_EPOCH_PREFIX,
  MIN_RETAIN_FINISHED_BLOCKS,
  PRUNE_PER_BLOCK,
  deleteFinishedMarker,
  finishedIndexKey,
  pruneFinished,
  setFinishedMarker,
  zRetainFinishedBlocks,
} from './store/finishedMarkers.ts'
export type { FinishedAt, PruneFinishedParameters, PruneFinishedReturnType, SetFinishedMarkerParameters } from './store/finishedMarkers.ts'

// Scheduling: every-N-block reads, a due schedule in the store, bounded concurrency.
export { isDue } from './schedule/isDue.ts'
export { DUE_BLOCK_PREFIX, DUE_EPOCH_PREFIX, DUE_MAX, dueAtOf, dueKey, takeDue } from './schedule/dueSchedule.ts'
export type { Due } from './schedule/dueSchedule.ts'
export { runBounded } from './schedule/runBounded.ts'

// Store values.
export { NotStorableError, assertStorable, parseStored, stringifyStored } from './json.ts'

// Testing.
export { createMockHost } from './mockHost.ts'
export type { CreateMockHostParameters, MockAlert, MockClock, MockFaults, MockHealth, MockHost, MockLogEntry, MockModuleError } from './mockHost.ts'
export { createMockStoreBackend } from './mockHost/mockStore.ts'
export type { MockStore, MockStoreBackend } from './mockHost/mockStore.ts'
export type { FaultHandle, FaultSpec, MockFault } from './mockHost/faults.ts'
export type { AnswerOptions, CallAnswer, CallMatcher, CallResult, MockCall, MockChain, RequestAnswer, RequestAnswerFunction } from './mockHost/mockChain.ts'
export type { CowRequestAnswer, CowRequestMatcher, GetAppDataAnswer, GetOrderAnswer, MockCowApi, SubmitAnswer } from './mockHost/mockCowApi.ts'
export type { MockOperation, MockOutcome, MockRecord, MockRecordOf } from './mockHost/records.ts'
export { MockHostError } from './mockHost/runOperation.ts'
