import { parseArgs } from 'node:util'
import { ConfigError } from '../../engine/errors/config.ts'
import type { LoadOptions } from './loadOptions.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export const loadUsage = `shepherd load [options]: drive TWAP and EthFlow load against an Anvil node

  --rpc-url URL           node to load (default http://127.0.0.1:8545); needs anvil_* methods
  --senders W             impersonated senders (default 2)
  --twap N                ComposableCoW.create calls per sender per block (default 3)
  --ethflow M             EthFlow.createOrder calls per sender per block (default 3)
  --blocks B              new blocks to send in (default 10)
  --seed S                sender addresses and salts derive from it (default shepherd-load)
  --twap-parts n          parts per TWAP (default 4)
  --twap-interval t       seconds between parts (default 5)
  --max-duration-ms MS    wall-clock bound of the sending phase (default B x 10 s + 10 s)
  --receipt-timeout-ms MS how long to wait for receipts afterwards (default 30000)
  --app-data-orderbook URL give the orders the realistic appData mix, registered at this orderbook
                          (PUT /api/v1/app_data/{hash}) first (default: every order carries "{}")
  --ethflow-validity S    EthFlow validTo = block time + S seconds (default 1800, at most 1 year)
  --eoa-owners            leave senders plain EOAs with no WETH (default: ForwarderOwner code, WETH
                          and an allowance to the vault relayer, as a strict orderbook requires)
  --quiet                 print only the final JSON summary`

/** What the command line asks for: the load options plus output flags. */
export type ParsedLoadArgs = { help: boolean; quiet: boolean; options: LoadOptions }

/**
 * Parses `shepherd load` arguments. Unknown flags and bad values throw a ConfigError naming the
 * flag, what it expects and what it got (the CLI exits 2).
 *
 * @example
 * const { options } = parseLoadArgs(['--senders', '10', '--blocks', '20'])
 */
export function parseLoadArgs(argv: string[]): ParsedLoadArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'rpc-url': { type: 'string' },
        senders: { type: 'string' },
        twap: { type: 'string' },
        ethflow: { type: 'string' },
        blocks: { type: 'string' },
        seed: { type: 'string' },
        'twap-parts': { type: 'string' },
        'twap-interval': { type: 'string' },
        'max-duration-ms': { type: 'string' },
        'receipt-timeout-ms': { type: 'string' },
        'app-data-orderbook': { type: 'string' },
        'ethflow-validity': { type: 'string' },
        'eoa-owners': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (cause) {
    throw new ConfigError('Invalid load arguments', { file: '(command line)', found: errorMessage(cause), hint: loadUsage, cause })
  }
  const rpcUrl = typeof values['rpc-url'] === 'string' ? values['rpc-url'] : 'http://127.0.0.1:8545'
  if (!/^https?:\/\/[^\s]+$/.test(rpcUrl)) throw flagError('--rpc-url', 'an http(s) URL such as http://127.0.0.1:8545', rpcUrl)
  const seed = values.seed
  if (typeof seed === 'string' && seed.length === 0) throw flagError('--seed', 'a non-empty string', '""')
  const appDataOrderbook = values['app-data-orderbook']
  if (typeof appDataOrderbook === 'string' && !/^https?:\/\/[^\s]+$/.test(appDataOrderbook)) throw flagError('--app-data-orderbook', 'the orderbook (stub) URL, e.g. http://127.0.0.1:8080', appDataOrderbook)
  const n = integer(values['twap-parts'], '--twap-parts', 2)
  const t = integer(values['twap-interval'], '--twap-interval', 1)
  const options: LoadOptions = {
    rpcUrl,
    ...defined('senders', integer(values.senders, '--senders', 1)),
    ...defined('twapPerBlock', integer(values.twap, '--twap', 0)),
    ...defined('ethFlowPerBlock', integer(values.ethflow, '--ethflow', 0)),
    ...defined('blocks', integer(values.blocks, '--blocks', 1)),
    ...defined('seed', typeof seed === 'string' ? seed : undefined),
    ...defined('maxDurationMs', integer(values['max-duration-ms'], '--max-duration-ms', 1)),
    ...defined('receiptTimeoutMs', integer(values['receipt-timeout-ms'], '--receipt-timeout-ms', 0)),
    ...(n !== undefined || t !== undefined ? { twap: { ...defined('n', n), ...defined('t', t) } } : {}),
    ...(typeof appDataOrderbook === 'string' ? { appData: { orderbookUrl: appDataOrderbook } } : {}),
    ...defined('ethFlowValiditySeconds', integer(values['ethflow-validity'], '--ethflow-validity', 1)),
    ...(values['eoa-owners'] === true ? { ownerSetup: false } : {}),
  }
  if (options.twapPerBlock === 0 && options.ethFlowPerBlock === 0) throw flagError('--twap/--ethflow', 'at least one of them above 0', '0 and 0')
  return { help: values.help === true, quiet: values.quiet === true, options }
}

function integer(value: string | boolean | undefined, flag: string, min: number): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isSafeInteger(parsed) || parsed < min) throw flagError(flag, `an integer >= ${min}`, value)
  return parsed
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function flagError(flag: string, expected: string, found: string): ConfigError {
  return new ConfigError(`Invalid ${flag}`, { file: '(command line)', key: flag, expected, found })
}
