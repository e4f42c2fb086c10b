import { parseArgs } from 'node:util'
import { isAddress, type Address } from 'viem'
import { ConfigError } from '../../engine/errors/config.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { followEthFlow, type EthFlowFollower } from './followEthFlow.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'
import { writeRecordFile } from './recordJsonLines.ts'
import { createChainReader } from './createChainReader.ts'
import { ORDER_CHECK_NAMES } from './orderChecks.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export const orderbookStubUsage = `shepherd orderbook-stub [options]: serve the CoW orderbook stub on 127.0.0.1

  --port N                 port (default 0: any free port; the base URL is printed)
  --chain-id N             chain id of the order UID domain (default 11155111)
  --settlement ADDRESS     verifyingContract of the UID domain (default GPv2Settlement)
  --seed N                 seed of fault rates and latency draws (default 1)
  --latency-ms N           fixed latency added to every answer
  --fail-rate R --fail-status S   answer S to a fraction R of requests
  --rpc-url URL            the node to read: EthFlow OrderPlacement logs are indexed from it and the
                           chain checks run against it (signatures by EIP-1271, presignatures, validTo
                           against the head's timestamp, balance, allowance, transfer simulation);
                           without it those checks cannot run (the record marks posts "unchecked")
  --checks-off LIST        turn off order checks, comma-separated (signature, eip1271, presign, validTo,
                           balance, allowance, transferSimulation, sellTokenSource, buyTokenDestination,
                           nonZeroFee, bannedUser, unsupportedToken, appDataSigner, limitOrderCount,
                           gasLimit); strict by default
  --banned-users LIST      owners/receivers refused 403 Forbidden, comma-separated addresses (default none)
  --unsupported-tokens LIST  tokens refused UnsupportedToken, comma-separated addresses (default none)
  --max-limit-orders N     open limit orders per owner before TooManyLimitOrders (default 10)
  --max-gas-per-order N    quote plus hooks gas before TooMuchGas (default 8000000)
  --vault-relayer A        GPv2VaultRelayer (default 0xC92E8bdf79f0507f65a392b0ab4667716BFE0110)
  --ethflow-address A      EthFlow contract (default 0xba3cb449bd2b4adddbc894d8697f5170800eadec)
  --indexing-delay-ms N    delay before an indexed EthFlow order is visible (default 0)
  --miss-rate R            fraction of EthFlow orders never indexed (default 0)
  --poll-interval-ms N     EthFlow log poll interval (default 250)
  --from-block N           first block to index (default 0)
  --record-file PATH       write the record (every request, its answer and when) as JSON lines to
                           PATH at exit and on SIGUSR2 (the whole record each time)

The record is also served while it runs: GET <base URL>/__shepherd/record[?since=<seq>] (JSON lines).`

export type OrderbookStubCommandOptions = {
  /** Stops the command (tests); otherwise SIGINT/SIGTERM do. */
  signal?: AbortSignal
  /** Where the base URL line goes. Default console.log. */
  print?: (line: string) => void
}

/**
 * `shepherd orderbook-stub`: serves a stub over HTTP until SIGINT/SIGTERM (or `signal`), then
 * closes it and resolves to exit code 0. Bad options throw a ConfigError (exit code 2). The record
 * is served on `GET /__shepherd/record` and, with `--record-file`, dumped as JSON lines on SIGUSR2
 * and at exit, so whoever points their own bot at the stub can judge it.
 *
 * @example
 * process.exitCode = await orderbookStubCommand(['--port', '8080', '--rpc-url', 'http://127.0.0.1:8545'])
 */
export async function orderbookStubCommand(argv: string[], options: OrderbookStubCommandOptions = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'chain-id': { type: 'string' },
      settlement: { type: 'string' },
      seed: { type: 'string' },
      'latency-ms': { type: 'string' },
      'fail-rate': { type: 'string' },
      'fail-status': { type: 'string' },
      'rpc-url': { type: 'string' },
      'ethflow-address': { type: 'string' },
      'indexing-delay-ms': { type: 'string' },
      'miss-rate': { type: 'string' },
      'poll-interval-ms': { type: 'string' },
      'from-block': { type: 'string' },
      'record-file': { type: 'string' },
      'checks-off': { type: 'string' },
      'vault-relayer': { type: 'string' },
      'banned-users': { type: 'string' },
      'unsupported-tokens': { type: 'string' },
      'max-limit-orders': { type: 'string' },
      'max-gas-per-order': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const print = options.print ?? ((line: string) => console.log(line))
  if (values.help) {
    print(orderbookStubUsage)
    return 0
  }
  const failRate = number(values['fail-rate'], '--fail-rate', 'a fraction in [0, 1]', (n) => n >= 0 && n <= 1)
  const latencyMs = number(values['latency-ms'], '--latency-ms', 'milliseconds >= 0', (n) => n >= 0)
  const settlement = address(values.settlement, '--settlement')
  const checksOff = values['checks-off'] === undefined ? [] : values['checks-off'].split(',').map((name) => name.trim()).filter((name) => name !== '')
  for (const name of checksOff) {
    if (!(ORDER_CHECK_NAMES as readonly string[]).includes(name)) throw usage('--checks-off', `check names from ${ORDER_CHECK_NAMES.join(', ')}`, name)
  }
  const list = (value: string | undefined, flag: string) =>
    value === undefined ? undefined : value.split(',').map((a) => a.trim()).filter((a) => a !== '').map((a) => address(a, flag)!)
  const count = (value: string | undefined, flag: string) => number(value, flag, 'a non-negative integer', (n) => Number.isSafeInteger(n) && n >= 0)
  const policy = {
    ...(values['banned-users'] !== undefined ? { bannedUsers: list(values['banned-users'], '--banned-users') } : {}),
    ...(values['unsupported-tokens'] !== undefined ? { unsupportedTokens: list(values['unsupported-tokens'], '--unsupported-tokens') } : {}),
    ...(values['max-limit-orders'] !== undefined ? { maxLimitOrdersPerUser: count(values['max-limit-orders'], '--max-limit-orders') } : {}),
    ...(values['max-gas-per-order'] !== undefined ? { maxGasPerOrder: count(values['max-gas-per-order'], '--max-gas-per-order') } : {}),
  }
  const rpcUrl = values['rpc-url']
  const stub = createOrderbookStub({
    chainId: number(values['chain-id'], '--chain-id', 'a positive integer', (n) => Number.isInteger(n) && n > 0),
    settlement,
    ...(rpcUrl ? { chain: createChainReader({ rpcUrl, ...(settlement ? { settlement } : {}), ...(values['vault-relayer'] ? { vaultRelayer: address(values['vault-relayer'], '--vault-relayer') } : {}) }) } : {}),
    seed: number(values.seed, '--seed', 'an integer', Number.isInteger),
    knobs: {
      ...(checksOff.length > 0 ? { checks: Object.fromEntries(checksOff.map((name) => [name, false])) } : {}),
      ...(Object.keys(policy).length > 0 ? { policy } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(failRate !== undefined
        ? { failRate: { rate: failRate, status: number(values['fail-status'], '--fail-status', 'an HTTP status', (n) => Number.isInteger(n) && n >= 0 && n < 600) ?? 500 } }
        : {}),
    },
  })
  const port = number(values.port, '--port', 'a port number', (n) => Number.isInteger(n) && n >= 0 && n < 65536) ?? 0
  const recordFile = values['record-file']
  if (recordFile !== undefined) {
    // Written once now, so a path that cannot be written fails at start, not at exit.
    try {
      writeRecordFile([], recordFile)
    } catch (error) {
      throw usage('--record-file', 'a writable file path', `${recordFile} (${errorMessage(error)})`)
    }
  }
  const dumpRecord = () => {
    if (recordFile === undefined) return
    try {
      writeRecordFile(stub.record.entries, recordFile)
    } catch (error) {
      console.error(`shepherd orderbook-stub: could not write the record to ${recordFile}: ${errorMessage(error)}`)
    }
  }
  const server = await serveOrderbookStub(stub, { port })
  let follower: EthFlowFollower | undefined
  if (values['rpc-url']) {
    const fromBlock = values['from-block']
    if (fromBlock !== undefined && !/^\d+$/.test(fromBlock)) throw usage('--from-block', 'a block number', fromBlock)
    follower = followEthFlow(stub, {
      rpcUrl: values['rpc-url'],
      ethFlowAddress: address(values['ethflow-address'], '--ethflow-address'),
      indexingDelayMs: number(values['indexing-delay-ms'], '--indexing-delay-ms', 'milliseconds >= 0', (n) => n >= 0),
      missRate: number(values['miss-rate'], '--miss-rate', 'a fraction in [0, 1]', (n) => n >= 0 && n <= 1),
      pollIntervalMs: number(values['poll-interval-ms'], '--poll-interval-ms', 'milliseconds > 0', (n) => n > 0),
      ...(fromBlock !== undefined ? { fromBlock: BigInt(fromBlock) } : {}),
    })
  }
  print(server.baseUrl)
  const chainChecks = stub.chainChecks()
  // On stderr, so the first stdout line stays the base URL a script reads.
  if (chainChecks.unchecked.length > 0) console.error(`shepherd orderbook-stub: no --rpc-url: these checks cannot run and orders are accepted without them: ${chainChecks.unchecked.join(', ')}`)
  if (recordFile !== undefined) process.on('SIGUSR2', dumpRecord)
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      options.signal?.removeEventListener('abort', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    if (options.signal?.aborted) done()
    else options.signal?.addEventListener('abort', done)
  })
  process.off('SIGUSR2', dumpRecord)
  await follower?.stop()
  await server.close()
  dumpRecord()
  return 0
}

function usage(key: string, expected: string, found: string): ConfigError {
  return new ConfigError(`Bad option ${key}`, { file: 'command line', key, expected, found, hint: orderbookStubUsage })
}

function number(value: string | undefined, key: string, expected: string, ok: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw usage(key, expected, value)
  return n
}

function address(value: string | undefined, key: string): Address | undefined {
  if (value === undefined) return undefined
  if (!isAddress(value, { strict: false })) throw usage(key, 'a 20-byte hex address', value)
  return value
}
