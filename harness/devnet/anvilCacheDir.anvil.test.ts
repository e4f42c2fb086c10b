import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { startDevnet } from './startDevnet.ts'

const cachePathOf = (pid: number): string => {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  return argv[argv.indexOf('--cache-path') + 1] ?? ''
}

// Anvil spills older blocks' states to disk and never removes them itself (not on SIGTERM): each
// devnet gives it a directory of its own under the temp dir and removes it once Anvil has exited.
test('behavior: the states Anvil spills to disk go to the devnet own directory, removed at stop', async () => {
  const net = await startDevnet({ deploy: false, log: () => {} })
  let path = ''
  try {
    path = cachePathOf(net.pid)
    expect(path.startsWith(join(homedir(), '.foundry', 'anvil', 'tmp', 'shepherd-'))).toBe(true)
    // 600 blocks, each twentieth with a transaction: enough for Anvil to write states to disk.
    const [from, to] = ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0x70997970C51812dc3A010C7d01b3E1d9F6b2c7a0'] as const
    for (let i = 0; i < 30; i++) {
      await net.client.request({ method: 'eth_sendTransaction', params: [{ from, to, value: '0x1' }] } as never)
      await net.mine(20)
    }
    expect(readdirSync(path).length).toBeGreaterThan(0)
  } finally {
    await net.stop()
  }
  expect(existsSync(path)).toBe(false)
}, 60_000)
