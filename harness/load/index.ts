// The load generator's public surface, by explicit names (no `export *`).
export { loadCommand, loadSummary, bigintReplacer, type LoadCommandOptions } from './loadCommand.ts'
export { runLoad } from './runLoad.ts'
export { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions, type LoadAddresses, type LoadTwapShape } from './loadOptions.ts'
export { parseLoadArgs, loadUsage, type ParsedLoadArgs } from './parseLoadArgs.ts'
export { buildTwapCreate, buildEthFlowCreate, deriveSenders, twapSalt, emptyAppDataHash } from './buildLoadTx.ts'
export type { LoadResult, LoadCounts, LoadSenderCounts, CreatedTwap, CreatedEthFlowOrder, LoadTx, LoadTxKind, LoadTxStatus } from './loadTypes.ts'
export { buildLoadAppData, pickLoadAppData, registerLoadAppData, type LoadAppDataDocument, type RegisterLoadAppDataParameters } from './loadAppData.ts'
