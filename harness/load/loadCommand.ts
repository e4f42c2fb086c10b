import type { LoadResult } from './loadTypes.ts'
import { loadUsage, parseLoadArgs } from './parseLoadArgs.ts'
import { runLoad } from './runLoad.ts'

export type LoadCommandOptions = {
  /** Stops sending early (tests); otherwise SIGINT does. */
  signal?: AbortSignal
  /** Where progress and the summary go. Default console.log. */
  print?: (line: string) => void
}

/**
 * `shepherd load`: drives load against any Anvil RPC URL, prints progress lines and a final JSON
 * summary (counts, per sender, rejections, reverts; not the per-order lists), resolves to 0.
 * Bad arguments throw a ConfigError (exit code 2).
 *
 * @example
 * process.exitCode = await loadCommand(['--rpc-url', 'http://127.0.0.1:8545', '--senders', '10', '--blocks', '20'])
 */
export async function loadCommand(argv: string[], options: LoadCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line))
  const parsed = parseLoadArgs(argv)
  if (parsed.help) {
    print(loadUsage)
    return 0
  }
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.once('SIGINT', onSignal)
  options.signal?.addEventListener('abort', onSignal, { once: true })
  try {
    const result = await runLoad({ ...parsed.options, signal: controller.signal, ...(parsed.quiet ? {} : { log: print }) })
    print(JSON.stringify(loadSummary(result), bigintReplacer, 2))
    return 0
  } finally {
    process.off('SIGINT', onSignal)
    options.signal?.removeEventListener('abort', onSignal)
  }
}

/**
 * The result without the per-order lists and per-block rows, for printing.
 *
 * @example
 * console.log(JSON.stringify(loadSummary(result), bigintReplacer))
 */
export function loadSummary(result: LoadResult) {
  const { twaps, ethFlowOrders, drivenBlocks, minedPerBlock, appData, ...rest } = result
  // The documents by name, hash and size: their text (up to 7.9 kB each) is not a summary.
  return { ...rest, appData: appData.map(({ name, hash, bytes }) => ({ name, hash, bytes })), twapsCreated: twaps.length, ethFlowOrdersCreated: ethFlowOrders.length, blocksWithReceipts: minedPerBlock.length }
}

/** JSON.stringify replacer writing bigints as decimal strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
