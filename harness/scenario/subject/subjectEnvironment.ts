import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SepoliaAddresses } from '../../devnet/addresses.ts'

/** What an external subject is told about the run (the JSON file `SHEPHERD_SUBJECT_CONFIG` names). */
export type SubjectConfig = {
  /** Bumped when a field changes meaning or goes away; new fields do not bump it. */
  version: 1
  chainId: number
  rpcUrl: string
  wsUrl: string
  /** The orderbook's base URL (no trailing slash): POST `${orderbookUrl}/api/v1/orders`. */
  orderbookUrl: string
  blockTimeSeconds: number
  /** The run's temporary folder: the subject may write state there (it is deleted after the run). */
  runDir: string
  /** Every protocol contract by name, checksummed (the devnet reproduces them at their Sepolia addresses). */
  addresses: SepoliaAddresses
}

/** The protocol addresses an external subject gets as their own variables (the JSON file has them all). */
const addressVariables = {
  SHEPHERD_SETTLEMENT: 'gpv2Settlement',
  SHEPHERD_VAULT_RELAYER: 'gpv2VaultRelayer',
  SHEPHERD_COMPOSABLE_COW: 'composableCow',
  SHEPHERD_TWAP_HANDLER: 'twap',
  SHEPHERD_ETHFLOW: 'ethFlow',
  SHEPHERD_WETH: 'weth',
  SHEPHERD_MULTICALL3: 'multicall3',
} as const satisfies Record<string, keyof SepoliaAddresses>

export type WriteSubjectEnvironmentReturnType = { env: Record<string, string>; configPath: string }

/**
 * Writes `subject.json` into the run's folder and returns the `SHEPHERD_*` variables that point at
 * it and repeat its main fields (see docs/external-subject.md for the contract).
 *
 * @example
 * const { env } = writeSubjectEnvironment({ version: 1, chainId: 11155111, rpcUrl, wsUrl, orderbookUrl, blockTimeSeconds: 1, runDir: dir, addresses: sepoliaAddresses })
 * env.SHEPHERD_SUBJECT_CONFIG // '<dir>/subject.json'
 */
export function writeSubjectEnvironment(config: SubjectConfig): WriteSubjectEnvironmentReturnType {
  const configPath = join(config.runDir, 'subject.json')
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`)
  const env: Record<string, string> = {
    SHEPHERD_SUBJECT_CONFIG: configPath,
    SHEPHERD_RPC_URL: config.rpcUrl,
    SHEPHERD_WS_URL: config.wsUrl,
    SHEPHERD_ORDERBOOK_URL: config.orderbookUrl,
    SHEPHERD_CHAIN_ID: String(config.chainId),
    SHEPHERD_BLOCK_TIME_SECONDS: String(config.blockTimeSeconds),
    SHEPHERD_RUN_DIR: config.runDir,
  }
  for (const [variable, name] of Object.entries(addressVariables)) env[variable] = config.addresses[name]
  return { env, configPath }
}
