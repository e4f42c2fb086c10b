import '../../engine/polyfills.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { main } from '../../cli/main.ts'
import { loadConfig } from '../../engine/config/loadConfig.ts'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { readCassette } from './cassette.ts'
import { recordRange } from './record.ts'
import { runBacktest } from './replay.ts'

const tracked: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
let net: Devnet
let dir: string
let configFile: string
let from: bigint
let to: bigint

beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
  dir = mkdtempSync(join(tmpdir(), 'record-test-'))
  from = (await net.client.getBlockNumber()) + 1n
  for (const price of [3000n, 2400n, 2800n, 2300n]) {
    await net.setOraclePrice(price * 10n ** 8n, { mine: true })
    await net.fund(tracked, parseEther(String(price)))
    await net.mine(60, 12)
  }
  to = await net.client.getBlockNumber()
  configFile = join(dir, 'engine.toml')
  writeFileSync(
    configFile,
    [
      '[chains.11155111]',
      `rpc_url = "${net.rpcUrl}"`,
      '[[modules]]',
      'name = "price-alert"',
      'config = { threshold = "2500", direction = "below" }',
      '[[modules]]',
      'name = "balance-tracker"',
      `config = { addresses = ["${tracked}"] }`,
    ].join('\n'),
  )
})
afterAll(async () => {
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('recordRange', () => {
  test('behavior: an interrupted recording resumes, and the cassette replays with no drift', async () => {
    const out = join(dir, 'resumed.ndjson.gz')
    const controller = new AbortController()
    const first = await recordRange({
      config: loadConfig(configFile),
      rpcUrl: net.rpcUrl,
      from,
      to,
      out,
      progress: () => {},
      signal: controller.signal,
      onCheckpoint: (block) => block >= from + 20n && controller.abort(),
    })
    expect(first.out).toMatch(/\.partial$/)
    const second = await recordRange({ config: loadConfig(configFile), rpcUrl: net.rpcUrl, from, to, out, progress: () => {} })
    expect(second.resumed).toBe(true)
    const numbers: bigint[] = []
    for await (const entry of readCassette(out)) if (entry.t === 'block') numbers.push(entry.number)
    expect(numbers).toEqual(Array.from({ length: Number(to - from + 1n) }, (_, i) => from + BigInt(i)))
    const run = await runBacktest({ cassette: out, drift: true })
    expect(run.result.drift?.differences).toEqual([])
    expect(run.result.passed).toBe(true)
    expect(run.result.totals.alert).toBeGreaterThan(0)
  })

  test('behavior: shepherd record and replay run from the command line; bad input exits 2', async () => {
    const out = join(dir, 'cli.ndjson')
    expect(await main(['record', '--rpc', net.rpcUrl, '--from', String(from), '--to', String(to), '--config', configFile, '--out', out])).toBe(0)
    expect(await main(['replay', out, '--drift', '--report', join(dir, 'report')])).toBe(0)
    expect(await main(['record', '--rpc', net.rpcUrl, '--from', 'ten', '--to', '5', '--config', configFile, '--out', out])).toBe(2)
    expect(await main(['record', '--rpc', net.rpcUrl, '--from', '9', '--to', '5', '--config', configFile, '--out', out])).toBe(2)
    expect(await main(['record', '--rpc', net.rpcUrl, '--from', '1', '--to', '5', '--config', configFile, '--out', join(dir, 'x.json')])).toBe(2)
    expect(await main(['replay', out, '--orderbook', 'maybe'])).toBe(2)
  })
})
