import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { createRpcChainSource } from '../chain/createRpcChainSource.ts'
import { loadConfig } from '../config/loadConfig.ts'
import { methodNotFoundAnswer } from '../errors/methodNotFoundAnswer.ts'
import { createLogger } from '../host/createLogger.ts'
import { startEngine, type Engine } from '../startEngine.ts'

// A real Anvil (chain 11155111) behind configs that name the wrong chain: the engine must stop
// that chain, say why on /healthz and in the metrics, and deliver nothing.
let net: Devnet
let dir: string
let engine: Engine | undefined
const lines: string[] = []

beforeAll(async () => {
  net = await startDevnet({ deploy: false, log: () => {} })
  await net.mine(3)
  dir = mkdtempSync(join(tmpdir(), 'shepherd-chainstop-'))
})
afterEach(async () => {
  await engine?.stop()
  engine = undefined
})
afterAll(async () => {
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function run(name: string, configuredChain: number, rpcUrl: string) {
  const file = join(dir, `${name}.toml`)
  writeFileSync(
    file,
    `[engine]\nstate_dir = "${name}-state"\n[engine.metrics]\nenabled = true\nbind = "127.0.0.1:0"\n\n[chains.${configuredChain}]\nrpc_url = "${rpcUrl}"\npoll_interval_ms = 25\nstart_block = 1\n\n` +
      `[[modules]]\nname = "counting"\npath = "${resolve('engine/testing/countingModule.ts')}"\nisolation = "in-process"\n[modules.config]\nchainId = ${configuredChain}\nemitter = "0x00000000000000000000000000000000000051e9"\n`,
  )
  engine = await startEngine({ config: loadConfig(file), logger: createLogger({ level: 'warn', write: (line) => lines.push(line) }) })
  return engine
}

async function healthzUntil(url: string, accept: (body: { ok: boolean; reasons: Array<{ check: string; reason: string }> }) => boolean) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const response = await fetch(`${url}/healthz`)
    const body = (await response.json()) as { ok: boolean; reasons: Array<{ check: string; reason: string }> }
    if (accept(body)) return { status: response.status, body }
    if (Date.now() > deadline) throw new Error(`healthz never matched: ${JSON.stringify(body)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('a config naming the wrong chain, against a real node', () => {
  test.each([
    ['http', () => net.rpcUrl],
    ['ws', () => net.wsUrl],
  ])('behavior: over %s the chain stops at start: 503 naming both chain ids, shepherd_chain_stopped 1, nothing delivered', async (_kind, url) => {
    const started = await run(`wrong-${_kind}`, 1, url())
    const { status, body } = await healthzUntil(started.metricsUrl!, (b) => b.reasons.some((r) => r.check === 'stopped'))
    expect(status).toBe(503)
    expect(body.reasons.find((r) => r.check === 'stopped')?.reason).toBe('The RPC serves chain 11155111, not the configured chain 1')
    const metrics = await (await fetch(`${started.metricsUrl}/metrics`)).text()
    expect(metrics).toContain('shepherd_chain_stopped{chain_id="1"} 1')
    expect(metrics).not.toMatch(/shepherd_blocks_processed_total\{chain_id="1"\} [1-9]/)
    expect(await started.store.forModule('counting').list('block:')).toEqual([])
    expect(lines.some((l) => l.includes('chain stopped') && l.includes('rpc_url at a node of chain 1'))).toBe(true)
  })

  test('behavior: the right chain id is healthy and delivers every block', async () => {
    const started = await run('right', 11155111, net.rpcUrl)
    const head = await net.client.getBlockNumber()
    const deadline = Date.now() + 20_000
    while ((started.status()[0]?.cursor ?? -1n) < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    const { status } = await healthzUntil(started.metricsUrl!, (b) => b.ok)
    expect(status).toBe(200)
    expect((await started.store.forModule('counting').list<number>('block:')).map(([, count]) => count)).toEqual(Array.from({ length: Number(head) }, () => 1))
    expect((await (await fetch(`${started.metricsUrl}/metrics`)).text())).toContain('shepherd_chain_stopped{chain_id="11155111"} 0')
  })

  test("behavior: Anvil's unknown-method answer is recognised over HTTP (-32601); over WebSocket it is Anvil's ambiguous -32602, left retryable", async () => {
    const answer = async (rpcUrl: string) => {
      const source = createRpcChainSource({ chainId: 11155111, rpcUrl })
      const error = await source.client.request({ method: 'eth_noSuchMethod' as 'eth_chainId' }).then(() => undefined, (e: unknown) => e)
      await source.close()
      return error
    }
    expect(methodNotFoundAnswer(await answer(net.rpcUrl))).toBe('Method not found (code -32601)')
    const overWs = await answer(net.wsUrl)
    expect(methodNotFoundAnswer(overWs)).toBeUndefined()
    expect(String((overWs as Error).message)).toContain('untagged enum EthRpcCall')
  })
})
