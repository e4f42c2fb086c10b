import '../../engine/polyfills.ts'
import { Instance } from 'prool'
import type { Hex } from 'viem'
import { devnetChainId, sepoliaAddresses, type SepoliaAddresses } from './addresses.ts'
import { createDevnetClient, type DevnetClient } from './createDevnetClient.ts'
import { deployProtocol } from './deployProtocol.ts'
import { DevnetError } from './DevnetError.ts'
import { findFreePort, isPortFree } from './findFreePort.ts'
import { bindHelpers, type DevnetHelpers } from './helpers/bindHelpers.ts'
import type { MiningMode } from './helpers/miningMode.ts'
import { resolveAnvilBinary } from './resolveAnvilBinary.ts'
import { createAnvilCacheDir } from './anvilCacheDir.ts'
import { isProcessAlive, trackChildProcess } from './trackChildProcess.ts'
import { waitForRpc } from './waitForRpc.ts'
import { assertBlockSeconds, setBlockSeconds } from './helpers/setBlockSeconds.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type StartDevnetParameters = {
  /**
   * Chain id of the devnet. Default 11155111 (Sepolia). Any other id (e.g. 100, Gnosis Chain) gets
   * the protocol at the same addresses (the real deployments share them across chains); the GPv2
   * domain separator then follows that chain id, as on the real chain.
   */
  chainId?: number | undefined
  /** Interval mining, in seconds (0.5 works). Undefined: manual mining (`--no-mining`), blocks only on `mine()`. */
  blockTime?: number | undefined
  /**
   * Chain seconds each block carries after its parent, whatever the wall time between blocks
   * (`setBlockSeconds`, set once the protocol is deployed). E.g. 12, as on mainnet and Sepolia, with
   * `blockTime: 1`: chain time runs 12x faster than the wall. Default: Anvil's own (wall time).
   */
  blockSeconds?: number | undefined
  /** Fork a chain instead of deploying the protocol: the real contracts are used. */
  fork?: { url: string; blockNumber?: bigint } | undefined
  /** Block gas limit. Anvil's default is 30M; ~300M lets one block hold ~3,000 load txs. */
  gasLimit?: bigint | undefined
  /** Base fee of the first block. Default 0, so it stays 0 and no accepted tx is ever evicted for its fee cap. */
  baseFee?: bigint | undefined
  /** Default: a free port picked on 127.0.0.1. */
  port?: number | undefined
  /** How long Anvil may take to listen, and to stop. Default 10 s (prool would wait forever). */
  timeoutMs?: number | undefined
  /** Deploy the protocol at its Sepolia addresses. Default true; ignored (nothing deployed) when forking. */
  deploy?: boolean | undefined
  /** Run Anvil with `--silent` (no log line per request piped into Node). Default true. */
  silent?: boolean | undefined
  /** Where the `devnet ready in N ms` line goes. Default console.info; pass `() => {}` to mute it. */
  log?: ((message: string) => void) | undefined
}

/** A running devnet: its URLs, client, lifecycle, state controls and the bound helpers. */
export type Devnet = DevnetHelpers & {
  rpcUrl: string
  wsUrl: string
  /** The devnet's chain id (11155111 unless `chainId` was given). */
  chainId: number
  port: number
  /** PID of the Anvil child, for checks that it is gone after `stop()`. */
  pid: number
  /**
   * The directory Anvil writes older blocks' states to (`--cache-path`), a `shepherd-*` directory of its own in
   * `~/.foundry/anvil/tmp`, removed by `stop()`. A supervisor that may outlive a SIGKILLed owner (the reaper) removes it too.
   */
  cachePath: string
  miningMode: MiningMode
  /** Where the protocol is (the same table when forking Sepolia). */
  addresses: SepoliaAddresses
  client: DevnetClient
  /** From the call to `startDevnet` until the protocol is deployed. */
  startedInMs: number
  /** Stops Anvil and waits for it to exit; SIGKILL if it does not. Safe to call twice. */
  stop(): Promise<void>
  /** `evm_snapshot`. Ids are single-use in Anvil: take a new one after each revert. */
  snapshot(): Promise<Hex>
  revert(id: Hex): Promise<void>
  /** `anvil_dumpState`: the whole chain state as gzip hex. */
  dumpState(): Promise<Hex>
  loadState(state: Hex): Promise<void>
  /** Recent Anvil output (empty when silent). */
  output(): readonly string[]
}

/**
 * Starts Anvil (through prool) on 127.0.0.1 with chain id 11155111 (or `chainId`) and deploys CoW
 * Protocol at its Sepolia addresses. Always `stop()` it (in `finally` / `afterAll`); a process exit hook SIGKILLs it
 * anyway if a test dies first.
 *
 * @example
 * import { startDevnet } from './startDevnet.ts'
 * const net = await startDevnet({ blockTime: 0.5 })
 * try {
 *   await net.fund('0x0000000000000000000000000000000000000001', 10n ** 18n)
 * } finally {
 *   await net.stop()
 * }
 * // a second chain beside it: Gnosis Chain's id, the protocol at the same addresses
 * const gnosis = await startDevnet({ chainId: 100, blockTime: 1 })
 * await gnosis.stop()
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  const startedAt = performance.now()
  const { blockTime, blockSeconds, fork, gasLimit, baseFee = 0n, timeoutMs = 10_000, deploy = true, silent = true, chainId = devnetChainId } = parameters
  const log = parameters.log ?? ((message: string) => console.info(message))
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new DevnetError('Invalid chainId', { details: [`found: ${chainId}`, 'expected: a positive integer, e.g. 11155111 or 100'] })
  if (blockTime !== undefined && !(blockTime > 0))
    throw new DevnetError('Invalid blockTime', { details: [`found: ${blockTime}`, 'expected: seconds > 0, or undefined for manual mining'] })
  if (blockSeconds !== undefined) assertBlockSeconds(blockSeconds)

  const binary = resolveAnvilBinary()
  // An explicit port already in use would let our readiness probe reach the other node: refuse it.
  if (parameters.port !== undefined && !(await isPortFree(parameters.port)))
    throw new DevnetError(`Port ${parameters.port} on 127.0.0.1 is already in use`, { hint: 'Leave `port` out to get a free one.' })
  const port = parameters.port ?? (await findFreePort())
  const host = '127.0.0.1'
  const rpcUrl = `http://${host}:${port}`
  const miningMode: MiningMode = blockTime === undefined ? 'manual' : 'interval'

  const cache = createAnvilCacheDir()
  const instance = Instance.anvil(
    {
      // Not in prool's types; prool turns every key into its --kebab-case flag.
      ...({ cachePath: cache.path } as object),
      binary,
      host,
      port,
      chainId,
      blockTime,
      noMining: blockTime === undefined ? true : undefined,
      gasLimit,
      blockBaseFeePerGas: baseFee,
      forkUrl: fork?.url,
      forkBlockNumber: fork?.blockNumber,
      silent: silent ? true : undefined,
    },
    { timeout: timeoutMs, messageBuffer: 50 },
  )

  const starting = instance.start()
  const child = instance._internal.process
  const pid = child.pid
  if (pid === undefined) {
    const cause = await starting.then(() => undefined, (error: unknown) => error)
    cache.remove()
    throw new DevnetError('Anvil did not spawn', { cause, output: instance.messages.get(), details: [`binary: ${binary}`] })
  }
  const untrack = trackChildProcess(pid, cache.remove)

  // `--silent` also silences the "Listening on" line prool waits for. So we probe the RPC ourselves
  // and hand prool that very line once Anvil answers: prool keeps owning status, timeout and stop.
  if (silent) {
    waitForRpc(rpcUrl, { timeoutMs, until: starting })
      .then((ready) => {
        if (ready) child.stdout?.emit('data', Buffer.from(`Listening on ${host}:${port}\n`))
      })
      .catch(() => {})
  }

  const kill = () => {
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
    cache.remove()
    untrack()
  }

  try {
    await starting
  } catch (cause) {
    const output = [...instance.messages.get()]
    kill()
    throw new DevnetError(`Anvil failed to start on ${rpcUrl}`, {
      cause,
      output,
      pid,
      details: [`binary: ${binary}`, `reason: ${errorMessage(cause)}`],
      hint: 'A port in use or a bad fork URL are the usual causes; run with `silent: false` to see all of Anvil output.',
    })
  }

  const client = createDevnetClient({ rpcUrl, wsUrl: `ws://${host}:${port}`, chainId })

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    // We signal Anvil ourselves and wait for its exit before prool's stop: prool strips the child's
    // listeners before killing it through execa, so execa never settles and leaves a 5 s
    // force-kill timer that holds the Node process open. A child already gone gets no such timer.
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
    if (isProcessAlive(pid)) process.kill(pid, 'SIGTERM')
    const timer = setTimeout(kill, timeoutMs)
    await exited
    clearTimeout(timer)
    try {
      await instance.stop()
    } catch {
      // prool's status is all that is left to update; the process is gone.
    }
    kill()
  }

  if (deploy && !fork) {
    try {
      await deployProtocol(client)
    } catch (cause) {
      const output = [...instance.messages.get()]
      await stop()
      if (cause instanceof DevnetError) throw cause
      throw new DevnetError('Deploying the protocol on the devnet failed', { cause, output, pid, details: [`rpc: ${rpcUrl}`] })
    }
  }

  if (blockSeconds !== undefined) {
    try {
      await setBlockSeconds(client, blockSeconds)
    } catch (cause) {
      await stop()
      throw new DevnetError('Setting the chain seconds per block failed', { cause, pid, details: [`rpc: ${rpcUrl}`, `blockSeconds: ${blockSeconds}`] })
    }
  }

  const startedInMs = Math.round(performance.now() - startedAt)
  log(`devnet ready in ${startedInMs} ms (${rpcUrl}, chain ${chainId}, ${miningMode === 'manual' ? 'manual mining' : `${blockTime}s blocks`}${blockSeconds !== undefined ? ` of ${blockSeconds} s chain time each` : ''}${fork ? `, fork of ${fork.url}` : ''})`)

  return {
    ...bindHelpers(client, miningMode),
    rpcUrl,
    wsUrl: `ws://${host}:${port}`,
    chainId,
    port,
    pid,
    cachePath: cache.path,
    miningMode,
    addresses: sepoliaAddresses,
    client,
    startedInMs,
    stop,
    snapshot: () => client.snapshot(),
    revert: (id: Hex) => client.revert({ id }),
    dumpState: () => client.dumpState(),
    loadState: (state: Hex) => client.loadState({ state }),
    output: () => [...instance.messages.get()],
  }
}
