import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Address } from 'viem'
import type { ActionEvidence, SignedBar } from './judgeSigned.ts'
import type { SignedSnapshot } from './takeSnapshot.ts'
import type { SignedWorld } from './signedPlan.ts'

/** Everything a signed run measured; the report is rendered from this alone. */
export type SignedResult = {
  world: SignedWorld
  chainId: number
  account: Address
  rpcUrl: string
  orderbookUrl: string
  metricsUrl: string
  journal: string
  startedAt: string
  durationMs: number
  before: SignedSnapshot
  after: SignedSnapshot
  actions: Array<ActionEvidence & { describe: string; resumed: boolean }>
  verdict: { pass: boolean; bars: SignedBar[] }
  notes: string[]
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** One action's terminal evidence in a line. */
function evidenceLine(action: ActionEvidence): string {
  switch (action.name) {
    case 'twap-create':
      return `${action.created} created by ${action.owner} (${action.ownerHasCode ? 'contract' : 'EOA'}); parts: ${action.parts.map((p) => `#${p.part} ${p.uid.slice(0, 12)}… ${p.orderbook}${p.posts ? `, posted ${p.posts.count}x [${p.posts.statuses.join(',')}]` : ''}`).join('; ') || 'none due'}`
    case 'ethflow-place':
      return `${action.placements} placement(s), UID ${action.uid ?? '-'}: ${action.orderbook}`
    case 'eth-transfer':
      return `${action.valueWei} wei to ${action.to}`
    case 'oracle-fall':
      return `${action.answerUpdates} AnswerUpdated`
  }
}

const snapshotRow = (label: string, s: SignedSnapshot) =>
  `| ${label} | ${s.at} | ${s.chain.block} | ${s.chain.nonce} | ${s.chain.balanceWei} | ${cell('error' in s.orderbook ? `error: ${s.orderbook.error}` : Object.entries(s.orderbook.ordersByOwner).map(([o, u]) => `${o.slice(0, 10)}…: ${u.length}`).join(', '))} | ${cell('error' in s.metrics ? `error: ${s.metrics.error}` : Object.entries(s.metrics.alertsByModule).map(([m, v]) => `${m} ${v}`).join(', ') || 'none')} |`

/**
 * The signed run's report as Markdown: verdict, the key's address (never the key), the snapshots at
 * start and end, per action its transaction, block and terminal evidence, the bars and the notes.
 *
 * @example
 * writeFileSync('e2e-signed.md', renderSignedReport(result))
 */
export function renderSignedReport(result: SignedResult): string {
  const lines = [
    `# Signed e2e: ${result.verdict.pass ? 'PASS' : 'FAIL'}`,
    '',
    `World: ${result.world === 'devnet' ? 'embedded devnet' : 'URLs (live testnet or stand-ins)'}; chain id ${result.chainId}; sender ${result.account}; started ${result.startedAt}; ${(result.durationMs / 1000).toFixed(1)} s.`,
    `RPC ${result.rpcUrl}; orderbook ${result.orderbookUrl}; metrics ${result.metricsUrl}; journal ${result.journal}.`,
    '',
    '## Snapshots',
    '',
    '| when | at | block | nonce | balance (wei) | orders per owner | alerts per module |',
    '|---|---|---|---|---|---|---|',
    snapshotRow('start', result.before),
    snapshotRow('end', result.after),
    '',
    '## Actions',
    '',
    '| action | what | tx | block | gas (fee, wei) | resumed | terminal evidence |',
    '|---|---|---|---|---|---|---|',
    ...result.actions.map((a) => `| ${a.name} | ${cell(a.describe)} | ${a.hash} | ${a.block} | ${a.gasUsed ?? '-'} (${a.feeWei ?? '-'}) | ${a.resumed ? 'yes' : 'no'} | ${cell(evidenceLine(a))} |`),
    '',
    '## Bars',
    '',
    '| action | bar | passes when | measured | status |',
    '|---|---|---|---|---|',
    ...result.verdict.bars.map((b) => `| ${b.action} | ${cell(b.name)} | ${cell(b.bar)} | ${cell(b.measured)} | ${b.status === 'pass' ? 'ok' : b.status === 'fail' ? 'FAIL' : b.status === 'not measured' ? 'NOT MEASURED' : 'n/a'} |`),
    '',
    ...(result.notes.length ? ['## Notes', '', ...result.notes.map((n) => `- ${n}`), ''] : []),
  ]
  return lines.join('\n')
}

export type WriteSignedReportReturnType = { markdown: string; json: string }

/**
 * Writes the report as `e2e-signed-<time>.md` and `.json` into `outDir` (each written to a temporary
 * file, then renamed into place). bigints are written as decimal strings.
 *
 * @example
 * const { markdown } = writeSignedReport(result, 'reports')
 */
export function writeSignedReport(result: SignedResult, outDir: string): WriteSignedReportReturnType {
  mkdirSync(outDir, { recursive: true })
  const stem = join(outDir, `e2e-signed-${result.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}`)
  const write = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text)
    renameSync(`${file}.tmp`, file)
  }
  write(`${stem}.md`, renderSignedReport(result))
  write(`${stem}.json`, `${JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
  return { markdown: `${stem}.md`, json: `${stem}.json` }
}
