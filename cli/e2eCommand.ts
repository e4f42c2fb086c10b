import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createPublicClient, http, isAddress, parseEther, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ConfigError } from '../engine/errors/config.ts'
import { sepoliaAddresses } from '../harness/devnet/addresses.ts'
import { errorMessage } from '../modules/sdk/errors/errorMessage.ts'
import { devnetPrivateKey } from '../scenarios/e2e/signed/devnetKey.ts'
import { runSignedE2e, type RunSignedE2eReturnType } from '../scenarios/e2e/signed/runSignedE2e.ts'
import { startE2eWorld } from '../scenarios/e2e/signed/startE2eWorld.ts'

export const e2eUsage =
  'shepherd e2e [--devnet] | --rpc-url URL --orderbook-url URL --metrics-url URL --state DIR [--out DIR] [--tracked ADDRESS] [--wait-seconds N]  (key: SHEPHERD_E2E_PRIVATE_KEY)'

/** The variable the key is read from: never a flag (shell history, process lists), never printed. */
export const e2eKeyVariable = 'SHEPHERD_E2E_PRIVATE_KEY'

/** The chain whose CoW Protocol addresses the run's actions use (ComposableCoW, EthFlow, WETH, COW). */
const supportedChainId = 11155111

const bad = (key: string, expected: string, found: string, file = '(command line)') => new ConfigError(`Bad ${key}`, { file, key, expected, found, hint: `Usage: ${e2eUsage}` })

/** Reads and checks the key from the environment; the error describes its shape, never its value. */
function readKey(env: NodeJS.ProcessEnv, required: boolean): Hex | undefined {
  const value = env[e2eKeyVariable]
  if (value === undefined || value === '') {
    if (!required) return undefined
    throw bad(e2eKeyVariable, 'a funded private key on the target chain: 0x followed by 64 hex digits', 'unset', '(environment)')
  }
  const key = value.trim()
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
    const shape = `${key.length} characters${key.startsWith('0x') ? ', starting 0x' : ', no 0x prefix'}${/^(0x)?[0-9a-fA-F]*$/.test(key) ? '' : ', non-hex characters'}`
    throw bad(e2eKeyVariable, '0x followed by 64 hex digits (32 bytes)', `${shape} (the value is not shown)`, '(environment)')
  }
  try {
    privateKeyToAccount(key as Hex)
  } catch {
    throw bad(e2eKeyVariable, 'a valid secp256k1 private key (non-zero, below the curve order)', 'a 32-byte value that is not a valid key (the value is not shown)', '(environment)')
  }
  return key as Hex
}

const isHttpUrl = (value: string) => /^https?:\/\/[^\s/]+/.test(value)

/** Checks a URL answers: a JSON-RPC node's chain id, or an HTTP route answering 2xx. */
async function checkUrls(urls: { rpcUrl: string; orderbookUrl: string; metricsUrl: string }): Promise<number> {
  for (const [flag, url] of [['--rpc-url', urls.rpcUrl], ['--orderbook-url', urls.orderbookUrl], ['--metrics-url', urls.metricsUrl]] as const)
    if (!isHttpUrl(url)) throw bad(flag, 'an http(s):// URL', JSON.stringify(url))
  let chainId: number
  try {
    chainId = await createPublicClient({ transport: http(urls.rpcUrl, { timeout: 5_000, retryCount: 0 }) }).getChainId()
  } catch (error) {
    throw bad('--rpc-url', 'a JSON-RPC node answering eth_chainId', `${urls.rpcUrl}: ${errorMessage(error).split('\n')[0]}`)
  }
  if (chainId !== supportedChainId) throw bad('--rpc-url', `a node of chain id ${supportedChainId} (Sepolia: the CoW Protocol addresses this run sends to)`, `chain id ${chainId} at ${urls.rpcUrl}`)
  for (const [flag, url, route] of [['--orderbook-url', urls.orderbookUrl, '/api/v1/version'], ['--metrics-url', urls.metricsUrl, '/metrics']] as const) {
    const base = url.replace(/\/+$/, '')
    const answer = await fetch(`${base}${route}`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => (r.ok ? undefined : `HTTP ${r.status} on GET ${route}`),
      (error: unknown) => `${errorMessage(error)}${(error as { cause?: { code?: string } }).cause?.code ? ` (${(error as { cause: { code: string } }).cause.code})` : ''}`,
    )
    if (answer !== undefined) throw bad(flag, `a server answering GET ${route} with 2xx`, `${base}: ${answer}`)
  }
  return chainId
}

/**
 * `shepherd e2e`: the signed, resumable end-to-end run. Without URLs (or with `--devnet`) it starts
 * the embedded devnet, the orderbook stub and an engine with the e2e modules, and signs with an Anvil
 * default account (or `SHEPHERD_E2E_PRIVATE_KEY` if set). With `--rpc-url`, `--orderbook-url` and
 * `--metrics-url` it is the live-testnet run against whatever those are, signed with
 * `SHEPHERD_E2E_PRIVATE_KEY`. Exit 0 PASS, 1 FAIL or runtime error, 2 bad input.
 *
 * @example
 * process.exitCode = await e2eCommand(['--rpc-url', rpc, '--orderbook-url', ob, '--metrics-url', m, '--state', 'e2e-state'], process.env)
 */
export async function e2eCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (line) => console.info(`[e2e] ${line}`)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      devnet: { type: 'boolean', default: false },
      'rpc-url': { type: 'string' },
      'orderbook-url': { type: 'string' },
      'metrics-url': { type: 'string' },
      state: { type: 'string' },
      out: { type: 'string' },
      tracked: { type: 'string' },
      'wait-seconds': { type: 'string' },
    },
    strict: true,
  })
  const urlFlags = (['rpc-url', 'orderbook-url', 'metrics-url'] as const).filter((f) => values[f] !== undefined)
  if (values.devnet && urlFlags.length) throw bad('--devnet', '--devnet alone, or all three URLs without it', `--devnet with --${urlFlags.join(', --')}`)
  if (urlFlags.length && urlFlags.length < 3) {
    const missing = (['rpc-url', 'orderbook-url', 'metrics-url'] as const).filter((f) => values[f] === undefined)
    throw bad(`--${missing[0]}`, 'all three of --rpc-url, --orderbook-url and --metrics-url (or none, for the embedded devnet)', `only --${urlFlags.join(', --')}`)
  }
  const world = urlFlags.length ? 'live' : 'devnet'
  if (values.tracked !== undefined && !isAddress(values.tracked)) throw bad('--tracked', 'an address (0x + 40 hex digits)', JSON.stringify(values.tracked))
  const waitSeconds = values['wait-seconds'] === undefined ? undefined : Number(values['wait-seconds'])
  if (waitSeconds !== undefined && !(Number.isInteger(waitSeconds) && waitSeconds > 0 && waitSeconds <= 3600)) throw bad('--wait-seconds', 'an integer from 1 to 3600', JSON.stringify(values['wait-seconds']))
  if (world === 'live' && values.state === undefined) throw bad('--state', 'a folder for the journal (reuse it to resume a run)', 'nothing')
  const key = readKey(env, world === 'live')
  // Without --state (devnet only) the journal lives in a temporary folder, removed at the end: a
  // later run starts a new devnet, which would not know its hashes anyway.
  const temporaryState = values.state === undefined ? mkdtempSync(join(tmpdir(), 'shepherd-e2e-state-')) : undefined
  const stateDir = resolve(values.state ?? temporaryState!)
  const common = { stateDir, outDir: resolve(values.out ?? 'reports'), tracked: values.tracked as Address | undefined, waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000, log }

  let outcome: RunSignedE2eReturnType
  if (world === 'live') {
    const urls = { rpcUrl: values['rpc-url']!, orderbookUrl: values['orderbook-url']!.replace(/\/+$/, ''), metricsUrl: values['metrics-url']!.replace(/\/+$/, '') }
    const chainId = await checkUrls(urls)
    const address = privateKeyToAccount(key!).address
    const balance = await createPublicClient({ transport: http(urls.rpcUrl, { timeout: 5_000 }) }).getBalance({ address })
    if (balance === 0n) throw bad(e2eKeyVariable, `a key whose address holds ETH on chain ${chainId} (the run sends ~0.02 ETH plus gas)`, `${address} holds 0 wei`, '(environment)')
    outcome = await runSignedE2e({ world, ...urls, privateKey: key!, ...common })
  } else {
    log(`devnet mode; state ${stateDir}${temporaryState ? ' (temporary)' : ''}`)
    const devnetWorld = await startE2eWorld({ log })
    try {
      const privateKey = key ?? devnetPrivateKey()
      // A real TWAP owner is a contract answering EIP-1271 (the orderbook refuses an EOA's parts): on the
      // devnet the key's address gets the ForwarderOwner runtime, WETH to sell and an allowance to the
      // vault relayer, so its parts reach a strict stub. It still signs its transactions with the key.
      await devnetWorld.devnet.prepareOwners({ owners: [privateKeyToAccount(privateKey).address], sellToken: sepoliaAddresses.weth, balance: parseEther('1') })
      outcome = await runSignedE2e({ world, rpcUrl: devnetWorld.rpcUrl, orderbookUrl: devnetWorld.orderbookUrl, metricsUrl: devnetWorld.metricsUrl, privateKey, stubRecord: () => devnetWorld.orderbook.record.entries, ...common })
    } finally {
      await devnetWorld.stop()
      if (temporaryState) rmSync(temporaryState, { recursive: true, force: true })
    }
  }
  log(`report: ${outcome.paths?.markdown}; ${outcome.result.verdict.pass ? 'PASS' : 'FAIL'}`)
  return outcome.result.verdict.pass ? 0 : 1
}
