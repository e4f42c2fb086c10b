import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parseEventLogs, type Address, type Hex } from 'viem'
import { startDevnet, type Devnet } from '../../../harness/devnet/startDevnet.ts'
import { chainlinkAggregatorAbi, composableCowAbi } from '../../../harness/devnet/abis.ts'
import { orderPlacementEvent } from '../../../harness/orderbook/decodeEthFlowPlacement.ts'
import { createSignedClients } from './createSignedClients.ts'
import { devnetPrivateKey } from './devnetKey.ts'
import { readJournal, writeJournal } from './journal.ts'
import { plannedActions, signedPlan } from './signedPlan.ts'
import { signedAppData, type SignedAppData } from './signedAppData.ts'
import { sendActions, type PersistPhase } from './sendActions.ts'
import { UnknownJournalHashError } from './E2eSignedError.ts'
import type { ActionName } from './signedPlan.ts'

// Each signed run here uses its own Anvil account, so the nonce and the logs count only that run.
let net: Devnet
let dir: string
let appData: SignedAppData
beforeAll(async () => {
  appData = await signedAppData()
  net = await startDevnet({ blockTime: 0.5, log: () => {} })
  dir = mkdtempSync(join(tmpdir(), 'shepherd-signed-resume-'))
})
afterAll(async () => {
  await net?.stop()
  rmSync(dir, { recursive: true, force: true })
})

class Crash extends Error {}

/** One signed run against the devnet with a state folder; `crashAt` throws right after that persist. */
async function run(stateDir: string, keyIndex: number, crashAt?: { action: ActionName; phase: PersistPhase }) {
  const { client, wallet, account, chain } = createSignedClients({ rpcUrl: net.rpcUrl, chainId: net.chainId, privateKey: devnetPrivateKey(keyIndex) })
  const { file, journal } = readJournal({ stateDir, chainId: net.chainId, account: account.address })
  return sendActions({
    client, wallet, account, chain, rpcUrl: net.rpcUrl, file, journal,
    actions: plannedActions(signedPlan({ world: 'devnet', tracked: trackedOf(keyIndex), appData })),
    receiptTimeoutMs: 20_000,
    afterPersist: ({ action, phase }) => {
      if (crashAt && crashAt.action === action && crashAt.phase === phase) throw new Crash(`crash after ${phase} ${action}`)
    },
  })
}

const trackedOf = (keyIndex: number): Address => `0x00000000000000000000000000000000000e2e${(0x50 + keyIndex).toString(16)}`

/** What the chain holds from one key: its nonce, its transactions (every block scanned) and each action's logs. */
async function onChain(keyIndex: number) {
  const address = createSignedClients({ rpcUrl: net.rpcUrl, chainId: net.chainId, privateKey: devnetPrivateKey(keyIndex) }).account.address
  const head = await net.client.getBlockNumber()
  const blocks = await Promise.all(Array.from({ length: Number(head) + 1 }, (_, n) => net.client.getBlock({ blockNumber: BigInt(n), includeTransactions: true })))
  const txs = blocks.flatMap((b) => b.transactions).filter((tx) => tx.from.toLowerCase() === address.toLowerCase())
  const receipts = await Promise.all(txs.map((tx) => net.client.getTransactionReceipt({ hash: tx.hash })))
  const logs = receipts.flatMap((r) => r.logs)
  return {
    nonce: await net.client.getTransactionCount({ address }),
    txs: txs.length,
    twapCreated: parseEventLogs({ abi: composableCowAbi, eventName: 'ConditionalOrderCreated', logs }).filter((l) => l.args.owner === address).length,
    ethFlowPlaced: parseEventLogs({ abi: [orderPlacementEvent], logs }).filter((l) => l.args.sender === address).length,
    oracleUpdates: parseEventLogs({ abi: chainlinkAggregatorAbi, eventName: 'AnswerUpdated', logs }).length,
    trackedBalance: await net.client.getBalance({ address: trackedOf(keyIndex) }),
  }
}

test('a run killed right after a hash is persisted (before and after the node has it) resumes: each action is on chain exactly once', async () => {
  const state = join(dir, 'resumed')
  // Crash 1: the EthFlow transaction was handed to the node, then the run died before its receipt.
  await expect(run(state, 7, { action: 'ethflow-place', phase: 'sent' })).rejects.toThrow(Crash)
  // Crash 2: the transfer was signed and persisted but never handed to the node.
  await expect(run(state, 7, { action: 'eth-transfer', phase: 'signed' })).rejects.toThrow(Crash)
  const journal = JSON.parse(readFileSync(join(state, 'journal.json'), 'utf8')) as { actions: Record<string, { hash: Hex; sent: boolean }> }
  expect(Object.keys(journal.actions)).toEqual(['twap-create', 'ethflow-place', 'eth-transfer'])
  expect(journal.actions['eth-transfer']!.sent).toBe(false)

  const sent = await run(state, 7)
  expect(sent.map((a) => [a.name, a.resumed])).toEqual([['twap-create', true], ['ethflow-place', true], ['eth-transfer', true], ['oracle-fall', false]])
  // The stored hashes are the mined ones: nothing was re-signed.
  for (const name of ['twap-create', 'ethflow-place', 'eth-transfer'] as const) expect(sent.find((a) => a.name === name)!.hash).toBe(journal.actions[name]!.hash)

  const chain = await onChain(7)
  expect(chain).toEqual({ nonce: 4, txs: 4, twapCreated: 1, ethFlowPlaced: 1, oracleUpdates: 1, trackedBalance: signedPlan({ world: 'devnet', appData }).transferValue })

  // A rerun of a finished journal sends nothing more.
  const again = await run(state, 7)
  expect(again.every((a) => a.resumed)).toBe(true)
  expect((await onChain(7)).nonce).toBe(4)
})

test('the same crash without the journal (a fresh state folder on the rerun) is caught by the same count', async () => {
  await expect(run(join(dir, 'lost-a'), 8, { action: 'ethflow-place', phase: 'sent' })).rejects.toThrow(Crash)
  await run(join(dir, 'lost-b'), 8)
  const chain = await onChain(8)
  // What the exactly-once assertion above would have refused: two TWAPs, two EthFlow orders, 6 transactions.
  expect(chain.twapCreated).toBe(2)
  expect(chain.ethFlowPlaced).toBe(2)
  expect(chain.nonce).toBe(6)
})

test('a stored hash the chain does not know is a typed error naming the journal, the action and the hash; nothing is sent', async () => {
  const state = join(dir, 'unknown')
  const { account } = createSignedClients({ rpcUrl: net.rpcUrl, chainId: net.chainId, privateKey: devnetPrivateKey(9) })
  const hash: Hex = `0x${'ab'.repeat(32)}`
  const { file } = readJournal({ stateDir: state, chainId: net.chainId, account: account.address })
  writeJournal(file, { version: 1, chainId: net.chainId, account: account.address, actions: { 'twap-create': { hash, raw: '0x02', sent: true } } })
  const error = await run(state, 9).then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(UnknownJournalHashError)
  const message = (error as Error).message
  expect(message).toContain(file)
  expect(message).toContain('twap-create')
  expect(message).toContain(hash)
  expect(message).toMatch(/new --state folder/)
  expect(await net.client.getTransactionCount({ address: account.address })).toBe(0)
})
