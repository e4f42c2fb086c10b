import { keccak256, TransactionNotFoundError, type Hex, type LocalAccount, type PublicClient, type TransactionReceipt, type WalletClient, type Chain } from 'viem'
import { writeJournal, type Journal } from './journal.ts'
import type { ActionName, PlannedAction } from './signedPlan.ts'
import { ActionRevertedError, UnknownJournalHashError } from './E2eSignedError.ts'

/** When a hook runs: right after the hash is persisted, before the node has it (`signed`) or after (`sent`). */
export type PersistPhase = 'signed' | 'sent'

export type SendActionsParameters = {
  client: PublicClient
  wallet: WalletClient
  account: LocalAccount
  chain: Chain
  rpcUrl: string
  /** The journal's file and its contents as read; updated in place and on disk. */
  file: string
  journal: Journal
  actions: readonly PlannedAction[]
  /** Per receipt; default 120 s (a live testnet block is ~12 s). */
  receiptTimeoutMs?: number
  /** Test seam: runs right after each persist; a throw here is a crash at that exact point. */
  afterPersist?: (event: { action: ActionName; hash: Hex; phase: PersistPhase }) => void | Promise<void>
  log?: (line: string) => void
}

/** Each action's mined transaction, and whether this run sent it or resumed one a previous run sent. */
export type SentAction = { name: ActionName; describe: string; hash: Hex; receipt: TransactionReceipt; resumed: boolean }
export type SendActionsReturnType = SentAction[]

/**
 * Sends the plan's actions one after another as signed raw transactions from `account`, resumable:
 * each transaction is signed locally, its hash and raw bytes persisted (atomically) before the node
 * sees it, marked sent once the node took it, and only then is its receipt awaited. An action the
 * journal already has is never built again: its stored transaction is awaited (or, if the node never
 * got it, the very same signed bytes are handed over: same hash and nonce, so it cannot happen twice).
 * A stored hash the node does not know after it was sent is an `UnknownJournalHashError`.
 *
 * @example
 * const sent = await sendActions({ client, wallet, account, chain, rpcUrl, file, journal, actions })
 * sent.map((a) => `${a.name} ${a.hash} block ${a.receipt.blockNumber}`)
 */
export async function sendActions(parameters: SendActionsParameters): Promise<SendActionsReturnType> {
  const { client, wallet, account, chain, rpcUrl, file, journal, actions, receiptTimeoutMs = 120_000, afterPersist, log = () => {} } = parameters
  const out: SentAction[] = []
  for (const action of actions) {
    const stored = journal.actions[action.name]
    let hash: Hex
    let resumed = false
    if (stored) {
      hash = stored.hash
      resumed = true
      const known = await client.getTransaction({ hash }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof TransactionNotFoundError) return false
          throw error
        },
      )
      if (!known) {
        if (stored.sent) throw new UnknownJournalHashError({ file, action: action.name, hash, rpcUrl })
        // Persisted but maybe never handed over (a crash in between): the same bytes, never new ones.
        await client.sendRawTransaction({ serializedTransaction: stored.raw }).catch((cause: unknown) => {
          throw new UnknownJournalHashError({ file, action: action.name, hash, rpcUrl, cause })
        })
        journal.actions[action.name] = { ...stored, sent: true }
        writeJournal(file, journal)
      }
      log(`${action.name}: resuming ${hash} from the journal`)
    } else {
      const latest = await client.getBlock()
      const request = action.build({ account: account.address, now: latest.timestamp })
      // viem fills nonce (pending), gas and fees; the key signs locally, nothing leaves before the journal has the hash.
      const prepared = await wallet.prepareTransactionRequest({ ...request, account, chain })
      const raw = await account.signTransaction(prepared as Parameters<LocalAccount['signTransaction']>[0])
      hash = keccak256(raw)
      journal.actions[action.name] = { hash, raw, sent: false }
      writeJournal(file, journal)
      await afterPersist?.({ action: action.name, hash, phase: 'signed' })
      await client.sendRawTransaction({ serializedTransaction: raw })
      journal.actions[action.name] = { hash, raw, sent: true }
      writeJournal(file, journal)
      log(`${action.name}: sent ${hash}`)
      await afterPersist?.({ action: action.name, hash, phase: 'sent' })
    }
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: receiptTimeoutMs, pollingInterval: 250 })
    journal.actions[action.name] = { ...journal.actions[action.name]!, block: receipt.blockNumber.toString() }
    writeJournal(file, journal)
    if (receipt.status !== 'success') throw new ActionRevertedError({ action: action.name, hash, block: receipt.blockNumber })
    out.push({ name: action.name, describe: action.describe, hash, receipt, resumed })
  }
  return out
}
