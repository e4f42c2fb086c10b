import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeFunctionData, parseAbiItem } from 'viem'
import { afterAll, beforeAll } from 'vitest'
import { logEmitterArtifact } from '../../harness/contracts/artifacts/LogEmitter.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import type { ScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'

/**
 * The LogEmitter's event, as the counting and recording modules follow it.
 *
 * @example
 * const logs = await env.net.client.getLogs({ address: env.net.addresses.logEmitter, event: ping, fromBlock: first, toBlock: end })
 */
export const ping = parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)')

const sender = '0x00000000000000000000000000000000000a11ce'

export type PingDevnet = {
  readonly net: Devnet
  /** A fresh temporary folder for the engine's config and state, removed after the file. */
  readonly dir: string
  /** The engine the test started, if any: stopped after the file, before the devnet. */
  engine: ScenarioEngine | undefined
  /** Sends one transaction emitting 1-3 Ping logs (`i % 3 + 1`) and mines it into its own block. */
  mineWithPings(i: number): Promise<void>
}

/**
 * The first block a fresh engine (`start_block = "latest"`) must deliver: the pinned start + 1.
 * Call it once the engine is healthy and before anything is mined: "latest" is then the head, and
 * the engine pins the block before it as its first cursor (hash `0x`) before it delivers anything.
 * Waits for that first cursor write (up to 30 s) and checks it: still the pin, or already the head
 * block finished; either way nothing before the head is delivered, and nothing from it is skipped.
 *
 * @example
 * const first = await startOf(env.net, readState) // then: every block first..end reached the module once
 */
export async function startOf(net: Devnet, readState: () => Promise<{ cursor?: { number: bigint; hash: string } | undefined }>): Promise<bigint> {
  const head = await net.client.getBlockNumber()
  const deadline = Date.now() + 30_000
  let cursor = (await readState()).cursor
  while (cursor === undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25))
    cursor = (await readState()).cursor
  }
  if (cursor === undefined) throw new Error('the engine wrote no start cursor within 30 s')
  const pinned = cursor.hash === '0x' ? cursor.number : cursor.number - 1n
  if (pinned !== head - 1n || (cursor.hash !== '0x' && cursor.number !== head))
    throw new Error(`the engine's first cursor is block ${cursor.number} (hash ${cursor.hash}); with nothing mined since it started at head ${head}, it should be the pin ${head - 1n} (hash 0x) or the head block`)
  return pinned + 1n
}

/**
 * The setup of an Anvil test that drives a real engine over Ping logs: registers `beforeAll`
 * (a devnet in manual mining with a funded, impersonated sender, and a temporary folder) and
 * `afterAll` (the engine, then the devnet stopped, the folder removed), and returns them.
 *
 * @example
 * const env = usePingDevnet('shepherd-kill-')
 * test('...', async () => {
 *   env.engine = await startScenarioEngine({ mode: 'process', dir: env.dir, rpcUrl: env.net.wsUrl, ... })
 *   await env.mineWithPings(0)
 * })
 */
export function usePingDevnet(prefix: string): PingDevnet {
  let net: Devnet | undefined
  let dir: string | undefined
  const env: PingDevnet = {
    get net() {
      if (!net) throw new Error('usePingDevnet: the devnet starts in beforeAll; use it inside a test')
      return net
    },
    get dir() {
      if (!dir) throw new Error('usePingDevnet: the folder is made in beforeAll; use it inside a test')
      return dir
    },
    engine: undefined,
    async mineWithPings(i) {
      const devnet = env.net
      await devnet.client.sendTransaction({ account: sender, chain: null, to: devnet.addresses.logEmitter, data: encodeFunctionData({ abi: logEmitterArtifact.abi, functionName: 'emitMany', args: [BigInt((i % 3) + 1)] }) })
      await devnet.mine(1)
    },
  }
  beforeAll(async () => {
    net = await startDevnet({ log: () => {} })
    await net.fund(sender, 10n ** 20n)
    await net.impersonate(sender)
    dir = mkdtempSync(join(tmpdir(), prefix))
  })
  afterAll(async () => {
    await env.engine?.stop()
    await net?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  return env
}
