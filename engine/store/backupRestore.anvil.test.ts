import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, parseEther, toHex, type Address } from 'viem'
import { afterAll, expect, test } from 'vitest'
import { storeCommand } from '../../cli/storeCommand.ts'
import { findFreePort } from '../../harness/devnet/findFreePort.ts'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { startOrderbookStub, type StartedOrderbookStub } from '../../harness/orderbook/startOrderbookStub.ts'
import { collectGroundTruth } from '../../harness/scenario/groundTruth.ts'
import { startScenarioEngine, writeScenarioConfig, type ScenarioEngine } from '../../harness/scenario/startScenarioEngine.ts'
import { openStoreReadOnly } from './openStoreReadOnly.ts'

// A hot backup of a running `shepherd run` process while TWAP parts are being posted, then the
// machine is "lost": a new state directory is restored from the backup and a new engine resumes
// from the backup's cursor. Judged from the chain's logs and the orderbook stub's record: every part
// the chain made due is accepted exactly once, none is missing, and the only re-posts (answered
// DuplicatedOrder) are of parts the backup had not yet recorded as submitted.

let net: Devnet | undefined
let ob: StartedOrderbookStub | undefined
const engines: ScenarioEngine[] = []
const dir = mkdtempSync(join(tmpdir(), 'shepherd-backup-restore-'))
mkdirSync(join(dir, 'a'))
mkdirSync(join(dir, 'b'))
afterAll(async () => {
  for (const engine of engines) await engine.stop()
  await ob?.stop()
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, logs: () => readonly string[]) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs().slice(-15).join('\n')}`)
    await sleep(200)
  }
}

async function cli(argv: string[]) {
  const lines: string[] = []
  const code = await storeCommand(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l) })
  return { code, text: lines.join('\n') }
}

test('behavior: a hot backup taken mid-load, restored into a new state dir, resumes with every TWAP part accepted once and none lost', { timeout: 120_000 }, async () => {
  net = await startDevnet({ blockTime: 1, log: () => {} })
  // Impersonated owners with no sell token and parts seconds apart: the stub's funds and validTo checks would refuse them; this test is about the store.
  ob = await startOrderbookStub({ devnet: net, knobs: { checks: { eip1271: false, validTo: false, balance: false, allowance: false, transferSimulation: false } } })
  const base = { rpcUrl: net.wsUrl, orderbookUrl: ob.baseUrl, modules: [{ name: 'twap-monitor', isolation: 'in-process' as const }], logLevel: 'info' as const }
  const first = await startScenarioEngine({ mode: 'process', dir: join(dir, 'a'), metricsPort: await findFreePort(), ...base })
  engines.push(first)
  const configA = join(dir, 'a', 'engine.toml')

  const fromBlock = (await net.client.getBlockNumber()) + 1n
  const owners = Array.from({ length: 6 }, (_, i) => `0x${'0'.repeat(36)}${(0xb0c0 + i).toString(16)}` as Address)
  const n = 6n
  const t = 3n
  // Contract owners (ForwarderOwner code), as ComposableCoW answers parts only for an owner with code.
  await net.prepareOwners({ owners, sellToken: net.addresses.weth, balance: parseEther('1') })
  let lastEnd = 0n
  const create = async (owner: Address) => {
    await net!.fund(owner, parseEther('10'))
    const t0 = (await net!.client.getBlock()).timestamp + 2n
    lastEnd = t0 + n * t > lastEnd ? t0 + n * t : lastEnd
    await net!.createTwap({ owner, params: { sellToken: net!.addresses.weth, buyToken: net!.addresses.cowToken, receiver: owner, partSellAmount: parseEther('0.1'), minPartLimit: 1n, t0, n, t, span: 0n, appData: keccak256(toHex('{}')) } })
  }
  // Half the TWAPs now, half during the backup's window: the load runs on both sides of it.
  for (const owner of owners.slice(0, 3)) await create(owner)
  await waitFor('the first parts to be accepted', () => ob!.record.accepted().length >= 4, 30_000, first.logs)

  const backupDir = join(dir, 'backup')
  const creating = (async () => {
    for (const owner of owners.slice(3)) await create(owner)
  })()
  const backup = await cli(['backup', backupDir, '--config', configA])
  // verify and inspect read beside the live writer too.
  const live = await cli(['verify', '--config', configA])
  expect(live.code, live.text).toBe(0)
  expect(live.text).toMatch(/cursor chain 11155111: block \d+/)
  expect((await cli(['inspect', '--config', configA])).text).toMatch(/module:twap-monitor[\s\S]*watch: +\d+/)
  const acceptedAtBackup = ob.record.accepted().length
  await creating
  expect(backup.code, backup.text).toBe(0)
  // Engine A goes on posting after the backup, then its machine is lost.
  await waitFor('more parts after the backup', () => ob!.record.accepted().length >= acceptedAtBackup + 4, 30_000, first.logs)
  await first.stop()
  const acceptedByFirst = ob.record.accepted().length

  const backedUp = openStoreReadOnly(backupDir)
  const submittedInBackup = new Set<string>()
  for (const key of backedUp.database('module:twap-monitor').getKeys({ start: 'submitted:' })) {
    if (!String(key).startsWith('submitted:')) break
    submittedInBackup.add(String(key).slice('submitted:'.length).toLowerCase())
  }
  await backedUp.close()
  rmSync(join(backupDir, 'lock.mdb'), { force: true })

  const configB = join(dir, 'b', 'engine.toml')
  // Engine B's config (A's, with its state in b/state) is written first: restore reads its state_dir and chains.
  const metricsPortB = await findFreePort()
  writeScenarioConfig({ dir: join(dir, 'b'), metricsPort: metricsPortB, ...base })
  const restored = await cli(['restore', backupDir, '--config', configB])
  expect(restored.code, restored.text).toBe(0)
  expect(restored.text).toContain('verify: OK')

  const second = await startScenarioEngine({ mode: 'process', dir: join(dir, 'b'), metricsPort: metricsPortB, ...base })
  engines.push(second)
  await waitFor('every TWAP to end', async () => (await net!.client.getBlock()).timestamp > lastEnd + 2n, 60_000, second.logs)
  const toBlock = await net.client.getBlockNumber()
  const expectedParts = owners.length * Number(n)
  await waitFor('every part to be accepted', () => ob!.record.accepted().length >= expectedParts, 30_000, second.logs)
  await sleep(1500) // a late duplicate post would land here
  await second.stop()

  const truth = await collectGroundTruth({ client: net.client as never, addresses: net.addresses, fromBlock, toBlock, record: ob.record.entries, blockSeenAt: new Map() })
  const accepted = ob.record.accepted().map((e) => e.uid.toLowerCase())
  const reposted = [...new Set(truth.twap.duplicateUids.map((u) => u.toLowerCase()))]
  console.info(
    `backup-restore: ${truth.twap.expected} parts due, ${truth.twap.delivered} accepted (${acceptedAtBackup} before the backup, ${acceptedByFirst} by engine A, ${accepted.length - acceptedByFirst} by the restored engine); backup in ${/\((\d+) bytes, (\d+) ms\)/.exec(backup.text)?.[2]} ms; ${reposted.length} part(s) re-posted after restore (answered DuplicatedOrder)`,
  )
  expect(truth.twap.expected).toBe(expectedParts)
  expect(truth.twap.delivered).toBe(expectedParts)
  expect(truth.twap.missing.map((p) => p.uid)).toEqual([])
  expect(new Set(accepted).size).toBe(accepted.length) // no part accepted twice
  // The backup was taken mid-load: parts before it, and parts only the restored engine delivered.
  expect(acceptedAtBackup).toBeGreaterThan(0)
  expect(accepted.length - acceptedByFirst).toBeGreaterThan(0)
  // A consistent snapshot: the restored engine re-posts only what the backup had not recorded as submitted.
  expect(reposted.filter((uid) => submittedInBackup.has(uid))).toEqual([])
})
