import type { Hex } from 'viem'
import { ShepherdError } from '../../../modules/sdk/errors/base.ts'

/**
 * The journal of a signed e2e run names a transaction the chain does not know, and it was already
 * handed to the node: sending the action again could do it twice, so the run stops for a person.
 *
 * @example
 * throw new UnknownJournalHashError({ file: 'state/journal.json', action: 'ethflow-place', hash: '0x…', rpcUrl: 'http://127.0.0.1:8545' })
 */
export class UnknownJournalHashError extends ShepherdError {
  override name = 'UnknownJournalHashError'
  readonly file: string
  /** The journal's action name (not `action`: that is the base error's retry/drop/stop). */
  readonly actionName: string
  readonly hash: Hex

  constructor(parameters: { file: string; action: string; hash: Hex; rpcUrl: string; cause?: unknown }) {
    super(`The chain does not know the transaction the journal stored for "${parameters.action}"`, {
      details: [`journal: ${parameters.file}`, `action: ${parameters.action}`, `hash: ${parameters.hash}`, `rpc: ${parameters.rpcUrl}`],
      hint:
        'The node was restarted or reset (a devnet), or this is another chain than the one the journal was written on. ' +
        'If you are sure the action never happened on this chain, start with a new --state folder (or delete the journal); ' +
        'otherwise point --rpc-url at the node that has the transaction.',
      cause: parameters.cause,
      action: 'stop',
    })
    this.file = parameters.file
    this.actionName = parameters.action
    this.hash = parameters.hash
  }
}

/**
 * The journal file exists but cannot be used: unreadable JSON, another version, or written for
 * another chain or key than this run's.
 *
 * @example
 * throw new JournalError('Journal was written for another chain', { file, details: ['journal: 1', 'rpc: 11155111'] })
 */
export class JournalError extends ShepherdError {
  override name = 'JournalError'
  readonly file: string

  constructor(shortMessage: string, parameters: { file: string; details?: string[]; hint?: string; cause?: unknown }) {
    super(shortMessage, {
      details: [`journal: ${parameters.file}`, ...(parameters.details ?? [])],
      hint: parameters.hint ?? 'Use the --state folder of the run you want to resume, or a new folder for a new run.',
      cause: parameters.cause,
      action: 'stop',
    })
    this.file = parameters.file
  }
}

/**
 * An action's transaction was mined but reverted: its trigger did not happen.
 *
 * @example
 * throw new ActionRevertedError({ action: 'oracle-fall', hash, block: 12n })
 */
export class ActionRevertedError extends ShepherdError {
  override name = 'ActionRevertedError'
  constructor(parameters: { action: string; hash: Hex; block: bigint }) {
    super(`The transaction of "${parameters.action}" reverted`, {
      details: [`action: ${parameters.action}`, `hash: ${parameters.hash}`, `block: ${parameters.block}`],
      hint: 'Look at the transaction in a block explorer (or `cast run`); the trigger did not happen, so its evidence cannot follow.',
      action: 'stop',
    })
  }
}
