import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, test } from 'vitest'
import { gpv2SettlementAbi } from './abis.ts'
import { sepoliaDomainSeparator } from './addresses.ts'
import { devnetDeployer } from './deployProtocol.ts'
import { DevnetError } from './DevnetError.ts'
import { startDevnet, type Devnet } from './startDevnet.ts'
import { isProcessAlive } from './trackChildProcess.ts'

const quiet = { log: () => {} }

describe('startDevnet lifecycle', () => {
  const started: Devnet[] = []
  const start = async (parameters: Parameters<typeof startDevnet>[0] = {}) => {
    const net = await startDevnet({ ...quiet, ...parameters })
    started.push(net)
    return net
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((net) => net.stop()))
  })

  test('behavior: stop() leaves no Anvil process and can be called twice', async () => {
    const net = await start({ deploy: false })
    expect(isProcessAlive(net.pid)).toBe(true)
    await net.stop()
    expect(isProcessAlive(net.pid)).toBe(false)
    await net.stop()
    await expect(net.client.getBlockNumber()).rejects.toThrow()
  })

  // One child Node process (~5-10 s: it loads viem and tsx cold), exiting with code 1 like a crashed run.
  test('behavior: a Node process that exits without stop() leaves no Anvil behind', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/startAndExit.ts', import.meta.url))
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, 'crash']).catch((error: { stdout: string }) => error)
    const pid = Number(result.stdout.trim())
    expect(pid).toBeGreaterThan(0)
    expect(isProcessAlive(pid)).toBe(false)
  })

  test('behavior: a manual-mining devnet makes blocks only on mine()', async () => {
    const net = await start({ deploy: false })
    expect(net.miningMode).toBe('manual')
    const before = await net.client.getBlockNumber()
    const { hash, receipt } = await net.wrapWeth('0x00000000000000000000000000000000000a11ce', 1n)
    expect(receipt).toBeUndefined()
    expect(await net.client.getBlockNumber()).toBe(before)
    await net.mine(1)
    expect((await net.client.getTransactionReceipt({ hash })).blockNumber).toBe(before + 1n)
  })

  test('behavior: an interval devnet (0.5 s blocks) makes blocks by itself', async () => {
    const net = await start({ blockTime: 0.5 })
    expect(net.miningMode).toBe('interval')
    const first = await net.client.getBlockNumber()
    const later = await new Promise<bigint>((resolve, reject) => {
      const unwatch = net.client.watchBlockNumber({
        pollingInterval: 100,
        onBlockNumber: (n) => n >= first + 2n && (unwatch(), resolve(n)),
        onError: reject,
      })
    })
    expect(later).toBeGreaterThanOrEqual(first + 2n)
    // Blocks come by themselves, so write helpers wait for the receipt.
    const { receipt } = await net.wrapWeth('0x00000000000000000000000000000000000a11ce', 1n)
    expect(receipt?.status).toBe('success')
  })

  test('behavior: base fee is zero by default and gasLimit is passed to Anvil', async () => {
    const net = await start({ deploy: false, gasLimit: 300_000_000n })
    const block = await net.client.getBlock()
    expect(block.baseFeePerGas).toBe(0n)
    expect(block.gasLimit).toBe(300_000_000n)
  })

  test('behavior: a fork deploys nothing and sees the forked contracts', async () => {
    const origin = await start()
    const originBlock = await origin.client.getBlockNumber()
    const fork = await start({ fork: { url: origin.rpcUrl } })
    expect(await fork.client.getBlockNumber()).toBe(originBlock)
    expect(await fork.client.getTransactionCount({ address: devnetDeployer })).toBe(
      await origin.client.getTransactionCount({ address: devnetDeployer }),
    )
    expect(await fork.client.readContract({ address: fork.addresses.gpv2Settlement, abi: gpv2SettlementAbi, functionName: 'domainSeparator' })).toBe(
      sepoliaDomainSeparator,
    )
    // A write on the fork stays on the fork.
    await fork.fund('0x00000000000000000000000000000000000f0f0f', 7n)
    expect(await origin.client.getBalance({ address: '0x00000000000000000000000000000000000f0f0f' })).toBe(0n)
  })

  test('behavior: a fork at an older block sees the chain as it was then', async () => {
    const origin = await start()
    const before = await start({ fork: { url: origin.rpcUrl, blockNumber: 0n } })
    expect(await before.client.getBlockNumber()).toBe(0n)
    expect(await before.client.getCode({ address: before.addresses.gpv2Settlement })).toBeUndefined()
  })

  test('behavior: with silent: false, Anvil output is kept for errors and debugging', async () => {
    const net = await start({ deploy: false, silent: false })
    expect(net.output().join('')).toContain('Listening on')
  })

  test('behavior: a port in use is refused with a DevnetError naming it', async () => {
    const net = await start({ deploy: false })
    const error = await startDevnet({ ...quiet, port: net.port }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DevnetError)
    expect((error as DevnetError).shortMessage).toContain(String(net.port))
  })

  test('behavior: a failed start (unreachable fork) throws DevnetError and leaves no process', async () => {
    const probe = await start({ deploy: false })
    const deadUrl = probe.rpcUrl
    await probe.stop()
    const error = await startDevnet({ ...quiet, fork: { url: deadUrl }, timeoutMs: 5_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DevnetError)
    expect((error as DevnetError).message).toContain('Anvil failed to start')
    const pid = (error as DevnetError).pid
    expect(pid).toBeTypeOf('number')
    expect(isProcessAlive(pid!)).toBe(false)
  })

  test('behavior: a bad blockTime is refused before Anvil starts', async () => {
    await expect(startDevnet({ ...quiet, blockTime: 0 })).rejects.toThrow(/Invalid blockTime/)
  })
})
