import type { JournalLine } from '../../harness/faults/blockJournal.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import type { BarResult, Measures, ModuleErrorCount } from '../../harness/scenario/judge.ts'
import type { Delivery } from '../../harness/scenario/judgeDelivery.ts'
import type { Evidence } from '../../harness/scenario/runMetrics.ts'
import type { KillEvidence } from '../../harness/scenario/startScenarioEngine.ts'
import type { PartWindow, RecordedAnswer } from '../../harness/scenario/twapRetrySeconds.ts'

/** The module that traps on purpose, and whose journal is the witness of what modules received. */
export const trappingModule = 'traps-every-k'
/** The trapping fixture's journal file in the run's folder (the scenario's module config points it there). */
export const chaosJournal = 'traps-every-k.ndjson'
/** The modules that must not notice the faults. */
export const unaffectedModules = ['twap-monitor', 'ethflow-watcher'] as const
/** Every module the chaos engine runs: each must receive every block. */
export const chaosModules = [trappingModule, ...unaffectedModules] as const

/** Everything the chaos bars judge, collected by runChaos (live) and at the end of the run. No devnet needed to build one. */
export type ChaosEvidence = {
  /**
   * Set (to the subject's one-line description) when the subject is an external command: the bars
   * read from the engine's metrics or the trapping module's journal are "not measured for this
   * subject"; the ground-truth bars (reorg, kill and resume from its process evidence, the faults it
   * met, the latency bound) are judged as for the engine.
   */
  subject?: string | undefined
  /** Wall time between blocks (ms). */
  blockTimeMs: number
  /** Chain seconds each block carries (the devnet's `blockSeconds`): a back-off of k chain seconds waits ceil(k / blockSeconds) blocks. */
  blockSeconds: number
  /** The block the chaos timeline started at: every block from here to the last one the witness handled must be in its journal. */
  startBlock: bigint
  reorg: { depth: number; fromBlock: bigint; removedGone: boolean }
  /** Order posts for the owner whose TWAP creation the reorg removed, and accepted posts of the control owner. */
  removedOwnerPosts: number
  controlAccepted: number
  /** The SIGKILL and restart, as the harness saw it; undefined when it never happened. */
  kill: KillEvidence | undefined
  /**
   * The head the harness's watcher had seen when the signal was sent: the killed process cannot have
   * finished a block past it, so it bounds the blocks it finished after its last scrape.
   */
  headAtKill: bigint | undefined
  /** The trapping fixture's journal: every trap it injected and every block it handled (across engine processes). */
  journal: Evidence<readonly JournalLine[]>
  /** From the engine's metrics, over the whole run and every engine process. */
  metrics: {
    traps: Evidence<ReadonlyArray<{ module: string; kind: string; count: number }>>
    restarts: Evidence<ReadonlyArray<{ module: string; count: number }>>
    hostFailures: Evidence<ReadonlyArray<{ module: string; capability: string; count: number }>>
    /** Errors modules reported and handled themselves, by module and error_kind. */
    moduleErrors: Evidence<readonly ModuleErrorCount[]>
    /** Chain requests that failed (`outcome="error"`; reverts are `outcome="revert"`, not failures). */
    failedChainRequests: Evidence<number>
    /** Chain requests of every outcome. */
    chainRequests: Evidence<number>
    /** Block events each module handled (attempts that trapped included). */
    blockEvents: Evidence<ReadonlyArray<{ module: string; count: number }>>
    /** The live process's cursor at the final scrape: the last block every module had processed. */
    cursorAtEnd: Evidence<number>
    reconnects: Evidence<number>
    reorgs: Evidence<number>
  }
  /** The fault proxy's own counts (read just before the final scrape), and around the kill. */
  proxy: {
    injectedFailures: number
    wsDrops: number
    /** Failures injected between the scrape before the kill and the kill: the dead process never counted them. */
    failuresLostInKill: number
    /** Drops between the scrape before the kill and the new process's health: no process could reconnect them. */
    dropsAroundKill: number
    /** Requests in flight on the sockets it dropped, and answers perhaps still in transit then: the engine fails them, though no knob injected a failure. */
    pendingAtDrops: number
    /** Error answers of the node that are not reverts: failures the engine sees, though no knob injected them. */
    nodeErrors: number
    /** Requests it received from the engine (eth_subscribe and eth_unsubscribe left out: the engine does not count them). */
    requests: number
    /** Requests it received from the killed process after the scrape before the kill, or in flight at that scrape: counted by no scrape. */
    requestsLostInKill: number
    /** Requests in flight when its counters were read at the end: the engine counts a request once it ends. */
    pendingAtEnd: number
  }
  /** The stub's record of order requests (what it answered, and which answers it injected). */
  record: readonly RecordEntry[]
  /** Delivered expected parts with their start and acceptance times, and their windows (ground truth). */
  deliveries: readonly Delivery[]
  /**
   * twap-monitor's retry policy: the longest it waits, in seconds, before posting a part again after
   * an answer (`twapRetrySeconds`). The latency bound follows the policy, never the retries observed.
   */
  retrySeconds: (answer: RecordedAnswer, window: PartWindow) => number
}


/** The chaos bars and the bounds derived from what the run injected: the result of `judgeChaos`. */
export type ChaosVerdict = { bars: BarResult[]; bounds: NonNullable<Measures['bounds']>; notes: string[] }
