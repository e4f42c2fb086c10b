import { writeFileSync } from 'node:fs'
import type { ScenarioContext, ScenarioRun } from '../../harness/scenario/runScenario.ts'

/** When the engine was killed and healthy again (ms since the epoch), as runChaos measured it. */
export type KillWindow = { killedAt: number; healthyAt: number }

const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 1)

/**
 * Writes the evidence a post-mortem of a chaos run needs into one JSON file: the chain's blocks
 * (number, hash, timestamp, when the harness saw them), every order post the stub answered, the
 * missing and duplicated UIDs, the kill window and the engine's recent log lines. Set
 * `SHEPHERD_CHAOS_DUMP=<file>` to get it; the report alone does not say why a part was missed.
 *
 * @example
 * writeChaosDump('/tmp/chaos.json', { run, context, kill })
 */
export function writeChaosDump(file: string, { run, context, kill }: { run: ScenarioRun; context: ScenarioContext | undefined; kill: KillWindow | undefined }) {
  const posts = (context?.orderbook.record.entries ?? [])
    .filter((e) => e.path.includes('/api/v1/orders'))
    .map((e) => ({ seq: e.seq, at: e.at, method: e.method, status: e.status, uid: e.uid, injected: e.injected }))
  writeFileSync(
    file,
    json({
      blocks: run.truth.blocks,
      judged: run.blocks,
      kill,
      missing: run.truth.twap.missing,
      duplicatePosts: run.truth.twap.duplicatePosts,
      posts,
      notes: run.notes,
      engineLog: context?.engine.logs() ?? [],
    }),
  )
}
