import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { parseEther } from 'viem'
import { composableCowAbi } from '../harness/devnet/abis.ts'
import { sepoliaAddresses } from '../harness/devnet/addresses.ts'
import { orderPlacementEvent } from '../harness/orderbook/decodeEthFlowPlacement.ts'
import { privateKeyToAccount } from 'viem/accounts'
import { findFreePort } from '../harness/devnet/findFreePort.ts'
import { e2eModules } from '../scenarios/e2e/triggers.ts'
import { devnetPrivateKey } from '../scenarios/e2e/signed/devnetKey.ts'
import type { SignedResult } from '../scenarios/e2e/signed/renderSignedReport.ts'
import { startE2eWorld, type E2eWorld } from '../scenarios/e2e/signed/startE2eWorld.ts'
import { signedAppData, type SignedAppData } from '../scenarios/e2e/signed/signedAppData.ts'
import { main } from './main.ts'

const dirs: string[] = []
const fresh = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `shepherd-e2e-cli-${name}-`))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
afterEach(() => vi.unstubAllEnvs())

/** Runs `shepherd e2e ...` in process; resolves to the exit code and everything printed. */
async function shepherdE2e(args: string[], key: string | undefined) {
  vi.stubEnv('SHEPHERD_E2E_PRIVATE_KEY', key)
  const printed: string[] = []
  const capture = (...parts: unknown[]) => void printed.push(parts.map(String).join(' '))
  const spies = [vi.spyOn(console, 'error').mockImplementation(capture), vi.spyOn(console, 'info').mockImplementation(capture), vi.spyOn(console, 'log').mockImplementation(capture)]
  try {
    return { code: await main(['e2e', ...args]), output: printed.join('\n') }
  } finally {
    spies.forEach((s) => s.mockRestore())
  }
}

const readReport = (out: string): SignedResult => JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as SignedResult

describe('bad input: exit 2, naming the flag or variable, what was expected and what was found', () => {
  let chainOne: Server
  let chainOneUrl: string
  beforeAll(async () => {
    // A JSON-RPC stand-in on another chain: it answers eth_chainId with 1 (mainnet).
    chainOne = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: number }
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x1' }))
      })
    })
    const port = await findFreePort()
    await new Promise<void>((r) => chainOne.listen(port, '127.0.0.1', r))
    chainOneUrl = `http://127.0.0.1:${port}`
  })
  afterAll(() => new Promise<void>((r) => chainOne.close(() => r())))

  const urls = (rpc: string, orderbook = 'http://127.0.0.1:9', metrics = 'http://127.0.0.1:9') => ['--rpc-url', rpc, '--orderbook-url', orderbook, '--metrics-url', metrics, '--state', fresh('bad')]
  const goodKey = devnetPrivateKey(5)

  test('missing key', async () => {
    const { code, output } = await shepherdE2e(urls(chainOneUrl), undefined)
    expect(code).toBe(2)
    expect(output).toMatch(/key: SHEPHERD_E2E_PRIVATE_KEY[\s\S]*expected: .*0x followed by 64 hex digits[\s\S]*found: unset/)
  })
  test('malformed key: its shape is described, its value never printed', async () => {
    const secret = `0x${'z'.repeat(10)}${'a'.repeat(54)}`
    const { code, output } = await shepherdE2e(urls(chainOneUrl), secret)
    expect(code).toBe(2)
    expect(output).toMatch(/key: SHEPHERD_E2E_PRIVATE_KEY[\s\S]*found: 66 characters, starting 0x, non-hex characters \(the value is not shown\)/)
    expect(output).not.toContain(secret)
  })
  test('wrong chain', async () => {
    const { code, output } = await shepherdE2e(urls(chainOneUrl), goodKey)
    expect(code).toBe(2)
    expect(output).toMatch(/key: --rpc-url[\s\S]*expected: a node of chain id 11155111[\s\S]*found: chain id 1 at/)
    expect(output).not.toContain(goodKey)
  })
  test('unreachable RPC', async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`
    const { code, output } = await shepherdE2e(urls(closed), goodKey)
    expect(code).toBe(2)
    expect(output).toMatch(/key: --rpc-url[\s\S]*expected: a JSON-RPC node answering eth_chainId[\s\S]*found: http:\/\/127\.0\.0\.1:\d+: /)
  })
  test('only some of the URLs', async () => {
    const { code, output } = await shepherdE2e(['--rpc-url', chainOneUrl, '--state', fresh('bad')], goodKey)
    expect(code).toBe(2)
    expect(output).toMatch(/key: --orderbook-url[\s\S]*found: only --rpc-url/)
  })
  test('no --state for a live run', async () => {
    const { code, output } = await shepherdE2e(['--rpc-url', chainOneUrl, '--orderbook-url', chainOneUrl, '--metrics-url', chainOneUrl], goodKey)
    expect(code).toBe(2)
    expect(output).toMatch(/key: --state[\s\S]*found: nothing/)
  })
})

describe('the live path against local stand-ins (devnet, stub and engine started apart, passed by URL)', () => {
  let world: E2eWorld
  let appData: SignedAppData
  beforeAll(async () => {
    appData = await signedAppData({ world: 'live' })
    // The engine a user would run next to a live run: balance-tracker watches the tracked address with a threshold below the 0.01 ETH sent.
    const modules = e2eModules.map((m) => (m.name === 'balance-tracker' ? { ...m, config: { ...m.config, threshold: parseEther('0.005').toString() } } : m))
    world = await startE2eWorld({ modules })
  })
  afterAll(async () => world?.stop())

  test('an unreachable orderbook is bad input naming --orderbook-url', async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`
    const { code, output } = await shepherdE2e(['--rpc-url', world.rpcUrl, '--orderbook-url', closed, '--metrics-url', world.metricsUrl, '--state', fresh('ob')], devnetPrivateKey(5))
    expect(code).toBe(2)
    expect(output).toMatch(/key: --orderbook-url[\s\S]*expected: a server answering GET \/api\/v1\/version with 2xx/)
  })

  test('the command SIGKILLed right after the journal got the EthFlow hash resumes on rerun: each action on chain exactly once', async () => {
    const key = devnetPrivateKey(4)
    const address = privateKeyToAccount(key).address
    const [state, out] = [fresh('killed'), fresh('killed-out')]
    const args = ['e2e', '--rpc-url', world.rpcUrl, '--orderbook-url', world.orderbookUrl, '--metrics-url', world.metricsUrl, '--state', state, '--out', out]
    const child = spawn(process.execPath, ['bin/shepherd.js', ...args], { env: { ...process.env, SHEPHERD_E2E_PRIVATE_KEY: key }, stdio: 'ignore' })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)))
    const journal = join(state, 'journal.json')
    let seen: string[] = []
    for (let i = 0; i < 1500 && !seen.includes('ethflow-place'); i++) {
      await new Promise((r) => setTimeout(r, 20))
      if (existsSync(journal)) seen = Object.keys((JSON.parse(readFileSync(journal, 'utf8')) as { actions: object }).actions)
    }
    expect(seen).toContain('ethflow-place')
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(readdirSync(out)).toEqual([]) // it died before its report

    const rerun = await shepherdE2e(args.slice(1), key)
    expect(rerun.code, rerun.output).toBe(0)
    const report = readReport(out)
    expect(report.actions.slice(0, 2).map((a) => [a.name, a.resumed])).toEqual([['twap-create', true], ['ethflow-place', true]])
    const chain = world.devnet.client
    expect(await chain.getTransactionCount({ address })).toBe(3)
    expect(await chain.getLogs({ address: sepoliaAddresses.composableCow, event: composableCowAbi.find((i) => i.type === 'event' && i.name === 'ConditionalOrderCreated')!, args: { owner: address }, fromBlock: 0n })).toHaveLength(1)
    expect(await chain.getLogs({ address: sepoliaAddresses.ethFlow, event: orderPlacementEvent, args: { sender: address }, fromBlock: 0n })).toHaveLength(1)
  })

  test('PASS with the three live actions, every bar measured from the URLs; a rerun with the same state resumes and sends nothing', async () => {
    const key = devnetPrivateKey(6)
    const address = privateKeyToAccount(key).address
    const [state, out, out2] = [fresh('state'), fresh('out'), fresh('out2')]
    const args = ['--rpc-url', world.rpcUrl, '--orderbook-url', `${world.orderbookUrl}/`, '--metrics-url', world.metricsUrl, '--state', state]
    const first = await shepherdE2e([...args, '--out', out], key)
    expect(first.output).not.toContain(key.slice(2))
    expect(first.code).toBe(0)
    const report = readReport(out)
    expect(report.world).toBe('live')
    expect(report.actions.map((a) => [a.name, a.resumed])).toEqual([['twap-create', false], ['ethflow-place', false], ['eth-transfer', false]])
    // What each action cost, from its receipt (the transfer is a plain 21,000-gas transaction).
    expect(report.actions.map((a) => BigInt(a.gasUsed!) >= 21_000n && a.feeWei !== undefined)).toEqual([true, true, true])
    expect(report.actions.find((a) => a.name === 'eth-transfer')!.gasUsed).toBe('21000')
    expect(report.verdict.bars.map((b) => [b.name, b.status])).toEqual([
      ['TWAP created once', 'pass'],
      ['TWAP parts accepted', 'not applicable'],
      ['TWAP appData intact', 'not applicable'],
      ['EthFlow order at the orderbook', 'pass'],
      ['EthFlow appData intact', 'pass'],
      ['balance-tracker alerted', 'pass'],
    ])
    // The EthFlow order names the realistic document, registered before the trigger, and the orderbook holds it.
    const ethFlow = report.actions.find((a) => a.name === 'ethflow-place') as Extract<SignedResult['actions'][number], { name: 'ethflow-place' }>
    expect(ethFlow.namedAppData).toBe(appData.ethFlow.hash)
    expect(ethFlow.appData).toEqual({ intact: true, found: appData.ethFlow.hash })
    expect(await (await fetch(`${world.orderbookUrl}/api/v1/app_data/${appData.twap.hash}`)).json()).toEqual({ fullAppData: appData.twap.fullAppData })
    expect(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.md'))!), 'utf8')).not.toContain(key.slice(2))
    expect(await world.devnet.client.getTransactionCount({ address })).toBe(3)

    const second = await shepherdE2e([...args, '--out', out2], key)
    expect(second.code).toBe(0)
    expect(readReport(out2).actions.every((a) => a.resumed)).toBe(true)
    expect(readReport(out2).actions.map((a) => a.hash)).toEqual(report.actions.map((a) => a.hash))
    expect(await world.devnet.client.getTransactionCount({ address })).toBe(3)
  })
})

test('shepherd e2e --devnet: devnet, stub and engine of its own, an Anvil key, all four actions PASS', async () => {
  const out = fresh('devnet')
  const { code, output } = await shepherdE2e(['--devnet', '--out', out], undefined)
  expect(code, output).toBe(0)
  // Without --state the journal's temporary folder is gone at the end.
  expect(readdirSync(tmpdir()).filter((name) => name.startsWith('shepherd-e2e-state-'))).toEqual([])
  const report = readReport(out)
  expect(report.world).toBe('devnet')
  expect(report.account).toBe(privateKeyToAccount(devnetPrivateKey()).address)
  expect(report.verdict.bars.map((b) => [b.name, b.status])).toEqual([
    ['TWAP created once', 'pass'],
    // The key's address carries the ForwarderOwner runtime on the devnet: a contract owner, whose parts a strict stub accepts.
    ['TWAP parts accepted', 'pass'],
    ['TWAP appData intact', 'pass'],
    ['twap-monitor posted each due part', 'pass'],
    ['EthFlow order at the orderbook', 'pass'],
    ['EthFlow appData intact', 'pass'],
    ['balance-tracker alerted', 'pass'],
    ['price-alert alerted once', 'pass'],
    ['stop-loss order accepted', 'pass'],
    ['oracle fell', 'pass'],
  ])
  // Every due part and the EthFlow order carry the realistic documents their creations named on chain.
  const appData = await signedAppData()
  const twap = report.actions.find((a) => a.name === 'twap-create') as Extract<SignedResult['actions'][number], { name: 'twap-create' }>
  expect(twap.ownerHasCode).toBe(true)
  expect(twap.parts.length).toBe(3)
  expect(twap.parts.map((p) => [p.orderbook, p.namedAppData, p.appData])).toEqual(twap.parts.map(() => ['found', appData.twap.hash, { intact: true, found: appData.twap.hash }]))
  expect((report.actions.find((a) => a.name === 'ethflow-place') as { namedAppData?: string }).namedAppData).toBe(appData.ethFlow.hash)
})
