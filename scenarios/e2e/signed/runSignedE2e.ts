import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPublicClient, http, type Address, type Hex } from 'viem'
import type { RecordEntry } from '../../../harness/orderbook/createRequestRecord.ts'
import { e2eAccounts } from '../triggers.ts'
import { collectEvidence, placementUid } from './collectEvidence.ts'
import { createSignedClients } from './createSignedClients.ts'
import { readJournal, writeJsonAtomic } from './journal.ts'
import { judgeSigned } from './judgeSigned.ts'
import { writeSignedReport, type SignedResult } from './renderSignedReport.ts'
import { sendActions, type SendActionsParameters } from './sendActions.ts'
import { plannedActions, signedPlan, type SignedWorld } from './signedPlan.ts'
import { registerLoadAppData } from '../../../harness/load/loadAppData.ts'
import { signedAppData } from './signedAppData.ts'
import { lookupOrder, takeSnapshot, type SignedSnapshot } from './takeSnapshot.ts'

export type RunSignedE2eParameters = {
  world: SignedWorld
  rpcUrl: string
  orderbookUrl: string
  metricsUrl: string
  /** From the environment (`SHEPHERD_E2E_PRIVATE_KEY`) or, on the devnet, an Anvil default account. Never logged. */
  privateKey: Hex
  /** Holds the journal and the snapshot taken before the first trigger: reuse it to resume. */
  stateDir: string
  /** Where the report goes; undefined: not written. */
  outDir?: string | undefined
  tracked?: Address | undefined
  /** How long to wait for the terminal evidence after the last receipt. Default: 40 s devnet, 300 s live. */
  waitMs?: number | undefined
  receiptTimeoutMs?: number | undefined
  /** Devnet mode: the in-process stub's record (the posts of each TWAP part, whatever the answer). */
  stubRecord?: (() => readonly RecordEntry[]) | undefined
  afterPersist?: SendActionsParameters['afterPersist']
  log?: ((line: string) => void) | undefined
}

export type RunSignedE2eReturnType = { result: SignedResult; paths: { markdown: string; json: string } | undefined }

const startSnapshotFile = 'start-snapshot.json'

/**
 * The signed e2e against any chain, orderbook and engine given by URL: register the orders' realistic
 * appData documents at the orderbook (`signedAppData`), snapshot the three, send the
 * plan's actions from the key (resumable through the state folder's journal), wait (bounded) for each
 * action's terminal evidence, snapshot again, judge, report. The start snapshot is kept in the state
 * folder, so a resumed run still compares with the moment before the first trigger.
 *
 * @example
 * const { result } = await runSignedE2e({ world: 'live', rpcUrl, orderbookUrl, metricsUrl, privateKey, stateDir: 'e2e-state', outDir: 'reports' })
 * result.verdict.pass
 */
export async function runSignedE2e(parameters: RunSignedE2eParameters): Promise<RunSignedE2eReturnType> {
  const { world, rpcUrl, orderbookUrl, metricsUrl, privateKey, stateDir, outDir, stubRecord, afterPersist, log = () => {} } = parameters
  const startedAt = new Date()
  const waitMs = parameters.waitMs ?? (world === 'devnet' ? 40_000 : 300_000)
  // The chain id comes from the node itself: the journal, the signatures and the UIDs all follow it.
  const chainId = await createPublicClient({ transport: http(rpcUrl, { timeout: 30_000 }) }).getChainId()
  const { client, wallet, account, chain } = createSignedClients({ rpcUrl, chainId, privateKey })
  // Realistic appData (the load's documents), registered as a client does before its orders exist;
  // again on a resume (the orderbook answers 200 for a document it holds).
  const appData = await signedAppData({ world })
  const plan = signedPlan({ world, tracked: parameters.tracked, appData })
  const owners: Address[] = world === 'devnet' ? [account.address, e2eAccounts.stopLossOwner] : [account.address]
  const { file, journal } = readJournal({ stateDir, chainId, account: account.address })
  const snap = () => takeSnapshot({ client, account: account.address, orderbookUrl, metricsUrl, owners })

  const before = readStartSnapshot(stateDir) ?? (await snap())
  if (!existsSync(join(stateDir, startSnapshotFile))) writeJsonAtomic(join(stateDir, startSnapshotFile), before)
  await registerLoadAppData({ orderbookUrl, documents: [appData.twap, appData.ethFlow] })
  log(`appData registered at ${orderbookUrl}: TWAP ${appData.twap.name} ${appData.twap.hash}, EthFlow ${appData.ethFlow.name} ${appData.ethFlow.hash}`)
  log(`sender ${account.address} on chain ${chainId}; journal ${file}${Object.keys(journal.actions).length ? ` (resuming: ${Object.keys(journal.actions).join(', ')})` : ''}`)

  const sent = await sendActions({ client, wallet, account, chain, rpcUrl, file, journal, actions: plannedActions(plan), receiptTimeoutMs: parameters.receiptTimeoutMs, afterPersist, log })

  // Bounded wait for the terminal evidence; a devnet run also waits until every TWAP part has started.
  const twap = sent.find((a) => a.name === 'twap-create')
  const twapDoneAt = twap && world === 'devnet' ? (await client.getBlock({ blockNumber: twap.receipt.blockNumber })).timestamp + plan.twap.t * (plan.twap.n - 1n) + 1n : 0n
  const ethFlowUid = sent.find((a) => a.name === 'ethflow-place')
  const uid = ethFlowUid && placementUid(ethFlowUid, chainId)
  const deadline = Date.now() + waitMs
  for (let round = 0; round < 10_000 && Date.now() < deadline; round++) {
    const now = await snap()
    const alerts = (m: string) => ('error' in now.metrics || 'error' in before.metrics ? 0 : (now.metrics.alertsByModule[m] ?? 0) - (before.metrics.alertsByModule[m] ?? 0))
    const stopLoss = 'error' in now.orderbook || 'error' in before.orderbook ? 0 : (now.orderbook.ordersByOwner[e2eAccounts.stopLossOwner] ?? []).length - (before.orderbook.ordersByOwner[e2eAccounts.stopLossOwner] ?? []).length
    const done =
      (!uid || (await lookupOrder(orderbookUrl, uid)) === 'found') &&
      alerts('balance-tracker') >= 1 &&
      (plan.oracleFallTo === undefined || (alerts('price-alert') >= 1 && stopLoss >= 1)) &&
      BigInt(now.chain.timestamp) >= twapDoneAt
    if (done) break
    await new Promise((r) => setTimeout(r, 1_000))
  }
  // One block more, so a second (wrong) alert or order has the chance to show.
  if (world === 'devnet') await new Promise((r) => setTimeout(r, 1_500))

  const after = await snap()
  const evidence = await collectEvidence({ client, chainId, account: account.address, orderbookUrl, sent, stubRecord })
  const verdict = judgeSigned({ world, actions: evidence, before, after, stopLossOwner: e2eAccounts.stopLossOwner })
  const result: SignedResult = {
    world,
    chainId,
    account: account.address,
    rpcUrl,
    orderbookUrl,
    metricsUrl,
    journal: file,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    before,
    after,
    actions: evidence.map((e) => ({ ...e, describe: sent.find((s) => s.name === e.name)!.describe, resumed: sent.find((s) => s.name === e.name)!.resumed })),
    verdict,
    notes: [
      'every trigger is a raw transaction signed in this process by the key (eth_sendRawTransaction); nothing is impersonated',
      'alerts and orders are deltas between the snapshot taken before the first trigger (kept in the state folder, so a resumed run compares with it too) and the one at the end; an engine restarted in between resets its counters',
      ...(world === 'live' ? ['no oracle action: no one can move a real oracle, so price-alert and stop-loss are not triggered on a live network (the devnet run covers them)'] : []),
    ],
  }
  const paths = outDir ? writeSignedReport(result, outDir) : undefined
  log(`verdict: ${verdict.pass ? 'PASS' : 'FAIL'}; ${verdict.bars.map((b) => `${b.name} ${b.status} (${b.measured.slice(0, 80)})`).join('; ')}`)
  return { result, paths }
}

/** The snapshot an earlier attempt of this run took before its first trigger, if any. */
function readStartSnapshot(stateDir: string): SignedSnapshot | undefined {
  const file = join(stateDir, startSnapshotFile)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SignedSnapshot) : undefined
}
